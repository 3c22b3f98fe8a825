//! Order and counts: geo radius with distance sort, price and newest sorts (missing prices
//! last), pagination within the total, facet counts over all matches.

use crate::support::fixtures::{ALUN_ALUN, products};
use crate::support::{all, fixture_ids, ids, search};
use etalase_domain::haversine_km;
use etalase_domain::search::{FacetCount, ProductDoc, SearchQuery, SortBy};
use std::collections::BTreeMap;

fn km(p: &ProductDoc) -> f64 {
    haversine_km(ALUN_ALUN.0, ALUN_ALUN.1, p.lat, p.lon)
}

/// Fixture ids ordered by `key`, ties by id.
fn sorted_ids<K: PartialOrd>(key: impl Fn(&ProductDoc) -> K) -> Vec<i64> {
    let mut v = products();
    v.sort_by(|a, b| key(a).partial_cmp(&key(b)).unwrap().then(a.id.cmp(&b.id)));
    v.into_iter().map(|p| p.id).collect()
}

/// Prices ascending or descending, products without a price last (by id).
fn by_price(desc: bool) -> Vec<i64> {
    sorted_ids(|p| match p.retail_price {
        Some(x) if desc => (0, -x),
        Some(x) => (0, x),
        None => (1, 0),
    })
}

/// `ids` split into runs of equal `key`, each run sorted: the order the contract defines
/// (within a tie the order is the engine's own).
fn ranked<K: PartialEq>(ids: &[i64], key: impl Fn(&ProductDoc) -> K) -> Vec<Vec<i64>> {
    let mut runs: Vec<(K, Vec<i64>)> = Vec::new();
    for id in ids {
        let k = key(&crate::support::fixtures::product(*id));
        match runs.last_mut() {
            Some((last, run)) if *last == k => run.push(*id),
            _ => runs.push((k, vec![*id])),
        }
    }
    runs.into_iter()
        .map(|(_, mut run)| {
            run.sort_unstable();
            run
        })
        .collect()
}

fn counts(list: &[FacetCount]) -> BTreeMap<String, u64> {
    list.iter().map(|c| (c.value.clone(), c.count)).collect()
}

fn fixture_counts(value: impl Fn(&ProductDoc) -> Option<String>) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for v in products().iter().filter_map(value) {
        *m.entry(v).or_default() += 1;
    }
    m
}

contract!(geo_radius_keeps_near_products_and_distance_sort_orders_them, |ix| {
    // No fixture sits near the 2 km edge, so both engines' distance formulas agree.
    assert!(products().iter().all(|p| (km(p) - 2.0).abs() > 0.3));
    let q = SearchQuery {
        near: Some(ALUN_ALUN),
        radius_km: Some(2.0),
        sort: SortBy::Distance,
        ..SearchQuery::default()
    };
    let r = search(ix, &all(q)).await;
    let expected: Vec<i64> = sorted_ids(km)
        .into_iter()
        .filter(|id| km(&crate::support::fixtures::product(*id)) <= 2.0)
        .collect();
    assert_eq!(ranked(&ids(&r), km), ranked(&expected, km));
    assert_eq!(ids(&r)[0], 43, "Warung Bu Enok is 120 m away");
    let d: Vec<f64> = r.hits.iter().map(|h| h.distance_km.unwrap()).collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]) && d.iter().all(|x| *x <= 2.0), "{d:?}");
    assert_eq!(r.facets.kecamatan, [FacetCount { value: "36.73.01".into(), count: r.total }]);
});

contract!(distance_is_reported_without_a_radius, |ix| {
    let q = SearchQuery { near: Some(ALUN_ALUN), ..SearchQuery::text("emping") };
    let r = search(ix, &all(q)).await;
    let d = r.hits[0].distance_km.unwrap();
    assert!((d - km(&r.hits[0].doc)).abs() < 1e-9 && d > 5.0, "{d}");
    let r = search(ix, &SearchQuery::text("emping")).await;
    assert!(r.hits.iter().all(|h| h.distance_km.is_none()));
});

contract!(sort_by_price_ascending_and_descending, |ix| {
    let q = SearchQuery { sort: SortBy::PriceAsc, ..SearchQuery::default() };
    let price = |p: &ProductDoc| p.retail_price;
    let r = search(ix, &all(q)).await;
    assert_eq!(ranked(&ids(&r), price), ranked(&by_price(false), price));
    let q = SearchQuery { sort: SortBy::PriceDesc, ..SearchQuery::default() };
    let r = search(ix, &all(q)).await;
    assert_eq!(ranked(&ids(&r), price), ranked(&by_price(true), price));
    let mut tail = ids(&r)[ids(&r).len() - 2..].to_vec();
    tail.sort_unstable();
    assert_eq!(tail, [82, 83], "no price, last either way");
});

contract!(sort_by_price_with_text_is_strict, |ix| {
    let q = SearchQuery { sort: SortBy::PriceAsc, ..SearchQuery::text("sambel") };
    assert_eq!(ids(&search(ix, &all(q)).await), [23, 21, 22, 20]);
});

contract!(sort_newest_first, |ix| {
    let q = SearchQuery { sort: SortBy::Newest, ..SearchQuery::default() };
    assert_eq!(ids(&search(ix, &all(q)).await), sorted_ids(|p| -p.published_at));
    let q = SearchQuery { sort: SortBy::Newest, ..SearchQuery::text("emping") };
    assert_eq!(ids(&search(ix, &q).await), [3, 2, 1]);
});

contract!(page_two_of_five_and_total, |ix| {
    let q = SearchQuery { sort: SortBy::PriceAsc, page: 2, per_page: 5, ..SearchQuery::default() };
    let r = search(ix, &q).await;
    assert_eq!(ids(&r), by_price(false)[5..10]);
    assert_eq!(r.total, products().len() as u64);
    let q = SearchQuery { sort: SortBy::PriceAsc, page: 7, per_page: 5, ..SearchQuery::default() };
    let last = search(ix, &q).await;
    let price = |p: &ProductDoc| p.retail_price;
    assert_eq!(ranked(&ids(&last), price), ranked(&by_price(false)[30..], price));
    let q = SearchQuery { page: 8, per_page: 5, ..SearchQuery::default() };
    assert!(search(ix, &q).await.hits.is_empty());
});

contract!(facet_counts_cover_all_matches, |ix| {
    let q = SearchQuery { per_page: 1, ..SearchQuery::default() };
    let r = search(ix, &q).await;
    assert_eq!(counts(&r.facets.category), fixture_counts(|p| Some(p.category.clone())));
    assert_eq!(counts(&r.facets.kecamatan), fixture_counts(|p| Some(p.kecamatan_code.clone())));
    assert_eq!(counts(&r.facets.halal), fixture_counts(|p| Some(p.halal.to_string())));
    assert_eq!(counts(&r.facets.cert_kinds), {
        let mut m = BTreeMap::new();
        for c in products().iter().flat_map(|p| p.cert_kinds.clone()) {
            *m.entry(c).or_default() += 1;
        }
        m
    });
    assert_eq!(counts(&r.facets.pack_size), fixture_counts(|p| p.pack_size.map(|s| s.to_string())));
    let buckets: Vec<(&str, u64)> =
        r.facets.price_range.iter().map(|c| (c.value.as_str(), c.count)).collect();
    assert_eq!(
        buckets,
        [
            ("<10000", 4),
            ("10000-25000", 11),
            ("25000-50000", 8),
            ("50000-100000", 5),
            (">=100000", 3)
        ]
    );
    // Counts are ordered: highest first.
    assert!(r.facets.category.windows(2).all(|w| w[0].count >= w[1].count));
    let q = SearchQuery { halal: Some(true), per_page: 1, ..SearchQuery::default() };
    let r = search(ix, &q).await;
    assert_eq!(r.total as usize, fixture_ids(|p| p.halal).len());
    assert_eq!(counts(&r.facets.halal), BTreeMap::from([("true".to_string(), r.total)]));
});
