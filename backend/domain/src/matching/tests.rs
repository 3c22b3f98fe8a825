use super::*;

/// A store in the middle of Kota Serang.
fn store() -> StoreProfile {
    StoreProfile {
        store_id: 1,
        lat: -6.12,
        lon: 106.15,
        monthly_need: 60,
        local_facings: 10,
        ..Default::default()
    }
}

fn product(id: i64, km_north: f64, placements: u32) -> ProductProfile {
    ProductProfile {
        product_id: id,
        producer_id: id * 10,
        category_slug: "minuman".into(),
        category_name: "Minuman".into(),
        producer_lat: -6.12 + km_north / 111.2,
        producer_lon: 106.15,
        monthly_capacity: Some(100),
        halal: true,
        producer_store_count: placements,
    }
}

#[test]
fn reasons_explain_the_match() {
    let r = rank_products(&store(), &[product(1, 2.1, 0)], None, &MatchWeights::default());
    assert_eq!(
        r[0].reason_text(),
        "2,1 km · halal · mengisi kategori minuman · kapasitas 100/bulan cukup · belum ada di toko lain"
    );
    let e: HashSet<i64> = [1].into();
    let r = rank_products(&store(), &[product(1, 2.1, 3)], Some(&e), &MatchWeights::default());
    assert!(
        r[0].reason_text().ends_with("sudah di 3 toko lain · layak standar Anda"),
        "{}",
        r[0].reason_text()
    );
}

#[test]
fn distance_really_matters() {
    let w = MatchWeights::default();
    let r = rank_products(&store(), &[product(1, 9.0, 0), product(2, 1.0, 0)], None, &w);
    assert_eq!(r.iter().map(|s| s.product_id).collect::<Vec<_>>(), [2, 1]);
    assert!(r[0].score > r[1].score);
    let no_distance = MatchWeights { distance: 0.0, ..w };
    let r = rank_products(&store(), &[product(1, 9.0, 0), product(2, 1.0, 0)], None, &no_distance);
    assert!((r[0].score - r[1].score).abs() < 1e-9);
}

#[test]
fn fairness_really_changes_the_order() {
    let w = MatchWeights::default();
    // The nearer producer is already in 8 stores; the farther one in none.
    let near_busy = product(1, 1.0, 8);
    let far_new = product(2, 4.0, 0);
    let r = rank_products(&store(), &[near_busy.clone(), far_new.clone()], None, &w);
    assert_eq!(r[0].product_id, 2);
    let without = MatchWeights { fairness: 0.0, ..w };
    let r = rank_products(&store(), &[near_busy, far_new], None, &without);
    assert_eq!(r[0].product_id, 1);
}

#[test]
fn category_gap_and_capacity_count() {
    let w = MatchWeights::default();
    let mut s = store();
    s.local_categories.insert("minuman".into());
    let mut snack = product(2, 2.0, 0);
    snack.category_slug = "makanan-ringan".into();
    snack.category_name = "Makanan ringan".into();
    let r = rank_products(&s, &[product(1, 2.0, 0), snack], None, &w);
    assert_eq!(r[0].product_id, 2);
    assert!(r[0].reason_text().contains("mengisi kategori makanan ringan"));
    assert!(!r[1].reason_text().contains("mengisi kategori"));
    let mut small = product(3, 2.0, 0);
    small.monthly_capacity = Some(10);
    let r = rank_products(&store(), &[small, product(4, 2.0, 0)], None, &w);
    assert_eq!(r[0].product_id, 4);
    assert!(r[1].reason_text().contains("kapasitas 10/bulan terbatas"));
}

#[test]
fn placed_and_ineligible_products_are_left_out() {
    let mut s = store();
    s.placed_products.insert(1);
    let eligible: HashSet<i64> = [2].into();
    let all = [product(1, 1.0, 0), product(2, 1.0, 0), product(3, 1.0, 0)];
    let r = rank_products(&s, &all, Some(&eligible), &MatchWeights::default());
    assert_eq!(r.iter().map(|x| x.product_id).collect::<Vec<_>>(), [2]);
    let r = rank_products(&s, &all, None, &MatchWeights::default());
    assert_eq!(r.iter().map(|x| x.product_id).collect::<Vec<_>>(), [2, 3]);
}

#[test]
fn stores_furthest_below_their_commitment_come_first() {
    let p = product(1, 0.0, 0);
    let near_full = StoreProfile { store_id: 1, used_facings: 9, ..store() };
    let far_empty =
        StoreProfile { store_id: 2, lat: -6.12 + 6.0 / 111.2, used_facings: 0, ..store() };
    let placed = StoreProfile { store_id: 3, placed_products: [1].into(), ..store() };
    let r = rank_stores(&p, &[near_full, far_empty, placed], &MatchWeights::default());
    assert_eq!(r.iter().map(|x| x.store_id).collect::<Vec<_>>(), [2, 1]);
    assert!(
        r[0].reason_text().contains("10 dari 10 facing lokal masih kosong"),
        "{}",
        r[0].reason_text()
    );
    assert!((shortfall(&store()) - 1.0).abs() < 1e-9);
}

#[test]
fn stores_furthest_below_the_compliance_policy_come_before_empty_shelves() {
    let p = product(1, 0.0, 0);
    // Meets the policy but has an empty local shelf.
    let compliant = StoreProfile { store_id: 1, policy_short: [(0, 2), (0, 3), (0, 2)], ..store() };
    // Has its facings used but lacks two of three agreements and all producers.
    let behind = StoreProfile {
        store_id: 2,
        used_facings: 10,
        policy_short: [(2, 3), (1, 3), (2, 2)],
        ..store()
    };
    let r = rank_stores(&p, &[compliant, behind.clone()], &MatchWeights::default());
    assert_eq!(r.iter().map(|x| x.store_id).collect::<Vec<_>>(), [2, 1]);
    assert!(r[0].reason_text().contains("belum patuh: kurang 2 perjanjian, 1 produk, 2 UMKM"));
    assert!(!r[1].reason_text().contains("belum patuh"));
    assert!((policy_gap(&behind) - (2.0 / 3.0 + 1.0 / 3.0 + 1.0) / 3.0).abs() < 1e-9);
    assert_eq!(policy_gap(&store()), 0.0, "no policy: no gap");
}
