//! The Indonesian reasons attached to each match.

use super::{ProductProfile, StoreProfile};

/// "2,1 km" (one decimal, decimal comma).
pub fn km_label(km: f64) -> String {
    format!("{km:.1} km").replace('.', ",")
}

fn fairness_reason(p: &ProductProfile) -> String {
    match p.producer_store_count {
        0 => "belum ada di toko lain".to_string(),
        n => format!("sudah di {n} toko lain"),
    }
}

pub fn for_product(
    store: &StoreProfile,
    p: &ProductProfile,
    km: f64,
    standard_known: bool,
) -> Vec<String> {
    let mut r = vec![km_label(km)];
    if p.halal {
        r.push("halal".into());
    }
    if !store.local_categories.contains(&p.category_slug) {
        r.push(format!("mengisi kategori {}", p.category_name.to_lowercase()));
    }
    match p.monthly_capacity {
        Some(c) if c >= store.monthly_need => r.push(format!("kapasitas {c}/bulan cukup")),
        Some(c) => r.push(format!("kapasitas {c}/bulan terbatas")),
        None => {}
    }
    r.push(fairness_reason(p));
    if standard_known {
        r.push("layak standar Anda".into());
    }
    r
}

pub fn for_store(s: &StoreProfile, p: &ProductProfile, km: f64) -> Vec<String> {
    let mut r = vec![km_label(km)];
    let [(agreements, _), (products, _), (producers, _)] = s.policy_short;
    let short: Vec<String> =
        [(agreements, "perjanjian"), (products, "produk"), (producers, "UMKM")]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
    if !short.is_empty() {
        r.push(format!("belum patuh: kurang {}", short.join(", ")));
    }
    if s.local_facings > 0 {
        let free = (s.local_facings - s.used_facings).max(0);
        r.push(format!("{free} dari {} facing lokal masih kosong", s.local_facings));
    }
    if !s.local_categories.contains(&p.category_slug) {
        r.push(format!("rak lokal belum punya {}", p.category_name.to_lowercase()));
    }
    if p.monthly_capacity.is_some_and(|c| c < s.monthly_need) {
        r.push("kebutuhan toko melebihi kapasitas Anda".into());
    }
    r
}
