//! Candidate pruning: for each store below the policy, the nearest eligible producers new to
//! the store within reach (a grid index over producer locations), each with its best product for
//! that store (a category the store lacks first), at most `candidates_per_slot × need` of them.

use std::collections::HashMap;

use super::{PlanInput, need_of};
use crate::wilayah::haversine_km;

/// One arc of the plan: a product that may go to a store.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Index into `PlanInput::stores`.
    pub store: usize,
    /// Index into `PlanInput::products`.
    pub product: usize,
    pub producer_id: i64,
    pub distance_km: f64,
    pub new_category: bool,
    /// Distance and category part of the cost (fairness is added by the flow).
    pub base_cost: i64,
}

/// Grid cell size in degrees (about 1.1 km at Kota Serang's latitude).
const CELL_DEG: f64 = 0.01;
const CELL_KM: f64 = 1.1;

fn cell(lat: f64, lon: f64) -> (i64, i64) {
    ((lat / CELL_DEG).floor() as i64, (lon / CELL_DEG).floor() as i64)
}

/// The pruned candidate arcs, grouped by store in store order.
pub fn candidates(input: &PlanInput) -> Vec<Candidate> {
    let w = &input.weights;
    // Producers: their location and products (indices), in a grid.
    let mut of_producer: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, p) in input.products.iter().enumerate() {
        of_producer.entry(p.producer_id).or_default().push(i);
    }
    let mut grid: HashMap<(i64, i64), Vec<i64>> = HashMap::new();
    let mut producer_ids: Vec<i64> = of_producer.keys().copied().collect();
    producer_ids.sort_unstable();
    for id in &producer_ids {
        let p = &input.products[of_producer[id][0]];
        grid.entry(cell(p.lat, p.lon)).or_default().push(*id);
    }
    let max_ring = (w.reach_km / CELL_KM).ceil() as i64 + 1;
    let mut out = Vec::new();
    for (si, s) in input.stores.iter().enumerate() {
        let need = need_of(&input.policy, &s.figures);
        if need == 0 {
            continue;
        }
        let limit = w.candidates_per_slot.max(1) * need as usize;
        let eligible = s.standard_id.map(|id| input.eligible.get(&id));
        let (cy, cx) = cell(s.lat, s.lon);
        let mut found: Vec<Candidate> = Vec::new();
        for r in 0..=max_ring {
            for dy in -r..=r {
                for dx in -r..=r {
                    if dy.abs().max(dx.abs()) != r {
                        continue;
                    }
                    let Some(ids) = grid.get(&(cy + dy, cx + dx)) else { continue };
                    for pid in ids {
                        if s.producers.contains(pid) {
                            continue;
                        }
                        let best = of_producer[pid]
                            .iter()
                            .copied()
                            .filter(|&i| {
                                let prod = &input.products[i];
                                !s.products.contains(&prod.id)
                                    && match eligible {
                                        None => true,
                                        Some(None) => false,
                                        Some(Some(set)) => set.contains(&prod.id),
                                    }
                            })
                            .min_by_key(|&i| {
                                let prod = &input.products[i];
                                (s.categories.contains(&prod.category), prod.id)
                            });
                        let Some(pi) = best else { continue };
                        let prod = &input.products[pi];
                        let km = haversine_km(s.lat, s.lon, prod.lat, prod.lon);
                        if km > w.reach_km {
                            continue;
                        }
                        let new_category = !s.categories.contains(&prod.category);
                        let base_cost = (km * w.distance_per_km).round() as i64
                            + if new_category { 0 } else { w.same_category };
                        found.push(Candidate {
                            store: si,
                            product: pi,
                            producer_id: *pid,
                            distance_km: km,
                            new_category,
                            base_cost,
                        });
                    }
                }
            }
            // Every producer within r cells of the store's cell (at least r × CELL_KM away from
            // the store in any direction) has been seen.
            let covered_km = r as f64 * CELL_KM * 0.98;
            let near = found.iter().filter(|c| c.distance_km <= covered_km).count();
            if near >= limit {
                break;
            }
        }
        found.sort_by_key(|c| (c.base_cost, c.producer_id));
        found.truncate(limit);
        out.extend(found);
    }
    out
}
