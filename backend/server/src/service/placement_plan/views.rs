//! The plan as the API and the page show it: figures, stores grouped by kecamatan and by
//! chain with their proposals and reasons, the producers it lifts, the infeasible stores.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use etalase_db::entities::placement_plan as entity;
use etalase_domain::placement_plan::{PlanReport, PlanWeights};
use etalase_domain::wilayah::kota_serang;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::inputs::Gathered;
use crate::error::{AppError, AppResult};

/// One proposed placement.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProposalView {
    pub product_id: i64,
    pub product_name: String,
    pub producer_id: i64,
    pub producer_name: String,
    pub distance_km: f64,
    pub new_category: bool,
    pub first_for_producer: bool,
    /// Why it was chosen, e.g. "2,1 km · mengisi kategori minuman · penempatan pertama UMKM ini".
    pub reason: String,
}

/// One store below the policy and what the plan gives it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StorePlanView {
    pub store_id: i64,
    pub store_name: String,
    pub chain_id: Option<i64>,
    pub kecamatan: String,
    pub kelurahan_code: String,
    pub lat: f64,
    pub lon: f64,
    pub needed: i64,
    pub reaches_policy: bool,
    /// `no_eligible_in_reach`, `too_few_producers` or `capacity_exhausted` when it does not.
    pub reason_code: Option<String>,
    pub reason: Option<String>,
    pub proposals: Vec<ProposalView>,
}

/// Stores of one kecamatan or one chain.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = PlanGroupView)]
pub struct GroupView {
    pub key: String,
    pub name: String,
    pub stores: i64,
    pub reaching: i64,
    pub placements: i64,
    pub store_ids: Vec<i64>,
}

/// A computed plan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlanView {
    pub id: i64,
    pub plan_date: NaiveDate,
    /// The date as people read it, e.g. "1 Juni 2026".
    pub plan_date_label: String,
    pub policy_id: i64,
    pub min_agreements: i64,
    pub min_products: i64,
    pub min_producers: i64,
    pub computed_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    /// When it was sent, in WIB.
    pub sent_at_label: Option<String>,
    pub sent_agreements: i64,
    /// The objective (distance + category + fairness costs of the placements).
    pub objective: i64,
    /// Its lower bound (the flow's LP optimum).
    pub lower_bound: i64,
    pub stores_below: i64,
    pub stores_reaching: i64,
    /// No plan could bring more stores to the policy than this.
    pub compliant_upper_bound: i64,
    pub placements: i64,
    /// Producers the plan gives their first placement.
    pub producers_lifted: i64,
    pub lifted_producers: Vec<String>,
    /// The weights used (fairness: cost of each further placement of one producer).
    pub weight_distance_per_km: f64,
    pub weight_same_category: i64,
    pub weight_fairness: i64,
    pub stores: Vec<StorePlanView>,
    pub by_kecamatan: Vec<GroupView>,
    pub by_chain: Vec<GroupView>,
}

fn km(d: f64) -> String {
    format!("{d:.1}").replace('.', ",")
}

pub(super) fn build(g: &Gathered, r: &PlanReport, date: NaiveDate, w: PlanWeights) -> PlanView {
    let p = &g.input.policy;
    let need = |f| etalase_domain::placement_plan::need_of(p, f);
    let infeasible: HashMap<i64, _> = r.infeasible.iter().map(|i| (i.store_id, i)).collect();
    let mut by_store: HashMap<i64, Vec<ProposalView>> = HashMap::new();
    for pl in &r.placements {
        let (name, cat) = g.product_names.get(&pl.product_id).cloned().unwrap_or_default();
        let cat_name = etalase_domain::category_by_slug(&cat).map_or(cat, |c| c.name.clone());
        let mut why = vec![format!("{} km", km(pl.distance_km))];
        if pl.new_category {
            why.push(format!("mengisi kategori {}", cat_name.to_lowercase()));
        }
        if pl.first_for_producer {
            why.push("penempatan pertama UMKM ini".into());
        }
        by_store.entry(pl.store_id).or_default().push(ProposalView {
            product_id: pl.product_id,
            product_name: name,
            producer_id: pl.producer_id,
            producer_name: g.producer_names.get(&pl.producer_id).cloned().unwrap_or_default(),
            distance_km: pl.distance_km,
            new_category: pl.new_category,
            first_for_producer: pl.first_for_producer,
            reason: why.join(" · "),
        });
    }
    let wil = kota_serang();
    let mut stores = Vec::new();
    for (row, s) in g.rows.iter().zip(&g.input.stores) {
        let needed = need(&s.figures);
        if needed == 0 {
            continue;
        }
        let inf = infeasible.get(&row.store_id);
        stores.push(StorePlanView {
            store_id: row.store_id,
            store_name: row.name.clone(),
            chain_id: row.chain_id,
            kecamatan: wil
                .kecamatan_by_code(&row.kecamatan_code)
                .map_or_else(|| row.kecamatan_code.clone(), |k| k.name.clone()),
            kelurahan_code: row.kelurahan_code.clone(),
            lat: row.lat,
            lon: row.lon,
            needed,
            reaches_policy: inf.is_none(),
            reason_code: inf.map(|i| i.reason.code().to_string()),
            reason: inf.map(|i| i.reason.message().to_string()),
            proposals: by_store.remove(&row.store_id).unwrap_or_default(),
        });
    }
    let mut lifted: Vec<String> = r
        .placements
        .iter()
        .filter(|p| p.first_for_producer)
        .filter_map(|p| g.producer_names.get(&p.producer_id).cloned())
        .collect();
    lifted.sort();
    let by_kecamatan = group(&stores, |s| (s.kecamatan.clone(), s.kecamatan.clone()));
    let by_chain = group(&stores, |s| match s.chain_id {
        Some(c) => (c.to_string(), g.chain_names.get(&c).cloned().unwrap_or_default()),
        None => ("mandiri".into(), "Toko mandiri".into()),
    });
    PlanView {
        id: 0,
        plan_date: date,
        plan_date_label: etalase_domain::format_date_id(date),
        policy_id: p.id,
        min_agreements: p.min_agreements,
        min_products: p.min_products,
        min_producers: p.min_producers,
        computed_at: None,
        sent_at: None,
        sent_at_label: None,
        sent_agreements: 0,
        objective: r.objective,
        lower_bound: r.lower_bound,
        stores_below: r.stores_below as i64,
        stores_reaching: r.stores_reaching as i64,
        compliant_upper_bound: r.compliant_upper_bound as i64,
        placements: r.placements.len() as i64,
        producers_lifted: r.producers_lifted as i64,
        lifted_producers: lifted,
        weight_distance_per_km: w.distance_per_km,
        weight_same_category: w.same_category,
        weight_fairness: w.fairness,
        stores,
        by_kecamatan,
        by_chain,
    }
}

fn group(
    stores: &[StorePlanView],
    key: impl Fn(&StorePlanView) -> (String, String),
) -> Vec<GroupView> {
    let mut m: BTreeMap<String, GroupView> = BTreeMap::new();
    for s in stores {
        let (k, name) = key(s);
        let g = m.entry(k.clone()).or_insert_with(|| GroupView {
            key: k,
            name,
            stores: 0,
            reaching: 0,
            placements: 0,
            store_ids: vec![],
        });
        g.stores += 1;
        g.reaching += i64::from(s.reaches_policy);
        g.placements += s.proposals.len() as i64;
        g.store_ids.push(s.store_id);
    }
    m.into_values().collect()
}

pub(super) fn fill_row(v: &mut PlanView, m: &entity::Model) {
    v.id = m.id;
    v.computed_at = Some(m.computed_at);
    v.sent_at = m.sent_at;
    v.sent_at_label = m.sent_at.map(etalase_domain::format_datetime_wib);
    v.sent_agreements = m.sent_agreements;
}

pub(super) fn from_row(m: &entity::Model) -> AppResult<PlanView> {
    let mut v: PlanView = serde_json::from_str(&m.report)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("placement plan {}: {e}", m.id)))?;
    fill_row(&mut v, m);
    Ok(v)
}
