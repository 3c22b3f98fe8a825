//! The plan's report from the chosen arcs: placements with their cost, the stores reaching the
//! policy, the infeasible stores and why, the producers lifted.

use std::collections::HashMap;

use super::{Candidate, Infeasibility, InfeasibleStore, Placement, PlanInput, PlanReport};

/// The most stores whose needs fit in `flow` placements, among those with enough candidates.
pub fn compliant_bound(needs: &[i64], cand_count: &[i64], flow: i64) -> usize {
    let mut feasible: Vec<i64> = (0..needs.len())
        .filter(|&i| needs[i] > 0 && cand_count[i] >= needs[i])
        .map(|i| needs[i])
        .collect();
    feasible.sort_unstable();
    let (mut left, mut bound) = (flow, 0usize);
    for n in feasible {
        if n > left {
            break;
        }
        left -= n;
        bound += 1;
    }
    bound
}

pub fn report(
    input: &PlanInput,
    cands: &[Candidate],
    needs: &[i64],
    cand_count: &[i64],
    chosen: &[usize],
) -> PlanReport {
    let mut chosen: Vec<&Candidate> = chosen.iter().map(|&i| &cands[i]).collect();
    // A producer's cheapest placements take its cheapest fairness steps (the sum is the same).
    chosen.sort_by_key(|c| (c.producer_id, c.base_cost, c.store));
    let mut planned = vec![0i64; input.stores.len()];
    let mut placements = Vec::with_capacity(chosen.len());
    let mut k_of: HashMap<i64, i64> = HashMap::new();
    let mut lifted = 0usize;
    for c in chosen {
        let existing = input.producer_placements.get(&c.producer_id).copied().unwrap_or(0).max(0);
        let k = k_of.entry(c.producer_id).or_default();
        let first = existing == 0 && *k == 0;
        lifted += usize::from(first);
        placements.push(Placement {
            store_id: input.stores[c.store].id,
            product_id: input.products[c.product].id,
            producer_id: c.producer_id,
            distance_km: (c.distance_km * 10.0).round() / 10.0,
            new_category: c.new_category,
            first_for_producer: first,
            cost: c.base_cost + input.weights.fairness * (existing + *k),
        });
        *k += 1;
        planned[c.store] += 1;
    }
    placements.sort_by_key(|p| (p.store_id, p.product_id));
    let below: Vec<usize> = (0..input.stores.len()).filter(|&i| needs[i] > 0).collect();
    let reaching = below.iter().filter(|&&i| planned[i] >= needs[i]).count();
    let infeasible = below
        .iter()
        .filter(|&&i| planned[i] < needs[i])
        .map(|&i| InfeasibleStore {
            store_id: input.stores[i].id,
            reason: if cand_count[i] == 0 {
                Infeasibility::NoEligibleInReach
            } else if cand_count[i] < needs[i] {
                Infeasibility::TooFewProducers
            } else {
                Infeasibility::CapacityExhausted
            },
            needed: needs[i],
            planned: planned[i],
            candidates: cand_count[i],
        })
        .collect();
    let objective = placements.iter().map(|p| p.cost).sum();
    PlanReport {
        placements,
        objective,
        lower_bound: objective,
        stores_below: below.len(),
        stores_reaching: reaching,
        compliant_upper_bound: reaching,
        infeasible,
        producers_lifted: lifted,
        candidate_arcs: cands.len(),
        placements_upper_bound: 0,
        exact: true,
        tiles: 1,
    }
}
