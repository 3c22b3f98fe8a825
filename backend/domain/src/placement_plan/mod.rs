//! Owns the city-wide placement plan (issue 16): which (store, product) placements would bring
//! as many stores as possible to the compliance policy in force, each placement eligible under
//! the store's standard, no producer promised more than it can supply, preferring nearby
//! producers, categories the store lacks and producers with few placements.
//!
//! **Model.** A store's gap is `need = max(N − agreements, M − products, K − producers)` of the
//! policy (N agreements, M products, K producers). Every planned placement is one product of a
//! producer *new to that store* and becomes its own draft agreement, so it adds one agreement,
//! one product and one producer: `need` placements from `need` distinct producers close the gap
//! exactly. At most one product per (store, producer) is a candidate (the producer's best one for
//! that store), which makes "one placement per (store, product)" and "distinct producers" hold by
//! construction.
//!
//! **Capacity unit.** A product's `monthly_capacity` is in pieces per month; a placement consumes
//! the monthly need of the store's format (`StoreFormat::monthly_need`: 60 for a minimarket, 200
//! for a supermarket, …). To keep the problem a network flow the unit is one *placement slot* of
//! a product = the largest monthly need among the stores that have it as a candidate, so
//! `slots = capacity / that need` (rounded down) never promises more than the stated capacity.
//! A product with no stated capacity gets one slot (it can be promised to one store until the
//! UMKM states its capacity). A producer's total is the sum of its products' slots.
//!
//! **Objective** (integers, minimised after the number of placements is maximised):
//! `distance_per_km × km`, plus `same_category` when the store already has the product's
//! category, plus `fairness × (placements the producer already has + k)` for the producer's k-th
//! new placement (k = 0, 1, …): an increasing marginal cost per extra placement of the same
//! producer, so spreading placements over producers is cheaper (convex, hence exact in a flow).
//! The weights are [`PlanWeights`]; the default fairness weight is 8 per placement, i.e. one
//! extra placement of a producer costs as much as 0.8 km of distance.
//!
//! **Solver.** `ac-library-rs` (the Rust port of the AtCoder Library, CC0, no dependencies,
//! pure Rust, compiles in seconds): its `MinCostFlowGraph` (primal-dual successive shortest
//! paths with Dijkstra potentials) gives a min-cost *maximum* flow, which is exactly the LP
//! optimum of the placement problem (the constraint matrix is a network matrix, so the LP has an
//! integral optimum: the cost reported is also the lower bound, gap 0, for the number of
//! placements found). We tried `good_lp` with the pure-Rust `microlp` simplex on the same LP:
//! 3.2 s for 500 stores and 16 s for 1,000, growing too fast for 5,000; `rs-graph`'s network
//! simplex is GPL. The all-or-nothing part (a store counts only when its whole gap is closed) is
//! not a flow: the flow maximises placements, then a repair step moves slots between stores left
//! short so that more of them are completed (`repair`); we report the stores brought to the
//! policy and an upper bound on how many any plan could (see
//! [`PlanReport::compliant_upper_bound`]).
//!
//! **Pruning.** Per store only the nearest `candidates_per_slot × need` eligible producers within
//! `reach_km` are arcs (a grid index over producer locations), so the graph has
//! O(stores × need) arcs whatever the number of products.

mod prune;
mod repair;
mod report;
mod solve;

pub use prune::{Candidate, candidates};
pub use solve::{EXACT_STORES, TILE_STORES, solve};

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::compliance::{Figures, Policy};

/// The weights of the objective, all per placement (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlanWeights {
    /// Cost per kilometre between the producer and the store.
    pub distance_per_km: f64,
    /// Cost of a product whose category the store already has on its local shelf.
    pub same_category: i64,
    /// Marginal cost of each further placement of the same producer (fairness).
    pub fairness: i64,
    /// Only producers within this distance of the store are candidates.
    pub reach_km: f64,
    /// Candidate producers kept per missing placement of a store.
    pub candidates_per_slot: usize,
    /// Up to this many stores (with candidates) the city is one exact flow; above, tiles.
    pub exact_stores: usize,
}

impl Default for PlanWeights {
    fn default() -> Self {
        Self {
            distance_per_km: 10.0,
            same_category: 15,
            fairness: 8,
            reach_km: 15.0,
            candidates_per_slot: 4,
            exact_stores: EXACT_STORES,
        }
    }
}

/// One store as the plan sees it.
#[derive(Debug, Clone, Default)]
pub struct PlanStore {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
    /// The standard in force for the store (its chain's, else the baseline); `None` = every
    /// product in the input may go there.
    pub standard_id: Option<i64>,
    /// Its figures today (counting agreements).
    pub figures: Figures,
    /// Producers already at the store (under live or proposed agreements).
    pub producers: HashSet<i64>,
    /// Products already at the store.
    pub products: HashSet<i64>,
    /// Categories on its local shelf.
    pub categories: HashSet<String>,
    /// Pieces of one product it sells in a month (its format's need).
    pub monthly_need: i64,
}

/// One candidate product.
#[derive(Debug, Clone, Default)]
pub struct PlanProduct {
    pub id: i64,
    pub producer_id: i64,
    pub category: String,
    /// The producer's place of business.
    pub lat: f64,
    pub lon: f64,
    /// Pieces per month; `None` = not stated.
    pub monthly_capacity: Option<i64>,
}

/// Everything the plan needs.
#[derive(Debug, Clone)]
pub struct PlanInput {
    pub policy: Policy,
    pub stores: Vec<PlanStore>,
    pub products: Vec<PlanProduct>,
    /// For each standard id, the products eligible under it.
    pub eligible: HashMap<i64, HashSet<i64>>,
    /// Placements each producer already has (live agreements over all stores).
    pub producer_placements: HashMap<i64, i64>,
    pub weights: PlanWeights,
}

/// One proposed placement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    pub store_id: i64,
    pub product_id: i64,
    pub producer_id: i64,
    pub distance_km: f64,
    /// The store has no product of this category yet.
    pub new_category: bool,
    /// This is the producer's first placement anywhere.
    pub first_for_producer: bool,
    /// Its share of the objective (distance + category + fairness).
    pub cost: i64,
}

/// Why a store cannot be brought to the policy by this plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Infeasibility {
    /// No eligible product of a producer new to the store within reach.
    NoEligibleInReach,
    /// Fewer distinct eligible producers within reach than placements needed.
    TooFewProducers,
    /// Enough producers within reach, but their capacity went to other stores.
    CapacityExhausted,
}

impl Infeasibility {
    pub fn code(self) -> &'static str {
        match self {
            Self::NoEligibleInReach => "no_eligible_in_reach",
            Self::TooFewProducers => "too_few_producers",
            Self::CapacityExhausted => "capacity_exhausted",
        }
    }
    pub fn message(self) -> &'static str {
        match self {
            Self::NoEligibleInReach => {
                "Tidak ada produk yang memenuhi standar toko dalam jangkauan."
            }
            Self::TooFewProducers => {
                "UMKM yang produknya memenuhi standar dalam jangkauan terlalu sedikit."
            }
            Self::CapacityExhausted => "Kapasitas UMKM di sekitar sudah habis untuk toko lain.",
        }
    }
}

/// A store the plan cannot bring to the policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InfeasibleStore {
    pub store_id: i64,
    pub reason: Infeasibility,
    /// Placements it needs.
    pub needed: i64,
    /// Placements the plan gives it (it still gets them: each brings it closer).
    pub planned: i64,
    /// Distinct eligible producers within reach.
    pub candidates: i64,
}

/// The computed plan and its figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlanReport {
    pub placements: Vec<Placement>,
    /// Total cost of the placements (the objective after maximising their number).
    pub objective: i64,
    /// A lower bound on the cost of any plan with as many placements: the flow's own optimum
    /// when solved exactly (a flow LP is integral), else the relaxation of `solve`.
    pub lower_bound: i64,
    /// Stores below the policy before the plan.
    pub stores_below: usize,
    /// Stores the plan brings to the policy.
    pub stores_reaching: usize,
    /// An upper bound on the stores any plan could bring to the policy: the most stores whose
    /// needs fit in the maximum number of placements, among those with enough candidates.
    pub compliant_upper_bound: usize,
    pub infeasible: Vec<InfeasibleStore>,
    /// Producers getting their first placement anywhere.
    pub producers_lifted: usize,
    /// Arcs (store, candidate product) after pruning.
    pub candidate_arcs: usize,
    /// No plan can place more (the city-wide maximum flow over the same arcs).
    pub placements_upper_bound: i64,
    /// True when the city was solved as one flow (then `lower_bound == objective`).
    pub exact: bool,
    /// Spatial tiles solved in turn (1 when exact).
    pub tiles: usize,
}

/// Placements store `s` needs to meet `policy` when each brings a new producer.
pub fn need_of(policy: &Policy, f: &Figures) -> i64 {
    (policy.min_agreements - f.agreements)
        .max(policy.min_products - f.products)
        .max(policy.min_producers - f.producers)
        .max(0)
}

/// Builds the plan: prune, solve, report.
pub fn plan(input: &PlanInput) -> PlanReport {
    let cands = candidates(input);
    solve(input, &cands)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
