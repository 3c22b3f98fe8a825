//! Unit tests of the ranking: the distance shortcut, ordering and facets.
#![allow(clippy::unwrap_used)]
use super::super::columns::{NO_BUCKET, NONE, NONE16, Row, bucket_index};
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
    segment_at(n, &city_points(n, seed))
}

/// One segment of `n` documents at `coords`.
fn segment_at(n: usize, coords: &[(f64, f64)]) -> SegmentColumns {
    let rows = (0..n)
        .map(|i| {
            let price = Some(5_000 + (i as i64 % 40) * 2_500);
            let ords = ((i % 3) as u32, (i % 2) as u32, 0);
            Row::new((n - i) as i64, price, i as i64, Some(coords[i]), ords, (i % 2) as u8, &[0])
        })
        .collect();
    let names = [
        vec![Some("a".into()), Some("b".into()), Some("c".into())],
        vec![Some("36.73.01".into()), Some("36.73.02".into())],
        vec![Some("pirt".into())],
    ];
    SegmentColumns::new(rows, vec![1], names, ((0..=n as u32).collect(), vec![0; n])).unwrap()
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
    let segs = vec![Arc::new(segment_at(12_000, &[(-6.12, 106.15); 12_000]))];
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

#[test]
fn deciding_by_relevance_id_and_sort_value_agrees_with_the_full_order() {
    let settings = Settings::products().unwrap();
    let mut s = 7u64;
    let mut next = move |n: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % n
    };
    let cand = |next: &mut dyn FnMut(u64) -> u64| Candidate {
        addr: DocAddress::new(0, next(100) as u32),
        id: next(6) as i64,
        price: (next(4) > 0).then(|| next(3) as i64 * 1_000),
        published_at: next(3) as i64,
        distance_km: None,
        geo_bucket: 0,
        coords: None,
        rel: Relevance {
            words: next(2) as u16,
            typos: next(2) as u16,
            attribute: next(2) as u16,
            exact: next(2) as u16,
        },
    };
    let sorts = [SortBy::Relevance, SortBy::PriceAsc, SortBy::PriceDesc, SortBy::Newest];
    let mut decided = 0;
    for sort in sorts {
        let order = Order::new(&settings, sort);
        for _ in 0..2_000 {
            let (a, t) = (cand(&mut next), cand(&mut next));
            let keys = (|| a.price, || a.published_at);
            if let Some(o) = order.decide((&a.rel, a.id), keys, &t) {
                assert_eq!(o, order.cmp(&a, &t), "{sort:?}: {a:?} vs {t:?}");
                decided += 1;
            }
        }
        // The distance sort needs the distance groups: never decided here.
        let (a, t) = (cand(&mut next), cand(&mut next));
        let distance = Order::new(&settings, SortBy::Distance);
        let keys = (|| a.price, || a.published_at);
        if a.rel == t.rel {
            assert_eq!(distance.decide((&a.rel, a.id), keys, &t), None);
        }
    }
    // Only equal ids are left undecided.
    assert!(decided > 7_000, "{decided}");
}

#[test]
fn the_hot_row_keeps_what_facet_counting_reads() {
    let row = Row::new(42, Some(30_000), 9, Some((-6.1, 106.1)), (3, 5, 1), 1, &[0, 2]);
    let hot = super::super::columns::Hot::of(&row).unwrap();
    assert_eq!((hot.id, hot.category, hot.kecamatan, hot.pack), (42, 3, 5, 1));
    assert_eq!((hot.cert_bits, hot.halal(), hot.located(), hot.bucket()), (0b101, 1, true, 2));
    let bare = Row::new(1, None, 0, None, (NONE, NONE, NONE), 2, &[]);
    let hot = super::super::columns::Hot::of(&bare).unwrap();
    assert_eq!((hot.category, hot.kecamatan, hot.pack), (NONE16, NONE16, NONE16));
    assert_eq!((hot.halal(), hot.located(), hot.bucket()), (2, false, NO_BUCKET));
    // More facet values in one segment than 16 bits hold is refused, not miscounted.
    let wide = Row::new(1, None, 0, None, (70_000, 0, 0), 0, &[]);
    assert!(super::super::columns::Hot::of(&wide).is_err());
}

/// A segment of `n` documents where every facet value and sort value varies, some missing.
pub(super) fn varied_segment(n: usize) -> SegmentColumns {
    let coords = city_points(n, 5);
    let (mut starts, mut ords) = (vec![0u32], Vec::new());
    let rows = (0..n)
        .map(|i| {
            let certs: &[u32] = [&[0][..], &[1], &[0, 1], &[]][i % 4];
            ords.extend_from_slice(certs);
            starts.push(ords.len() as u32);
            let pack = if i % 11 == 0 { NONE } else { (i % 3) as u32 };
            Row::new(
                ((i * 7_919) % 10_007) as i64 + 1,
                (i % 5 != 0).then_some(2_000 + (i as i64 % 23) * 4_500),
                (i % 17) as i64,
                (i % 13 != 0).then_some(coords[i]),
                ((i % 4) as u32, (i % 6) as u32, pack),
                [0, 1, 2][i % 3],
                certs,
            )
        })
        .collect();
    let names = |prefix: &str, k: usize| (0..k).map(|j| Some(format!("{prefix}{j}"))).collect();
    let packs = vec![1, 6, 12];
    SegmentColumns::new(
        rows,
        packs,
        [names("k", 4), names("36.73.0", 6), names("c", 2)],
        (starts, ords),
    )
    .unwrap()
}

/// The doc lists of `segs` as bit sets.
fn bit_sets(segs: &[Arc<SegmentColumns>], lists: &[Vec<DocId>]) -> Vec<Vec<u64>> {
    segs.iter()
        .zip(lists)
        .map(|(s, docs)| {
            let mut bits = vec![0u64; s.rows.len().div_ceil(64)];
            docs.iter().for_each(|d| bits[*d as usize / 64] |= 1 << (d % 64));
            bits
        })
        .collect()
}

#[test]
fn equally_relevant_matches_rank_from_sorted_docs_and_facet_bit_sets_as_walking_them() {
    let settings = Settings::products().unwrap();
    let segs = vec![Arc::new(varied_segment(5_000)), Arc::new(varied_segment(700))];
    let sorts = [SortBy::Relevance, SortBy::PriceAsc, SortBy::PriceDesc, SortBy::Newest];
    // Every doc, every third (sorted docs walked), a few (ordered directly), none.
    let subsets: [fn(u32) -> bool; 4] = [|_| true, |d| d % 3 == 0, |d| d % 97 == 5, |_| false];
    for sort in sorts {
        for (k, keep) in subsets.iter().flat_map(|s| [(s, 0), (s, 20), (s, 1_000)]) {
            let lists: Vec<Vec<DocId>> =
                segs.iter().map(|s| (0..s.rows.len() as u32).filter(|d| k(*d)).collect()).collect();
            let matches = bit_sets(&segs, &lists);
            let docs = equally_relevant(&matches);
            let q = SearchQuery { sort, near: Some((-6.11, 106.17)), ..Default::default() };
            let want = rank(&segs, &docs, &q, &settings, keep).unwrap();
            let got = sorted::rank_sorted(&segs, &matches, &q, &settings, keep).unwrap();
            let ids = |r: &Ranked| r.top.iter().map(|c| (c.id, c.addr)).collect::<Vec<_>>();
            assert_eq!(ids(&got), ids(&want), "{sort:?}, keep {keep}");
            assert_eq!(got.count, want.count);
            assert_eq!(format!("{:?}", got.facets), format!("{:?}", want.facets));
        }
    }
}

#[test]
fn the_nearest_found_in_grid_cells_rank_as_walking_every_match() {
    let settings = Settings::products().unwrap();
    // Spread and clustered points, some without coordinates; and everything at one spot (the
    // groups cannot be settled from the nearest: the fall-back).
    let spread = vec![Arc::new(varied_segment(6_000)), Arc::new(segment(4_000, 8))];
    let one_spot = vec![Arc::new(segment_at(3_000, &[(-6.12, 106.15); 3_000]))];
    let subsets: [fn(u32) -> bool; 3] = [|_| true, |d| d % 4 != 1, |d| d % 150 == 3];
    for segs in [&spread, &one_spot] {
        for (k, keep) in subsets.iter().flat_map(|s| [(s, 0), (s, 20), (s, 1_100)]) {
            let lists: Vec<Vec<DocId>> =
                segs.iter().map(|s| (0..s.rows.len() as u32).filter(|d| k(*d)).collect()).collect();
            let matches = bit_sets(segs, &lists);
            let docs = equally_relevant(&matches);
            for near in [(-6.11, 106.17), (-6.12, 106.15), (-6.3, 106.0)] {
                let q =
                    SearchQuery { sort: SortBy::Distance, near: Some(near), ..Default::default() };
                let want = rank(segs, &docs, &q, &settings, keep).unwrap();
                let got = rank_nearest(segs, &matches, &q, &settings, keep).unwrap();
                let ids = |r: &Ranked| {
                    r.top
                        .iter()
                        .map(|c| (c.id, c.addr, c.distance_km.map(f64::to_bits)))
                        .collect::<Vec<_>>()
                };
                assert_eq!(ids(&got), ids(&want), "{near:?}, keep {keep}");
                assert_eq!(got.count, want.count);
                assert_eq!(format!("{:?}", got.facets), format!("{:?}", want.facets));
            }
        }
    }
    // On spread points the nearest settle the page: no walk over every match.
    let every = bit_sets(
        &spread,
        &spread.iter().map(|s| (0..s.rows.len() as u32).collect()).collect::<Vec<_>>(),
    );
    let mut w = nearest::nearest_walk(&spread, &every, (-6.11, 106.17), geo::prefix(20) + 1);
    assert_eq!((w.out.len(), w.count, w.pruned), (geo::prefix(20) + 1, 10_000, true));
    assert!(geo::geo_buckets(&mut w.out, (-6.11, 106.17), w.count, Some(20), false));
}
