//! Owns matching, pure: which published products suit a store (and which stores suit a
//! product), scored by distance from producer to store, the categories the store's local
//! shelf lacks, producer capacity against the store's need, and fairness — producers with no
//! or few placements rank above those already in many stores (Perwal 74/2023 Pasal 2). Every
//! result carries its reasons in Indonesian ("2,1 km · halal · mengisi kategori minuman ·
//! belum ada di toko lain · layak standar Anda").

mod reasons;

use crate::wilayah::haversine_km;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Weights of the four parts of the score (configuration); each part is in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchWeights {
    pub distance: f64,
    pub category_gap: f64,
    pub capacity: f64,
    pub fairness: f64,
    /// Beyond this distance (km) the distance part is zero.
    pub max_distance_km: f64,
}

impl Default for MatchWeights {
    fn default() -> Self {
        MatchWeights {
            distance: 0.30,
            category_gap: 0.25,
            capacity: 0.15,
            fairness: 0.30,
            max_distance_km: 20.0,
        }
    }
}

/// What matching needs to know about a store.
#[derive(Debug, Clone, Default)]
pub struct StoreProfile {
    pub store_id: i64,
    pub lat: f64,
    pub lon: f64,
    /// Category slugs already on its local shelf (live agreements).
    pub local_categories: HashSet<String>,
    /// Products already placed or under negotiation there.
    pub placed_products: HashSet<i64>,
    /// Units a month of one local product the store needs.
    pub monthly_need: i64,
    /// Facings set aside for local products, and those already used by live agreements.
    pub local_facings: i64,
    pub used_facings: i64,
    /// Against the compliance policy in force: (missing, required) agreements, products and
    /// UMKM; all zero when no policy is set.
    pub policy_short: [(i64, i64); 3],
}

/// A published product that might go on a shelf.
#[derive(Debug, Clone, Default)]
pub struct ProductProfile {
    pub product_id: i64,
    pub producer_id: i64,
    pub category_slug: String,
    /// Category name for the reasons, e.g. "Minuman".
    pub category_name: String,
    pub producer_lat: f64,
    pub producer_lon: f64,
    pub monthly_capacity: Option<i64>,
    pub halal: bool,
    /// Stores the producer is already in (live agreements).
    pub producer_store_count: u32,
}

/// One scored pairing with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub product_id: i64,
    pub store_id: i64,
    /// 0..=1, higher is better.
    pub score: f64,
    pub distance_km: f64,
    pub reasons: Vec<String>,
}

impl Scored {
    /// The reasons joined with " · ".
    pub fn reason_text(&self) -> String {
        self.reasons.join(" · ")
    }
}

fn parts(store: &StoreProfile, p: &ProductProfile, w: &MatchWeights) -> (f64, f64) {
    let km = haversine_km(p.producer_lat, p.producer_lon, store.lat, store.lon);
    let distance =
        if w.max_distance_km > 0.0 { (1.0 - km / w.max_distance_km).clamp(0.0, 1.0) } else { 0.0 };
    let gap = if store.local_categories.contains(&p.category_slug) { 0.0 } else { 1.0 };
    let capacity = match p.monthly_capacity {
        Some(c) if store.monthly_need > 0 => (c as f64 / store.monthly_need as f64).clamp(0.0, 1.0),
        Some(_) => 1.0,
        None => 0.0,
    };
    let fairness = 1.0 / (1.0 + f64::from(p.producer_store_count));
    let total = w.distance + w.category_gap + w.capacity + w.fairness;
    let raw = w.distance * distance
        + w.category_gap * gap
        + w.capacity * capacity
        + w.fairness * fairness;
    (if total > 0.0 { raw / total } else { 0.0 }, km)
}

fn by_score(a: &Scored, b: &Scored) -> std::cmp::Ordering {
    b.score
        .total_cmp(&a.score)
        .then(a.distance_km.total_cmp(&b.distance_km))
        .then(a.product_id.cmp(&b.product_id))
}

/// Products for one store, best first: those not yet placed there and, when `eligible` is
/// given (the store's standard), only eligible ones ("layak standar Anda").
pub fn rank_products(
    store: &StoreProfile,
    candidates: &[ProductProfile],
    eligible: Option<&HashSet<i64>>,
    w: &MatchWeights,
) -> Vec<Scored> {
    let mut out: Vec<Scored> = candidates
        .iter()
        .filter(|p| !store.placed_products.contains(&p.product_id))
        .filter(|p| eligible.is_none_or(|e| e.contains(&p.product_id)))
        .map(|p| {
            let (score, km) = parts(store, p, w);
            Scored {
                product_id: p.product_id,
                store_id: store.store_id,
                score,
                distance_km: km,
                reasons: reasons::for_product(store, p, km, eligible.is_some()),
            }
        })
        .collect();
    out.sort_by(by_score);
    out
}

/// Share of the store's local facings still unfilled (0..=1; 0 when it promised none).
pub fn shortfall(store: &StoreProfile) -> f64 {
    if store.local_facings <= 0 {
        return 0.0;
    }
    ((store.local_facings - store.used_facings) as f64 / store.local_facings as f64).clamp(0.0, 1.0)
}

/// How far the store is below the compliance policy (0: meets it or no policy, 1: has none
/// of what it needs): the mean, over the policy's thresholds, of the share still missing.
pub fn policy_gap(store: &StoreProfile) -> f64 {
    let parts: Vec<f64> = store
        .policy_short
        .iter()
        .filter(|(_, required)| *required > 0)
        .map(|(missing, required)| (*missing as f64 / *required as f64).clamp(0.0, 1.0))
        .collect();
    if parts.is_empty() { 0.0 } else { parts.iter().sum::<f64>() / parts.len() as f64 }
}

/// Stores for one product (the caller leaves out those whose standard it fails): those where
/// it is not placed yet, furthest below the compliance policy first, then furthest below their
/// local-shelf commitment (both in steps of a quarter), then by the same score.
pub fn rank_stores(
    product: &ProductProfile,
    stores: &[StoreProfile],
    w: &MatchWeights,
) -> Vec<Scored> {
    let quarter = |x: f64| (x * 4.0).floor() as u8;
    let mut out: Vec<((u8, u8), Scored)> = stores
        .iter()
        .filter(|s| !s.placed_products.contains(&product.product_id))
        .map(|s| {
            let (score, km) = parts(s, product, w);
            let buckets = (quarter(policy_gap(s)), quarter(shortfall(s)));
            (
                buckets,
                Scored {
                    product_id: product.product_id,
                    store_id: s.store_id,
                    score,
                    distance_km: km,
                    reasons: reasons::for_store(s, product, km),
                },
            )
        })
        .collect();
    out.sort_by(|a, b| {
        b.0.cmp(&a.0).then(by_score(&a.1, &b.1)).then(a.1.store_id.cmp(&b.1.store_id))
    });
    out.into_iter().map(|(_, s)| s).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
