//! Unit tests of the ranking: the distance shortcut, ordering and facets.
use super::super::columns::bucket_index;
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
