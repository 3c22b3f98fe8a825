use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::*;
use crate::wilayah::haversine_km;

const LON: f64 = 106.15;

fn policy(n: i64, m: i64, k: i64) -> Policy {
    Policy {
        id: 1,
        min_agreements: n,
        min_products: m,
        min_producers: k,
        effective_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    }
}

fn store(id: i64, lat: f64) -> PlanStore {
    PlanStore { id, lat, lon: LON, monthly_need: 60, ..Default::default() }
}

fn product(id: i64, producer_id: i64, lat: f64, capacity: Option<i64>) -> PlanProduct {
    PlanProduct {
        id,
        producer_id,
        category: "makanan-ringan".into(),
        lat,
        lon: LON,
        monthly_capacity: capacity,
    }
}

fn input(p: Policy, stores: Vec<PlanStore>, products: Vec<PlanProduct>) -> PlanInput {
    PlanInput {
        policy: p,
        stores,
        products,
        eligible: HashMap::new(),
        producer_placements: HashMap::new(),
        weights: PlanWeights { fairness: 0, same_category: 0, ..PlanWeights::default() },
    }
}

fn km_cost(a: f64, b: f64) -> i64 {
    (haversine_km(a, LON, b, LON) * 10.0).round() as i64
}

#[test]
fn need_is_the_largest_gap_of_the_policy() {
    let p = policy(3, 5, 2);
    let f = Figures { agreements: 2, products: 1, producers: 2 };
    assert_eq!(need_of(&p, &f), 4);
    assert_eq!(need_of(&p, &Figures { agreements: 3, products: 6, producers: 2 }), 0);
}

#[test]
fn small_case_reaches_the_hand_computed_optimum_not_the_greedy_one() {
    // A at -6.100 and B at -6.130; P1 at -6.110 (1.1 km from A, 2.2 km from B), P2 at -6.085
    // (1.7 km from A, 5.0 km from B); each producer can supply one minimarket (60 a month).
    let i = input(
        policy(1, 1, 1),
        vec![store(1, -6.100), store(2, -6.130)],
        vec![product(11, 101, -6.110, Some(60)), product(12, 102, -6.085, Some(60))],
    );
    let greedy = km_cost(-6.100, -6.110) + km_cost(-6.130, -6.085); // A takes its nearest, P1
    let best = km_cost(-6.100, -6.085) + km_cost(-6.130, -6.110); // A ← P2, B ← P1
    assert_eq!((greedy, best), (61, 39));
    let r = plan(&i);
    let pairs: HashSet<(i64, i64)> =
        r.placements.iter().map(|p| (p.store_id, p.product_id)).collect();
    assert_eq!(pairs, HashSet::from([(1, 12), (2, 11)]));
    assert_eq!(r.objective, 39);
    assert_eq!(r.lower_bound, 39);
    assert_eq!((r.stores_below, r.stores_reaching, r.compliant_upper_bound), (2, 2, 2));
    assert_eq!(r.producers_lifted, 2);
    assert!(r.infeasible.is_empty());
}

#[test]
fn stores_that_cannot_comply_say_why() {
    let mut i = input(
        policy(2, 2, 2),
        vec![
            store(1, -6.100), // needs 2, two producers near
            PlanStore { standard_id: Some(7), ..store(2, -6.101) }, // its standard admits nothing
            store(3, -6.500), // 44 km away from everything
            PlanStore {
                figures: Figures { agreements: 1, products: 1, producers: 1 },
                ..store(4, -6.102)
            },
        ],
        vec![product(11, 101, -6.105, Some(60)), product(12, 102, -6.106, Some(60))],
    );
    i.stores[3].producers.insert(999);
    i.eligible.insert(7, HashSet::new());
    let r = plan(&i);
    let why: HashMap<i64, Infeasibility> =
        r.infeasible.iter().map(|s| (s.store_id, s.reason)).collect();
    assert_eq!(why.get(&2), Some(&Infeasibility::NoEligibleInReach));
    assert_eq!(why.get(&3), Some(&Infeasibility::NoEligibleInReach));
    // Store 1 needs both producers and store 4 one of them, but each can supply one store
    // only: one of them misses out on capacity.
    let short: Vec<&InfeasibleStore> =
        r.infeasible.iter().filter(|s| s.reason == Infeasibility::CapacityExhausted).collect();
    assert_eq!(short.len(), 1, "{:?}", r.infeasible);
    assert!(short[0].planned < short[0].needed);
    // A store needing three with two producers in reach has too few producers.
    let mut j = i.clone();
    j.policy = policy(3, 3, 3);
    j.stores.truncate(1);
    let r = plan(&j);
    assert_eq!(r.infeasible[0].reason, Infeasibility::TooFewProducers);
    assert_eq!((r.infeasible[0].needed, r.infeasible[0].candidates), (3, 2));
    assert_eq!(r.placements.len(), 2, "it still gets what is there");
}

#[test]
fn the_fairness_weight_spreads_placements_over_producers() {
    // Both stores are nearest to P1 (able to supply both); P2 is 1.1 km further and can
    // supply one store.
    let mut i = input(
        policy(1, 1, 1),
        vec![store(1, -6.100), store(2, -6.101)],
        vec![product(11, 101, -6.100, Some(600)), product(12, 102, -6.090, Some(60))],
    );
    i.producer_placements.insert(101, 3);
    let r = plan(&i);
    assert!(r.placements.iter().all(|p| p.producer_id == 101), "{:?}", r.placements);
    assert_eq!(r.producers_lifted, 0);
    i.weights.fairness = 50;
    let r = plan(&i);
    let producers: HashSet<i64> = r.placements.iter().map(|p| p.producer_id).collect();
    assert_eq!(producers, HashSet::from([101, 102]));
    assert_eq!(r.producers_lifted, 1, "P2 gets its first placement");
    assert_eq!(r.objective, r.placements.iter().map(|p| p.cost).sum::<i64>());
}

/// A small deterministic generator (no rand crate in the domain).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, m: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % m
    }
}

#[test]
fn constraints_hold_on_every_output() {
    for seed in 1..6u64 {
        check_constraints(seed, usize::MAX);
    }
}

#[test]
fn constraints_hold_when_the_city_is_solved_in_tiles() {
    for seed in 1..3u64 {
        let r = check_constraints(seed, 5);
        assert!(r.tiles > 1 && !r.exact, "tiles: {}", r.tiles);
        assert!(r.lower_bound <= r.objective);
    }
}

fn check_constraints(seed: u64, exact_stores: usize) -> PlanReport {
    {
        let mut g = Lcg(seed);
        let cats = ["makanan-ringan", "minuman", "bumbu", "kerajinan"];
        let products: Vec<PlanProduct> = (0..80)
            .map(|i| {
                let producer = (i % 25) as i64;
                PlanProduct {
                    id: 1000 + i as i64,
                    producer_id: producer,
                    category: cats[g.next(4) as usize].into(),
                    lat: -6.08 - (producer as f64) * 0.004,
                    lon: LON + (producer % 5) as f64 * 0.01,
                    monthly_capacity: if g.next(5) == 0 { None } else { Some(g.next(400) as i64) },
                }
            })
            .collect();
        let mut stores: Vec<PlanStore> = (0..40)
            .map(|i| PlanStore {
                id: i,
                lat: -6.08 - g.next(100) as f64 * 0.001,
                lon: LON + g.next(50) as f64 * 0.001,
                standard_id: if i % 3 == 0 { Some(1) } else { None },
                monthly_need: if i % 7 == 0 { 200 } else { 60 },
                figures: Figures { agreements: g.next(3) as i64, products: 1, producers: 1 },
                ..Default::default()
            })
            .collect();
        for s in stores.iter_mut().step_by(4) {
            s.producers.insert(g.next(25) as i64);
            s.categories.insert("minuman".into());
        }
        let eligible_1: HashSet<i64> =
            products.iter().filter(|p| p.id % 2 == 0).map(|p| p.id).collect();
        let mut i = input(policy(3, 4, 3), stores, products);
        i.weights = PlanWeights { exact_stores, ..PlanWeights::default() };
        i.eligible.insert(1, eligible_1.clone());
        let r = plan(&i);
        assert!(!r.placements.is_empty());
        let store_of: HashMap<i64, &PlanStore> = i.stores.iter().map(|s| (s.id, s)).collect();
        let prod_of: HashMap<i64, &PlanProduct> = i.products.iter().map(|p| (p.id, p)).collect();
        let mut pairs = HashSet::new();
        let mut store_producers = HashSet::new();
        let mut used: HashMap<i64, i64> = HashMap::new();
        let mut count: HashMap<i64, i64> = HashMap::new();
        for p in &r.placements {
            let s = store_of[&p.store_id];
            let prod = prod_of[&p.product_id];
            assert_eq!(prod.producer_id, p.producer_id);
            if s.standard_id == Some(1) {
                assert!(eligible_1.contains(&p.product_id), "ineligible placement {p:?}");
            }
            assert!(pairs.insert((p.store_id, p.product_id)), "twice: {p:?}");
            assert!(store_producers.insert((p.store_id, p.producer_id)), "same producer twice");
            assert!(!s.producers.contains(&p.producer_id), "producer already there");
            assert!(p.distance_km <= i.weights.reach_km + 0.1);
            *used.entry(p.product_id).or_default() += s.monthly_need;
            *count.entry(p.product_id).or_default() += 1;
        }
        for (pid, u) in &used {
            match prod_of[pid].monthly_capacity {
                Some(cap) => assert!(*u <= cap, "product {pid} over capacity: {u} > {cap}"),
                None => assert_eq!(count[pid], 1, "unstated capacity: one store"),
            }
        }
        for s in &i.stores {
            let planned = r.placements.iter().filter(|p| p.store_id == s.id).count() as i64;
            assert!(planned <= need_of(&i.policy, &s.figures), "more than the store needs");
        }
        assert_eq!(r.objective, r.placements.iter().map(|p| p.cost).sum::<i64>());
        assert!(r.lower_bound <= r.objective);
        assert!(r.stores_reaching <= r.compliant_upper_bound);
        assert_eq!(r.stores_below - r.stores_reaching, r.infeasible.len());
        assert!(r.placements.len() as i64 <= r.placements_upper_bound);
        r
    }
}

#[test]
fn slots_move_so_that_a_store_is_completed_rather_than_two_half_served() {
    // Two stores need two UMKM each; two producers can each supply one store. The cheapest
    // flow gives each store its nearest producer (both half-served, none compliant); the
    // integer step completes one store with both.
    let i = input(
        policy(2, 2, 2),
        vec![store(1, -6.100), store(2, -6.140)],
        vec![product(11, 101, -6.101, Some(60)), product(12, 102, -6.139, Some(60))],
    );
    let r = plan(&i);
    assert_eq!(r.stores_reaching, 1, "{:?}", r.placements);
    assert_eq!(r.placements.len(), 2);
    let stores: HashSet<i64> = r.placements.iter().map(|p| p.store_id).collect();
    assert_eq!(stores.len(), 1, "both placements go to one store");
    assert_eq!(r.infeasible.len(), 1);
    assert_eq!(r.infeasible[0].reason, Infeasibility::CapacityExhausted);
    assert!(r.lower_bound <= r.objective);
}
