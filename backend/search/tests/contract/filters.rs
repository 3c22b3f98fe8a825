//! Filters: category, kecamatan, halal, certificate kind, price range, eligible standard;
//! hostile filter values; invalid queries refused with the parameter named.

use crate::support::{all, fixture_ids, id_set, search};
use etalase_domain::search::{SearchError, SearchQuery, SortBy};

contract!(filter_by_category, |ix| {
    let q = SearchQuery { category: Some("madu-jamu".into()), ..SearchQuery::default() };
    let r = search(ix, &all(q)).await;
    assert_eq!(id_set(&r), [60, 61, 62]);
    assert_eq!(r.total, 3);
});

contract!(filter_by_kecamatan, |ix| {
    let q = SearchQuery { kecamatan: Some("36.73.06".into()), ..SearchQuery::default() };
    let r = search(ix, &all(q)).await;
    assert_eq!(id_set(&r), fixture_ids(|p| p.kecamatan == "Taktakan"));
    assert_eq!(id_set(&r), [1, 2, 3]);
});

contract!(filter_halal_with_text, |ix| {
    let q = SearchQuery { halal: Some(true), ..SearchQuery::text("emping") };
    let r = search(ix, &all(q)).await;
    assert_eq!(id_set(&r), [1, 2]);
    let q = SearchQuery { halal: Some(true), ..SearchQuery::default() };
    let r = search(ix, &all(q)).await;
    assert_eq!(id_set(&r), fixture_ids(|p| p.halal));
});

contract!(filter_by_certificate_kinds, |ix| {
    let q = SearchQuery { cert: vec!["bpom_md".into()], ..SearchQuery::default() };
    assert_eq!(id_set(&search(ix, &all(q)).await), [41, 53]);
    let both = SearchQuery { cert: vec!["pirt".into(), "halal".into()], ..SearchQuery::default() };
    let r = search(ix, &all(both)).await;
    let expected = fixture_ids(|p| {
        p.cert_kinds.iter().any(|c| c == "pirt") && p.cert_kinds.iter().any(|c| c == "halal")
    });
    assert_eq!(id_set(&r), expected);
});

contract!(filter_by_price_range_inclusive, |ix| {
    let q =
        SearchQuery { price_min: Some(12_000), price_max: Some(25_000), ..SearchQuery::default() };
    let r = search(ix, &all(q)).await;
    let expected = fixture_ids(|p| p.retail_price.is_some_and(|x| (12_000..=25_000).contains(&x)));
    assert_eq!(id_set(&r), expected);
    assert!(expected.contains(&10) && expected.contains(&50), "both ends are included");
    let cheap = SearchQuery { price_max: Some(9_000), ..SearchQuery::default() };
    assert_eq!(id_set(&search(ix, &all(cheap)).await), [23, 51, 52, 70]);
});

contract!(filter_by_eligible_standard, |ix| {
    let q = SearchQuery { eligible_for: Some(2), ..SearchQuery::default() };
    let r = search(ix, &all(q)).await;
    assert_eq!(id_set(&r), fixture_ids(|p| p.eligible_standards.contains(&2)));
    assert_eq!(id_set(&r), [1, 10, 20, 30, 40, 41, 53, 60]);
});

contract!(hostile_filter_values_match_nothing, |ix| {
    let hostile = [
        "36.73.01\" OR halal = true",
        "x\" OR kecamatan_code = \"36.73.01",
        "' OR 1=1",
        "36.73.01' OR '1'='1",
        "\\\" OR halal = true OR \\\"",
        "36.73.01\\",
    ];
    for value in hostile {
        let q = SearchQuery { kecamatan: Some(value.into()), ..SearchQuery::default() };
        let r = search(ix, &q).await;
        assert_eq!(r.total, 0, "kecamatan {value:?} matched {:?}", id_set(&r));
        let q = SearchQuery {
            category: Some(value.into()),
            cert: vec![value.into()],
            ..SearchQuery::default()
        };
        assert_eq!(search(ix, &q).await.total, 0, "category/cert {value:?}");
    }
    // Filter values compare case-insensitively in both engines.
    let q = SearchQuery { category: Some("MADU-JAMU".into()), ..SearchQuery::default() };
    assert_eq!(search(ix, &q).await.total, 3);
});

contract!(invalid_queries_are_refused_naming_the_parameter, |ix| {
    let cases = [
        (SearchQuery { sort: SortBy::Distance, ..SearchQuery::default() }, "sort"),
        (SearchQuery { radius_km: Some(2.0), ..SearchQuery::default() }, "radius_km"),
        (SearchQuery { price_min: Some(-1), ..SearchQuery::default() }, "price_min"),
        (SearchQuery { per_page: 101, ..SearchQuery::default() }, "per_page"),
    ];
    for (q, param) in cases {
        match ix.search(&q).await {
            Err(SearchError::InvalidQuery(errors)) => {
                assert!(errors.get(param).is_some(), "{errors}")
            }
            other => panic!("{param}: expected InvalidQuery, got {other:?}"),
        }
    }
});
