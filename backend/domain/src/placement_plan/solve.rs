//! The min-cost maximum flow over the pruned candidates.
//!
//! Network: source → store (capacity = its need) → (store, product) arc (capacity 1, cost =
//! distance + category) → product (capacity = its placement slots left) → producer → sink
//! through unit arcs of cost `fairness × (placements so far + k)` for k = 0, 1, … (convex, so
//! the flow takes them in order: each further placement of a producer costs more).
//!
//! Up to [`EXACT_STORES`] stores the whole city is one flow: the plan is the exact optimum of
//! the LP (a network matrix: integral), and the reported lower bound equals the objective.
//! Above that, the primal-dual algorithm (one Dijkstra per unit of flow) grows quadratically,
//! so stores are solved in spatial tiles of about [`TILE_STORES`] (2.2 km blocks merged in
//! order), each tile's flow optimal given the capacity and fairness counts the tiles before it
//! left. The bound is then a relaxation: placements ≤ the city-wide maximum flow (Dinic,
//! `ac_library::MfGraph`, fast on unit capacities), and cost ≥ the cheapest arcs that could
//! carry that many placements with capacities relaxed (each store's cheapest `need` arcs,
//! fairness counted from existing placements only).

use std::collections::{BTreeMap, HashMap, HashSet};

use ac_library::{MfGraph, MinCostFlowGraph};

use super::report::report;
use super::{Candidate, PlanInput, PlanReport, need_of};

/// Up to this many stores (with candidates) the city is solved as one flow.
pub const EXACT_STORES: usize = 600;
/// Stores per tile above that.
pub const TILE_STORES: usize = 150;

/// Placement slots of each product that has candidates (see the module docs for the unit).
fn slots(input: &PlanInput, cands: &[Candidate]) -> HashMap<usize, i64> {
    let mut max_need: HashMap<usize, i64> = HashMap::new();
    for c in cands {
        let need = input.stores[c.store].monthly_need.max(1);
        let e = max_need.entry(c.product).or_insert(need);
        *e = (*e).max(need);
    }
    max_need
        .into_iter()
        .map(|(p, need)| {
            let s = match input.products[p].monthly_capacity {
                Some(cap) => cap.max(0) / need,
                None => 1,
            };
            (p, s)
        })
        .collect()
}

/// Solves one group of candidates (indices into `cands`) given the slots left and the
/// placements each producer has so far; returns the chosen candidates and updates both.
fn solve_part(
    input: &PlanInput,
    cands: &[Candidate],
    part: &[usize],
    needs: &[i64],
    slots_left: &mut HashMap<usize, i64>,
    so_far: &mut HashMap<i64, i64>,
) -> (Vec<usize>, i64) {
    let mut node: HashMap<(u8, i64), usize> = HashMap::new();
    let mut next = 2usize;
    let mut id = |kind: u8, key: i64| {
        *node.entry((kind, key)).or_insert_with(|| {
            next += 1;
            next - 1
        })
    };
    // (from, to, cap, cost, candidate index for store → product arcs)
    let mut edges: Vec<(usize, usize, i64, i64, Option<usize>)> = Vec::new();
    let mut indeg: BTreeMap<i64, i64> = BTreeMap::new();
    let mut producer_slots: HashMap<i64, i64> = HashMap::new();
    let mut limit = 0i64;
    let (mut seen_s, mut seen_p) = (HashSet::new(), HashSet::new());
    for &ci in part {
        let c = &cands[ci];
        let (s_new, p_new) = (seen_s.insert(c.store), seen_p.insert(c.product));
        let s = id(0, c.store as i64);
        let p = id(1, c.product as i64);
        let pr = id(2, c.producer_id);
        if s_new {
            edges.push((0, s, needs[c.store], 0, None));
            limit += needs[c.store];
        }
        edges.push((s, p, 1, c.base_cost, Some(ci)));
        if p_new {
            let cap = slots_left.get(&c.product).copied().unwrap_or(0);
            edges.push((p, pr, cap, 0, None));
            *producer_slots.entry(c.producer_id).or_default() += cap;
        }
        *indeg.entry(c.producer_id).or_default() += 1;
    }
    for (pid, deg) in &indeg {
        let pr = id(2, *pid);
        let before = so_far.get(pid).copied().unwrap_or(0);
        for k in 0..(*deg).min(producer_slots.get(pid).copied().unwrap_or(0)) {
            edges.push((pr, 1, 1, input.weights.fairness * (before + k), None));
        }
    }
    let mut g: MinCostFlowGraph<i64> = MinCostFlowGraph::new(next);
    let mut arcs = Vec::new();
    for (from, to, cap, cost, cand) in &edges {
        let e = g.add_edge(*from, *to, *cap, *cost);
        if let Some(ci) = cand {
            arcs.push((e, *ci));
        }
    }
    let (_, cost) = g.flow(0, 1, limit);
    let chosen: Vec<usize> =
        arcs.into_iter().filter(|(e, _)| g.get_edge(*e).flow > 0).map(|(_, ci)| ci).collect();
    for &ci in &chosen {
        let c = &cands[ci];
        if let Some(s) = slots_left.get_mut(&c.product) {
            *s -= 1;
        }
        *so_far.entry(c.producer_id).or_default() += 1;
    }
    (chosen, cost)
}

/// Groups of candidate indices: one group (exact), or spatial tiles.
fn parts(input: &PlanInput, cands: &[Candidate], stores: usize) -> Vec<Vec<usize>> {
    if stores <= input.weights.exact_stores {
        return vec![(0..cands.len()).collect()];
    }
    let tile = TILE_STORES.min(input.weights.exact_stores.max(1));
    let mut blocks: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (ci, c) in cands.iter().enumerate() {
        let s = &input.stores[c.store];
        let key = ((s.lat / 0.02).floor() as i64, (s.lon / 0.02).floor() as i64);
        blocks.entry(key).or_default().push(ci);
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    let mut cur_stores = 0usize;
    for (_, list) in blocks {
        let mut last = usize::MAX;
        for ci in list {
            if cands[ci].store != last {
                cur_stores += 1;
                last = cands[ci].store;
            }
            cur.push(ci);
        }
        if cur_stores >= tile {
            out.push(std::mem::take(&mut cur));
            cur_stores = 0;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The city-wide maximum number of placements (capacities and needs, no costs).
fn max_placements(
    input: &PlanInput,
    cands: &[Candidate],
    needs: &[i64],
    slots: &HashMap<usize, i64>,
) -> i64 {
    let n_st = input.stores.len();
    let n_pr = input.products.len();
    let mut g: MfGraph<i64> = MfGraph::new(2 + n_st + n_pr);
    let mut seen_s = vec![false; n_st];
    let mut seen_p: HashMap<usize, ()> = HashMap::new();
    for c in cands {
        if !seen_s[c.store] {
            seen_s[c.store] = true;
            g.add_edge(0, 2 + c.store, needs[c.store]);
        }
        g.add_edge(2 + c.store, 2 + n_st + c.product, 1);
        if seen_p.insert(c.product, ()).is_none() {
            g.add_edge(2 + n_st + c.product, 1, slots.get(&c.product).copied().unwrap_or(0));
        }
    }
    g.flow(0, 1)
}

/// A lower bound on the cost of any plan with `placements` placements, as the sum of two
/// relaxations over the same count: the distance and category part (each store's cheapest
/// `need` arcs, the cheapest `placements` of them over the city, capacities dropped) and the
/// fairness part (the cheapest `placements` fairness steps `fairness × (existing + k)` over all
/// producers, k below what their arcs and slots allow — a separable convex allocation).
fn cost_bound(
    input: &PlanInput,
    cands: &[Candidate],
    needs: &[i64],
    slots: &HashMap<usize, i64>,
    placements: i64,
) -> i64 {
    let take = placements.max(0) as usize;
    let mut per_store: HashMap<usize, Vec<i64>> = HashMap::new();
    let mut indeg: HashMap<i64, i64> = HashMap::new();
    for c in cands {
        per_store.entry(c.store).or_default().push(c.base_cost);
        *indeg.entry(c.producer_id).or_default() += 1;
    }
    let mut pool = Vec::new();
    for (s, mut costs) in per_store {
        costs.sort_unstable();
        pool.extend(costs.into_iter().take(needs[s].max(0) as usize));
    }
    pool.sort_unstable();
    let base: i64 = pool.into_iter().take(take).sum();
    let mut producer_slots: HashMap<i64, i64> = HashMap::new();
    for (p, n) in slots {
        *producer_slots.entry(input.products[*p].producer_id).or_default() += n;
    }
    let mut steps = Vec::new();
    for (pid, deg) in indeg {
        let e = input.producer_placements.get(&pid).copied().unwrap_or(0).max(0);
        let n = deg.min(producer_slots.get(&pid).copied().unwrap_or(0)).min(placements);
        steps.extend((0..n).map(|k| input.weights.fairness * (e + k)));
    }
    steps.sort_unstable();
    base + steps.into_iter().take(take).sum::<i64>()
}

/// Solves the flow over `cands` and reports the plan.
pub fn solve(input: &PlanInput, cands: &[Candidate]) -> PlanReport {
    let slots = slots(input, cands);
    let needs: Vec<i64> = input.stores.iter().map(|s| need_of(&input.policy, &s.figures)).collect();
    let mut cand_count = vec![0i64; input.stores.len()];
    for c in cands {
        cand_count[c.store] += 1;
    }
    let with_cands = cand_count.iter().filter(|&&n| n > 0).count();
    let mut slots_left = slots.clone();
    let mut so_far: HashMap<i64, i64> = input.producer_placements.clone();
    let groups = parts(input, cands, with_cands);
    let exact = groups.len() <= 1;
    let (mut chosen, mut flow_cost) = (Vec::new(), 0i64);
    for part in &groups {
        let (c, cost) = solve_part(input, cands, part, &needs, &mut slots_left, &mut so_far);
        chosen.extend(c);
        flow_cost += cost;
    }
    super::repair::complete_short_stores(cands, &needs, &mut chosen, &mut slots_left);
    let mut r = report(input, cands, &needs, &cand_count, &chosen);
    let flow_bound = max_placements(input, cands, &needs, &slots);
    r.placements_upper_bound = flow_bound;
    r.compliant_upper_bound =
        super::report::compliant_bound(&needs, &cand_count, flow_bound).max(r.stores_reaching);
    r.exact = exact;
    r.tiles = groups.len();
    r.lower_bound = if exact {
        flow_cost.min(r.objective)
    } else {
        cost_bound(input, cands, &needs, &slots, r.placements.len() as i64)
    };
    r
}
