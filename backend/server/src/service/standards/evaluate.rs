//! Computing and storing evaluations: one product after it changes, every product when a
//! version takes effect (a job with visible progress), and the reads other features use
//! (`eligible_standard_ids` for search, `standard_for_store` for the store side).

use std::collections::HashMap;

use chrono::NaiveDate;
use etalase_db::entities::{evaluation, standard, standard_version};
use etalase_db::repo::{evaluations, jobs, outbox, standards as repo};
use etalase_domain::JobStatus;
use etalase_domain::lifecycle::ListingStatus;
use etalase_domain::roles::Role;
use etalase_domain::standards::{Requirement, evaluate, version_in_force};
use sea_orm::{ActiveValue::NotSet, Set};

use super::facts::{self, Subject};
use super::views::{EligibilityView, ItemView, StandardEligibility};
use super::{JOB_KIND, requirements_of};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::service::access;
use crate::state::AppState;

/// A standard with its version in force and that version's requirements.
pub(super) struct InForce {
    pub standard: standard::Model,
    pub version: standard_version::Model,
    pub requirements: Vec<Requirement>,
}

/// Every standard's version in force on `date` (standards without one are left out).
pub(super) async fn in_force(state: &AppState, date: NaiveDate) -> AppResult<Vec<InForce>> {
    let versions = repo::all_versions(&state.db).await?;
    let mut out = Vec::new();
    for s in repo::all(&state.db).await? {
        let pairs: Vec<(i64, NaiveDate)> = versions
            .iter()
            .filter(|v| v.standard_id == s.id)
            .map(|v| (v.id, v.effective_from))
            .collect();
        let Some(id) = version_in_force(&pairs, date) else { continue };
        let Some(v) = versions.iter().find(|v| v.id == id).cloned() else { continue };
        out.push(InForce { requirements: requirements_of(&v)?, version: v, standard: s });
    }
    Ok(out)
}

fn row(
    state: &AppState,
    subject: &Subject,
    f: &InForce,
    today: NaiveDate,
) -> AppResult<evaluation::ActiveModel> {
    let e = evaluate(&subject.facts, &f.requirements, today);
    let items = serde_json::to_string(&e.items).map_err(|err| AppError::Internal(err.into()))?;
    Ok(evaluation::ActiveModel {
        id: NotSet,
        product_id: Set(subject.product.id),
        standard_id: Set(f.standard.id),
        version_id: Set(f.version.id),
        eligible: Set(e.eligible),
        score: Set(i64::from(e.score)),
        items: Set(items),
        evaluated_on: Set(today),
        evaluated_at: Set(state.clock.now()),
        product_version: Set(subject.product.version),
    })
}

/// Evaluates these products (every product when `None`) against every standard's version in
/// force today and stores the results; returns the products evaluated. Nothing else: the
/// caller decides whether search documents need refreshing.
async fn evaluate_and_store(state: &AppState, ids: Option<Vec<i64>>) -> AppResult<Vec<i64>> {
    let today = state.clock.today_wib();
    let standards = in_force(state, today).await?;
    if standards.is_empty() {
        return Ok(vec![]);
    }
    let subjects = facts::load(state, ids).await?;
    let mut rows = Vec::with_capacity(subjects.len() * standards.len());
    for s in &subjects {
        for f in &standards {
            rows.push(row(state, s, f, today)?);
        }
    }
    evaluations::upsert_many(&state.db, rows).await?;
    Ok(subjects.iter().map(|s| s.product.id).collect())
}

/// Recomputes the stored evaluations of these products (after their listing changed). The
/// search documents are refreshed by the caller's outbox row, which is why this enqueues
/// nothing: the listing change recorded that need in its own transaction.
#[tracing::instrument(skip(state, ids), fields(products = ids.len()))]
pub async fn refresh_evaluations(state: &AppState, ids: &[i64]) -> AppResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(evaluate_and_store(state, Some(ids.to_vec())).await?.len())
}

/// Re-evaluates these products (every product when `None`) because the standards or the date
/// changed, not the listings: stores the results and queues the search documents, whose
/// eligible standards may differ now.
pub(super) async fn reevaluate_products(
    state: &AppState,
    ids: Option<Vec<i64>>,
) -> AppResult<usize> {
    let ids = evaluate_and_store(state, ids).await?;
    queue_documents(state, &ids).await?;
    Ok(ids.len())
}

/// Queues the search documents of products whose eligibility was just recomputed.
async fn queue_documents(state: &AppState, ids: &[i64]) -> AppResult<()> {
    outbox::enqueue(&state.db, ids, state.clock.now(), false).await?;
    state.relay_wake.notify_one();
    Ok(())
}

/// Starts re-evaluating every product under version `version_id` in the background; returns
/// the job id at once (progress is in the `jobs` row; `state.background.drain()` awaits it).
pub async fn start_version_job(state: &AppState, version_id: i64) -> AppResult<i64> {
    let total = evaluations::products_to_evaluate(&state.db, None).await?.len() as i64;
    let job = jobs::start(&state.db, JOB_KIND, Some(version_id), total, state.clock.now()).await?;
    let st = state.clone();
    let id = job.id;
    state.background.spawn(async move {
        // A panic fails the job (recorded) instead of leaving it "running" forever.
        let result = crate::panic_guard::pass(
            "evaluasi ulang standar",
            run_version_job(&st, id, version_id),
        )
        .await
        .unwrap_or_else(|| Err(AppError::Internal(anyhow::anyhow!("evaluasi ulang terhenti"))));
        let now = st.clock.now();
        let end = match result {
            Ok(done) => jobs::finish(&st.db, id, JobStatus::Done, done, None, now).await,
            Err(e) => {
                tracing::error!(job = id, error = %e, "re-evaluation job failed");
                jobs::finish(&st.db, id, JobStatus::Failed, 0, Some(e.to_string()), now).await
            }
        };
        if let Err(e) = end {
            tracing::error!(job = id, error = %e, "could not close the job");
        }
    });
    Ok(id)
}

pub(super) async fn run_version_job(
    state: &AppState,
    job_id: i64,
    version_id: i64,
) -> AppResult<i64> {
    let v = repo::find_version(&state.db, version_id)
        .await?
        .ok_or(AppError::NotFound("Versi standar"))?;
    let s = repo::find(&state.db, v.standard_id).await?.ok_or(AppError::NotFound("Standar"))?;
    let f = InForce { requirements: requirements_of(&v)?, version: v, standard: s };
    let today = state.clock.today_wib();
    let subjects = facts::load(state, None).await?;
    let mut done = 0i64;
    for chunk in subjects.chunks(250) {
        let rows = chunk.iter().map(|s| row(state, s, &f, today)).collect::<AppResult<Vec<_>>>()?;
        evaluations::upsert_many(&state.db, rows).await?;
        let ids: Vec<i64> = chunk.iter().map(|s| s.product.id).collect();
        queue_documents(state, &ids).await?;
        done += chunk.len() as i64;
        jobs::progress(&state.db, job_id, done, state.clock.now()).await?;
    }
    Ok(done)
}

/// The eligibility of a product against every standard, computed fresh (and stored): for the
/// owner, the Dinas and admins, and store-side accounts once the product is published.
pub async fn eligibility(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
) -> AppResult<EligibilityView> {
    let p = access::product(state, Some(user), product_id).await?;
    let allowed = match user.role {
        Role::Dinas | Role::Admin => true,
        Role::Store | Role::Chain | Role::Buyer => p.status == ListingStatus::Published,
        Role::Umkm => access::owns_product(state, user, &p).await?,
    };
    if !allowed {
        return Err(AppError::NotFound("Produk"));
    }
    eligibility_of(state, p.id).await
}

/// The eligibility of a product (no access check: for pages that already checked).
pub async fn eligibility_of(state: &AppState, product_id: i64) -> AppResult<EligibilityView> {
    refresh_evaluations(state, &[product_id]).await?;
    let today = state.clock.today_wib();
    let standards = in_force(state, today).await?;
    let rows = evaluations::for_product(&state.db, product_id).await?;
    let mut out = Vec::new();
    for f in &standards {
        let Some(r) = rows.iter().find(|r| r.version_id == f.version.id) else { continue };
        let items: Vec<etalase_domain::standards::Item> =
            serde_json::from_str(&r.items).unwrap_or_default();
        let chain_name = match f.standard.chain_id {
            Some(c) => repo::chain_name(&state.db, c).await?,
            None => None,
        };
        let owner_label =
            super::views::StandardView::new(&f.standard, chain_name, vec![]).owner_label;
        out.push(StandardEligibility {
            standard_id: f.standard.id,
            standard_name: f.standard.name.clone(),
            owner_label,
            version_id: f.version.id,
            version_number: f.version.number,
            eligible: r.eligible,
            score: r.score,
            warnings: items
                .iter()
                .filter(|i| i.status == etalase_domain::standards::ItemStatus::Warning)
                .count(),
            items: items.iter().map(|i| ItemView::new(product_id, i)).collect(),
            evaluated_at: r.evaluated_at,
        });
    }
    Ok(EligibilityView { product_id, date: today, standards: out })
}

/// The stored evaluations of these products under every version in force today (kept current
/// by the write path, the version jobs and the daily tick; nothing is recomputed here).
async fn stored_in_force(
    state: &AppState,
    product_ids: &[i64],
) -> AppResult<Vec<evaluation::Model>> {
    let standards = in_force(state, state.clock.today_wib()).await?;
    let versions: Vec<i64> = standards.iter().map(|f| f.version.id).collect();
    let mut out = Vec::new();
    for chunk in product_ids.chunks(500) {
        out.extend(
            evaluations::for_products_versions(&state.db, chunk.to_vec(), versions.clone()).await?,
        );
    }
    Ok(out)
}

/// Per product, the stored items of each standard in force today (one list per standard, in
/// the order of the standards' ids).
pub async fn stored_items(
    state: &AppState,
    product_ids: &[i64],
) -> AppResult<HashMap<i64, Vec<Vec<etalase_domain::standards::Item>>>> {
    let mut out: HashMap<i64, Vec<Vec<etalase_domain::standards::Item>>> = HashMap::new();
    let mut rows = stored_in_force(state, product_ids).await?;
    rows.sort_by_key(|r| r.standard_id);
    for r in rows {
        let items = serde_json::from_str(&r.items)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("evaluation {} items: {e}", r.id)))?;
        out.entry(r.product_id).or_default().push(items);
    }
    Ok(out)
}

/// For search: per product, the ids of the standards whose version in force today it is
/// eligible for (from the stored evaluations). Products with none map to an empty list.
pub async fn eligible_standard_ids(
    state: &AppState,
    product_ids: &[i64],
) -> AppResult<HashMap<i64, Vec<i64>>> {
    let mut out: HashMap<i64, Vec<i64>> = product_ids.iter().map(|id| (*id, vec![])).collect();
    for r in stored_in_force(state, product_ids).await? {
        if r.eligible {
            out.entry(r.product_id).or_default().push(r.standard_id);
        }
    }
    for v in out.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    Ok(out)
}

/// Products eligible for a standard's version in force today (from stored evaluations).
pub async fn eligible_products(
    state: &AppState,
    standard_id: i64,
) -> AppResult<std::collections::HashSet<i64>> {
    let standards = in_force(state, state.clock.today_wib()).await?;
    let Some(f) = standards.iter().find(|f| f.standard.id == standard_id) else {
        return Ok(Default::default());
    };
    Ok(evaluations::for_version(&state.db, f.version.id)
        .await?
        .into_iter()
        .filter(|r| r.eligible)
        .map(|r| r.product_id)
        .collect())
}

/// The standard that applies to a store: its chain's own standard, else the city baseline.
/// `None` when neither exists (or the store does not).
pub async fn standard_for_store(state: &AppState, store_id: i64) -> AppResult<Option<i64>> {
    let Some(chain) = repo::store_chain(&state.db, store_id).await? else { return Ok(None) };
    StoreStandards::load(state).await?.of_chain(state, chain).await
}

/// The rule of `standard_for_store` for many stores at once: the baseline read once, each
/// chain's own standard once.
pub struct StoreStandards {
    baseline: Option<i64>,
    chains: HashMap<i64, Option<i64>>,
}

impl StoreStandards {
    pub async fn load(state: &AppState) -> AppResult<StoreStandards> {
        let baseline = repo::baseline(&state.db).await?.map(|s| s.id);
        Ok(StoreStandards { baseline, chains: HashMap::new() })
    }

    /// The standard of a store in `chain` (`None`: an independent store).
    pub async fn of_chain(
        &mut self,
        state: &AppState,
        chain: Option<i64>,
    ) -> AppResult<Option<i64>> {
        let Some(c) = chain else { return Ok(self.baseline) };
        if let Some(s) = self.chains.get(&c) {
            return Ok(*s);
        }
        let s = repo::for_chain(&state.db, c).await?.map(|x| x.id).or(self.baseline);
        self.chains.insert(c, s);
        Ok(s)
    }
}

/// A standard's verdict on a product, for badges on product pages.
#[derive(Debug, Clone)]
pub struct Badge {
    pub standard_id: i64,
    pub name: String,
    pub eligible: bool,
}

/// The stored verdicts of every standard in force on a product (no recomputation).
pub async fn badges(state: &AppState, product_id: i64) -> AppResult<Vec<Badge>> {
    let standards = in_force(state, state.clock.today_wib()).await?;
    let rows = evaluations::for_product(&state.db, product_id).await?;
    Ok(standards
        .iter()
        .filter_map(|f| {
            let r = rows.iter().find(|r| r.version_id == f.version.id)?;
            Some(Badge {
                standard_id: f.standard.id,
                name: f.standard.name.clone(),
                eligible: r.eligible,
            })
        })
        .collect())
}
