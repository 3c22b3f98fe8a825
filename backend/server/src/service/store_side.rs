//! What the store side sees of its own situation, for the pages: whether a product meets the
//! store's own standard (and what it lacks), the store's compliance status against the policy
//! in force, and the store's shortlist as plain products (the shortlist in `matching` only
//! shows products the store's standard admits; this one shows every product kept).

use std::collections::HashMap;

use etalase_db::repo::agreements as repo;
use etalase_domain::compliance::evaluate;

use super::standards::{self, StandardEligibility};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A product against one store's standard.
#[derive(Debug, Clone)]
pub struct StandardFit {
    pub standard_name: String,
    pub eligible: bool,
    /// What the product lacks, in words a UMKM understands (empty when eligible).
    pub unmet: Vec<String>,
}

impl StandardFit {
    fn of(s: &StandardEligibility) -> Self {
        StandardFit {
            standard_name: s.standard_name.clone(),
            eligible: s.eligible,
            unmet: s
                .items
                .iter()
                .filter(|i| i.status == "fail")
                .map(|i| i.message.clone())
                .collect(),
        }
    }
    /// The unmet requirements joined with "; ".
    pub fn unmet_text(&self) -> String {
        self.unmet.join("; ")
    }
}

/// The product against the standard in force for this store; `None` when no standard applies.
pub async fn fit(
    state: &AppState,
    store_id: i64,
    product_id: i64,
) -> AppResult<Option<StandardFit>> {
    let Some(sid) = standards::standard_for_store(state, store_id).await? else { return Ok(None) };
    let e = standards::eligibility_of(state, product_id).await?;
    Ok(e.standards.iter().find(|s| s.standard_id == sid).map(StandardFit::of))
}

/// The product against the standard of each of these stores (one evaluation of the product).
pub async fn fits(
    state: &AppState,
    store_ids: &[i64],
    product_id: i64,
) -> AppResult<HashMap<i64, StandardFit>> {
    let e = standards::eligibility_of(state, product_id).await?;
    let mut out = HashMap::new();
    for id in store_ids {
        if let Some(sid) = standards::standard_for_store(state, *id).await?
            && let Some(s) = e.standards.iter().find(|s| s.standard_id == sid)
        {
            out.insert(*id, StandardFit::of(s));
        }
    }
    Ok(out)
}

/// A store's compliance status today, for its own manager.
#[derive(Debug, Clone)]
pub struct OwnCompliance {
    /// `patuh`, `berisiko` or `tidak_patuh`.
    pub level: String,
    pub level_label: String,
    pub agreements: i64,
    pub products: i64,
    pub producers: i64,
    pub min_agreements: i64,
    pub min_products: i64,
    pub min_producers: i64,
    /// What the store lacks against the policy (empty when it meets it).
    pub shortfalls: Vec<String>,
    /// Counting agreements that end within 30 days.
    pub ending_soon: usize,
    pub notices: usize,
}

/// The store's status against the policy in force today; `None` when the Dinas has not set a
/// policy yet.
pub async fn compliance(state: &AppState, store_id: i64) -> AppResult<Option<OwnCompliance>> {
    let today = state.clock.today_wib();
    let (pm, p) = match super::compliance::policy_on(state, today).await {
        Ok(x) => x,
        Err(AppError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let facts = super::compliance::agreement_facts(state, store_id).await?;
    let (_, inspections) = super::compliance::inspections(state, store_id).await?;
    let s = evaluate(&p, &facts, &inspections, today);
    let notices =
        etalase_db::repo::compliance::notices(&state.db, None, Some(store_id)).await?.len();
    Ok(Some(OwnCompliance {
        level: s.level.as_str().into(),
        level_label: s.level.label().into(),
        agreements: s.figures.agreements,
        products: s.figures.products,
        producers: s.figures.producers,
        min_agreements: pm.min_agreements,
        min_products: pm.min_products,
        min_producers: pm.min_producers,
        shortfalls: s.shortfalls.iter().map(|x| x.message.clone()).collect(),
        ending_soon: s.ending_soon.len(),
        notices,
    }))
}

/// One product on a store's shortlist.
#[derive(Debug, Clone)]
pub struct ShortItem {
    pub product_id: i64,
    pub name: String,
    /// Net content ("250 g"), to tell products with the same name apart.
    pub size: String,
}

/// The store's shortlist, newest first (no access check: the page checked).
pub async fn shortlist(state: &AppState, store_id: i64) -> AppResult<Vec<ShortItem>> {
    let rows = repo::shortlist_of(&state.db, store_id).await?;
    let products =
        repo::products_by_ids(&state.db, rows.iter().map(|r| r.product_id).collect()).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let p = products.iter().find(|p| p.id == r.product_id)?;
            let size = match (p.net_content, p.net_unit) {
                (Some(n), Some(u)) => format!("{n} {}", u.as_str()),
                _ => String::new(),
            };
            Some(ShortItem { product_id: p.id, name: p.name.clone(), size })
        })
        .collect())
}

/// True when the product is on the store's shortlist.
pub async fn is_shortlisted(state: &AppState, store_id: i64, product_id: i64) -> AppResult<bool> {
    Ok(repo::shortlist_of(&state.db, store_id).await?.iter().any(|r| r.product_id == product_id))
}
