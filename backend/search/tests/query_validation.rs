//! The domain's `SearchQuery::validate`: every problem reported at once, each naming its
//! parameter with a stable code and an Indonesian message.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use etalase_domain::search::{PER_PAGE_MAX, SearchQuery, SortBy, price_bucket};

fn codes(q: SearchQuery) -> Vec<(String, &'static str)> {
    match q.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e.iter().map(|f| (f.field.clone(), f.code)).collect(),
    }
}

fn one(field: &str, code: &'static str) -> Vec<(String, &'static str)> {
    vec![(field.to_string(), code)]
}

#[test]
fn a_plain_query_is_valid() {
    assert!(SearchQuery::text("emping").validate().is_ok());
    let full = SearchQuery {
        category: Some("makanan-ringan".into()),
        kecamatan: Some("36.73.06".into()),
        halal: Some(true),
        cert: vec!["pirt".into()],
        price_min: Some(0),
        price_max: Some(0),
        near: Some((-6.12, 106.15)),
        radius_km: Some(100.0),
        eligible_for: Some(1),
        sort: SortBy::Distance,
        page: 1000,
        per_page: PER_PAGE_MAX,
        ..SearchQuery::text("kripik pedes")
    };
    assert_eq!(full.clone().validated().unwrap(), full);
}

#[test]
fn distance_needs_a_location() {
    let q = SearchQuery { sort: SortBy::Distance, ..SearchQuery::default() };
    assert_eq!(codes(q), one("sort", "requires_near"));
    let q = SearchQuery { radius_km: Some(2.0), ..SearchQuery::default() };
    assert_eq!(codes(q), one("radius_km", "requires_near"));
    let q =
        SearchQuery { near: Some((-6.1, 106.1)), radius_km: Some(0.0), ..SearchQuery::default() };
    assert_eq!(codes(q), one("radius_km", "out_of_range"));
    let q = SearchQuery { near: Some((f64::NAN, 106.1)), ..SearchQuery::default() };
    assert_eq!(codes(q), one("near", "out_of_range"));
    let q = SearchQuery { near: Some((-91.0, 106.1)), ..SearchQuery::default() };
    assert_eq!(codes(q), one("near", "out_of_range"));
}

#[test]
fn prices_must_be_a_sane_range() {
    let q = SearchQuery { price_min: Some(-1), price_max: Some(-5), ..SearchQuery::default() };
    assert_eq!(
        codes(q),
        [
            ("price_min".into(), "out_of_range"),
            ("price_max".into(), "out_of_range"),
            ("price_min".into(), "invalid_range")
        ]
    );
    let q =
        SearchQuery { price_min: Some(50_000), price_max: Some(10_000), ..SearchQuery::default() };
    let err = q.validate().unwrap_err();
    assert_eq!(
        err.get("price_min").unwrap().message,
        "Harga minimum lebih besar dari harga maksimum."
    );
}

#[test]
fn paging_is_bounded() {
    assert_eq!(
        codes(SearchQuery { page: 0, ..SearchQuery::default() }),
        one("page", "out_of_range")
    );
    assert_eq!(
        codes(SearchQuery { page: 1001, ..SearchQuery::default() }),
        one("page", "out_of_range")
    );
    assert_eq!(
        codes(SearchQuery { per_page: 0, ..SearchQuery::default() }),
        one("per_page", "out_of_range")
    );
    assert_eq!(
        codes(SearchQuery { per_page: 101, ..SearchQuery::default() }),
        one("per_page", "out_of_range")
    );
}

#[test]
fn filter_values_and_text_are_bounded_but_not_censored() {
    assert_eq!(
        codes(SearchQuery { category: Some("  ".into()), ..SearchQuery::default() }),
        one("category", "required")
    );
    assert_eq!(
        codes(SearchQuery { kecamatan: Some("x".repeat(101)), ..SearchQuery::default() }),
        one("kecamatan", "too_long")
    );
    assert_eq!(codes(SearchQuery::text("a".repeat(201))), one("text", "too_long"));
    assert_eq!(
        codes(SearchQuery { cert: vec!["pirt".into(); 11], ..SearchQuery::default() }),
        one("cert", "out_of_range")
    );
    // Quotes and operators are just text: the adapters escape them.
    assert!(
        SearchQuery { kecamatan: Some("x\" OR halal = true".into()), ..SearchQuery::default() }
            .validate()
            .is_ok()
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let q = SearchQuery {
        sort: SortBy::Distance,
        page: 0,
        per_page: 500,
        price_min: Some(-1),
        ..SearchQuery::default()
    };
    let fields: Vec<String> =
        q.validate().unwrap_err().fields().into_iter().map(String::from).collect();
    assert_eq!(fields, ["price_min", "sort", "page", "per_page"]);
}

#[test]
fn price_buckets_have_no_gaps() {
    let labels: Vec<&str> =
        [0, 9_999, 10_000, 24_999, 25_000, 49_999, 50_000, 99_999, 100_000, 5_000_000]
            .iter()
            .map(|p| price_bucket(*p).label)
            .collect();
    assert_eq!(
        labels,
        [
            "<10000",
            "<10000",
            "10000-25000",
            "10000-25000",
            "25000-50000",
            "25000-50000",
            "50000-100000",
            "50000-100000",
            ">=100000",
            ">=100000"
        ]
    );
}
