//! Unit tests of the ranking: the distance shortcut, ordering and facets.
#![allow(clippy::unwrap_used)]
use super::super::columns::{Row, bucket_index};
use super::*;
use etalase_domain::search::price_bucket;

#[test]
fn origin_gives_haversine_distances_to_the_bit() {
    let points =
        [(-6.12, 106.15), (-6.0301, 106.1599), (-6.1850, 106.19), (0.0, 0.0), (45.5, -73.6)];
    for (lat, lon) in points {
        let o = Origin::new(lat, lon);
        for (lat2, lon2) in points {
            let want = haversine_km(lat, lon, lat2, lon2);
            assert!(o.lower_bound_km(lat2) <= want);
            assert_eq!(o.km(lat2, lon2).to_bits(), want.to_bits(), "{lat},{lon} -> {lat2},{lon2}");
        }
    }
}

#[test]
fn bucket_index_follows_price_bucket() {
    for p in [0, 9_999, 10_000, 24_999, 25_000, 49_999, 50_000, 99_999, 100_000, 5_000_000] {
        assert_eq!(PRICE_BUCKETS[bucket_index(p)], *price_bucket(p));
    }
}

/// `n` points in Kota Serang: a seventh at one spot (shops in one market building), the rest
/// spread over the city (a deterministic xorshift from `seed`).
pub(super) fn city_points(n: usize, seed: u64) -> Vec<(f64, f64)> {
    let mut s = seed;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s % 1_000_000) as f64 / 1_000_000.0
    };
    (0..n)
        .map(|i| {
            if i % 7 == 0 { (-6.12, 106.15) } else { (-6.2 + next() * 0.2, 106.05 + next() * 0.2) }
        })
        .collect()
}

/// One segment of `n` located documents at `city_points`; prices, categories and certificates
/// vary.
fn segment(n: usize, seed: u64) -> SegmentColumns {
    let coords = city_points(n, seed);
    SegmentColumns {
        rows: (0..n)
            .map(|i| {
                let price = Some(5_000 + (i as i64 % 40) * 2_500);
                let ords = ((i % 3) as u32, (i % 2) as u32, 0);
                Row::new(
                    (n - i) as i64,
                    price,
                    i as i64,
                    Some(coords[i]),
                    ords,
                    (i % 2) as u8,
                    &[0],
                )
            })
            .collect(),
        pack_values: vec![1],
        category_names: vec![Some("a".into()), Some("b".into()), Some("c".into())],
        kecamatan_names: vec![Some("36.73.01".into()), Some("36.73.02".into())],
        cert_start: (0..=n as u32).collect(),
        cert_ords: vec![0; n],
        cert_names: vec![Some("pirt".into())],
    }
}

#[test]
fn the_distance_sort_keeping_only_the_nearest_ranks_as_walking_every_match() {
    let settings = Settings::products().unwrap();
    for (n, keep, seed) in [(30_000, 20, 1), (12_000, 1_000, 9), (3_000, 40, 4), (500, 20, 2)] {
        let segs = vec![Arc::new(segment(n, seed)), Arc::new(segment(n / 3, seed + 1))];
        let docs: Vec<Vec<(DocId, Relevance)>> = segs
            .iter()
            .map(|s| (0..s.rows.len() as u32).map(|d| (d, Relevance::default())).collect())
            .collect();
        let q = SearchQuery {
            near: Some((-6.11, 106.17)),
            sort: SortBy::Distance,
            ..Default::default()
        };
        let order = Order::new(&settings, q.sort);
        // Every match walked and grouped (the reference).
        let mut all = walk(&segs, &docs, &q, &order, keep, Keep::All).unwrap();
        assert!(!all.pruned);
        geo::geo_buckets(&mut all.out, (-6.11, 106.17), all.count, None, true);
        order.keep_best(&mut all.out, keep);
        all.out.sort_unstable_by(|a, b| order.cmp(a, b));
        let want: Vec<i64> = all.out.iter().map(|c| c.id).collect();
        let ranked = rank(&segs, &docs, &q, &settings, keep).unwrap();
        let got: Vec<i64> = ranked.top.iter().map(|c| c.id).collect();
        assert_eq!(got, want, "n = {n}, keep = {keep}");
        assert_eq!(ranked.count, all.count);
        let facets_all = facets(all.counts, &settings);
        assert_eq!(format!("{:?}", ranked.facets), format!("{facets_all:?}"));
        // The big ones really were cut short.
        if n >= 12_000 {
            let nearest =
                walk(&segs, &docs, &q, &order, keep, Keep::Nearest(geo::prefix(keep) + 1));
            let nearest = nearest.unwrap();
            assert!(nearest.pruned && nearest.out.len() < all.count / 2, "n = {n}");
        }
    }
}

#[test]
fn when_the_nearest_do_not_settle_the_groups_every_match_is_walked_again() {
    // Everything at one spot: groups of 1,000; keeping 1,100 cuts the third group at the
    // prefix, so the shortcut cannot decide and the full walk must.
    let settings = Settings::products().unwrap();
    let mut seg = segment(12_000, 3);
    for r in seg.rows.iter_mut() {
        let ords = (r.category, r.kecamatan, r.pack);
        *r = Row::new(r.id, r.price(), r.published, Some((-6.12, 106.15)), ords, r.halal, &[0]);
    }
    let segs = vec![Arc::new(seg)];
    let docs: Vec<Vec<(DocId, Relevance)>> =
        vec![(0..12_000u32).map(|d| (d, Relevance::default())).collect()];
    let q =
        SearchQuery { near: Some((-6.11, 106.17)), sort: SortBy::Distance, ..Default::default() };
    let order = Order::new(&settings, q.sort);
    let mut all = walk(&segs, &docs, &q, &order, 1_100, Keep::All).unwrap();
    geo::geo_buckets(&mut all.out, (-6.11, 106.17), all.count, None, true);
    order.keep_best(&mut all.out, 1_100);
    all.out.sort_unstable_by(|a, b| order.cmp(a, b));
    let mut pruned =
        walk(&segs, &docs, &q, &order, 1_100, Keep::Nearest(geo::prefix(1_100) + 1)).unwrap();
    assert!(pruned.pruned);
    assert!(!geo::geo_buckets(&mut pruned.out, (-6.11, 106.17), pruned.count, Some(1_100), false));
    let ranked = rank(&segs, &docs, &q, &settings, 1_100).unwrap();
    let ids = |c: &[Candidate]| c.iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(ids(&ranked.top), ids(&all.out));
}
