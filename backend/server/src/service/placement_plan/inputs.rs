//! Gathers the plan's input from the database: the stores with their figures against the policy
//! in force, the producers and products already at each store (live or under negotiation), the
//! standard of each store and the products eligible under it, the published products with their
//! producer's location and capacity, and each producer's live placements.
//!
//! Agreements still under negotiation (proposed, countered, accepted but not started) count in
//! a store's figures as if they ran, so a plan computed after another was sent does not propose
//! again what is already on the table.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use etalase_db::repo::agreements::{self as repo, AgreementFilter, TAKEN};
use etalase_db::repo::compliance::{ComplianceFilter, StoreRow, Thresholds};
use etalase_db::repo::producers;
use etalase_domain::agreement::AgreementStatus;
use etalase_domain::compliance::{COUNTING_STATUSES, Figures, Policy};
use etalase_domain::placement_plan::{PlanInput, PlanProduct, PlanStore, PlanWeights};

use crate::error::AppResult;

/// Producers, products and categories already at a store.
type AtStore = (HashSet<i64>, HashSet<i64>, HashSet<String>);

/// Agreements on the table but not (yet) counting for compliance.
const PENDING: [AgreementStatus; 3] =
    [AgreementStatus::Proposed, AgreementStatus::Countered, AgreementStatus::Accepted];
use crate::state::AppState;

/// The input, the store rows (names, places) and the products' and producers' names.
pub struct Gathered {
    pub input: PlanInput,
    pub rows: Vec<StoreRow>,
    pub product_names: HashMap<i64, (String, String)>,
    pub producer_names: HashMap<i64, String>,
    pub chain_names: HashMap<i64, String>,
}

pub async fn gather(
    state: &AppState,
    date: NaiveDate,
    policy: Policy,
    t: &Thresholds,
    weights: PlanWeights,
) -> AppResult<Gathered> {
    let rows =
        etalase_db::repo::compliance::store_rows(&state.db, t, date, &ComplianceFilter::default())
            .await?;
    let f = AgreementFilter { statuses: TAKEN.to_vec(), ..Default::default() };
    let taken = repo::with_items(&state.db, &f).await?;
    let products = repo::published_products(&state.db, None, None, 200_000).await?;
    let cat: HashMap<i64, String> = {
        let ids: Vec<i64> =
            taken.iter().flat_map(|(_, i)| i.iter().map(|x| x.product_id)).collect();
        repo::products_by_ids(&state.db, ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p.category))
            .collect()
    };
    let mut at_store: HashMap<i64, AtStore> = HashMap::new();
    let mut pending: HashMap<i64, Figures> = HashMap::new();
    let mut counted: HashMap<i64, (HashSet<i64>, HashSet<i64>)> = HashMap::new();
    for (a, items) in &taken {
        let c = counted.entry(a.store_id).or_default();
        if COUNTING_STATUSES.contains(&a.status) {
            c.0.insert(a.producer_id);
            c.1.extend(items.iter().map(|i| i.product_id));
        }
    }
    for (a, items) in &taken {
        if PENDING.contains(&a.status) {
            let c = counted.entry(a.store_id).or_default();
            let f = pending.entry(a.store_id).or_default();
            f.agreements += 1;
            f.producers += i64::from(c.0.insert(a.producer_id));
            f.products += items.iter().filter(|i| c.1.insert(i.product_id)).count() as i64;
        }
    }
    for (a, items) in &taken {
        let e = at_store.entry(a.store_id).or_default();
        e.0.insert(a.producer_id);
        for i in items {
            e.1.insert(i.product_id);
            if let Some(c) = cat.get(&i.product_id) {
                e.2.insert(c.clone());
            }
        }
    }
    let mut eligible: HashMap<i64, HashSet<i64>> = HashMap::new();
    let mut stores = Vec::with_capacity(rows.len());
    let formats: HashMap<i64, i64> =
        etalase_db::repo::stores::all(&state.db, &etalase_db::repo::stores::StoreFilter::default())
            .await?
            .into_iter()
            .map(|s| (s.id, s.format.monthly_need()))
            .collect();
    for r in &rows {
        let standard = crate::service::standards::standard_for_store(state, r.store_id).await?;
        if let Some(sid) = standard
            && !eligible.contains_key(&sid)
        {
            eligible.insert(sid, crate::service::standards::eligible_products(state, sid).await?);
        }
        let (producers, placed, categories) = at_store.remove(&r.store_id).unwrap_or_default();
        let p = pending.get(&r.store_id).copied().unwrap_or_default();
        stores.push(PlanStore {
            id: r.store_id,
            lat: r.lat,
            lon: r.lon,
            standard_id: standard,
            figures: Figures {
                agreements: r.agreements + p.agreements,
                products: r.products + p.products,
                producers: r.producers + p.producers,
            },
            producers,
            products: placed,
            categories,
            monthly_need: formats.get(&r.store_id).copied().unwrap_or(60),
        });
    }
    let mut pids: Vec<i64> = products.iter().map(|p| p.producer_id).collect();
    pids.sort_unstable();
    pids.dedup();
    let prods = producers::find_many(&state.db, pids).await?;
    let place: HashMap<i64, (f64, f64)> = prods.iter().map(|p| (p.id, (p.lat, p.lon))).collect();
    let producer_names = prods.iter().map(|p| (p.id, p.name.clone())).collect();
    let product_names =
        products.iter().map(|p| (p.id, (p.name.clone(), p.category.clone()))).collect();
    let plan_products = products
        .iter()
        .filter_map(|p| {
            let (lat, lon) = *place.get(&p.producer_id)?;
            Some(PlanProduct {
                id: p.id,
                producer_id: p.producer_id,
                category: p.category.clone(),
                lat,
                lon,
                monthly_capacity: p.monthly_capacity,
            })
        })
        .collect();
    let producer_placements = repo::live_store_counts(&state.db).await?.into_iter().collect();
    Ok(Gathered {
        input: PlanInput {
            policy,
            stores,
            products: plan_products,
            eligible,
            producer_placements,
            weights,
        },
        rows,
        product_names,
        producer_names,
        chain_names: etalase_db::repo::chains::all(&state.db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect(),
    })
}
