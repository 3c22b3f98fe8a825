//! The city-wide placement plan (issue 16): the Dinas computes, for a date and the compliance
//! policy in force, the placements that bring most stores to the policy
//! (`etalase_domain::placement_plan`: pruning + min-cost max flow), keeps it (table
//! `placement_plans`, the report as JSON), shows it by kecamatan and by chain, and sends its
//! proposals once as draft agreements (`send`). Dinas and admins only.

mod inputs;
pub mod map;
mod send;
mod views;

pub use send::{SendInput, SendResult, send};
pub use views::{GroupView, PlanView, ProposalView, StorePlanView};

use chrono::NaiveDate;
use etalase_db::entities::placement_plan as entity;
use etalase_domain::placement_plan::{PlanWeights, plan};
use etalase_domain::roles::Role;
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// What to compute: the date (default today, WIB).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComputeInput {
    #[serde(default)]
    pub date: Option<NaiveDate>,
}

pub(crate) fn dinas_only(user: &CurrentUser) -> AppResult<()> {
    match user.role {
        Role::Dinas | Role::Admin => Ok(()),
        _ => Err(AppError::Forbidden("Rencana penempatan hanya untuk petugas Dinas.".into())),
    }
}

/// Computes and keeps a plan.
#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn compute(
    state: &AppState,
    user: &CurrentUser,
    input: ComputeInput,
) -> AppResult<PlanView> {
    dinas_only(user)?;
    let date = input.date.unwrap_or_else(|| state.clock.today_wib());
    let (_, policy) = crate::service::compliance::policy_on(state, date).await?;
    let t = crate::service::compliance::thresholds(&policy, date);
    let weights = PlanWeights::default();
    let g = inputs::gather(state, date, policy, &t, weights).await?;
    let input = g.input.clone();
    let report = tokio::task::spawn_blocking(move || plan(&input))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("placement plan: {e}")))?;
    let mut view = views::build(&g, &report, date, weights);
    let now = state.clock.now();
    let json = serde_json::to_string(&view)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("placement plan json: {e}")))?;
    let txn = etalase_db::begin_write(&state.db).await?;
    let m = entity::ActiveModel {
        plan_date: Set(date),
        policy_id: Set(policy.id),
        computed_by: Set(Some(user.id)),
        computed_at: Set(now),
        report: Set(json),
        sent_at: Set(None),
        sent_by: Set(None),
        sent_agreements: Set(0),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let detail = format!(
        "{} usulan, {} dari {} gerai mencapai kebijakan",
        view.placements, view.stores_reaching, view.stores_below
    );
    etalase_db::repo::audit::record(
        &txn,
        Some(user.id),
        "placement_plan.compute",
        "placement_plan",
        m.id,
        Some(detail),
        now,
    )
    .await?;
    txn.commit().await?;
    views::fill_row(&mut view, &m);
    Ok(view)
}

/// A kept plan.
pub async fn get(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<PlanView> {
    dinas_only(user)?;
    let m = entity::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("Rencana penempatan"))?;
    views::from_row(&m)
}

/// The latest kept plan, if any.
pub async fn latest(state: &AppState, user: &CurrentUser) -> AppResult<Option<PlanView>> {
    dinas_only(user)?;
    let m = entity::Entity::find().order_by_desc(entity::Column::Id).one(&state.db).await?;
    m.as_ref().map(views::from_row).transpose()
}
