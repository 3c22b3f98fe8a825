//! Policy versions: the Dinas adds one with an effective date (today or later); the one with
//! the latest effective date not after a day is the one in force that day.

use chrono::{NaiveDate, TimeDelta};
use etalase_db::entities::compliance_policy;
use etalase_db::repo::compliance::{self as repo, Thresholds};
use etalase_domain::compliance::{Policy, RISK_WINDOW_DAYS, policy_in_force};
use etalase_domain::error::{FieldError, ValidationErrors};
use sea_orm::{ActiveValue::NotSet, Set};

use super::{NewPolicy, PolicyView, require_dinas, scope};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Largest threshold accepted (a guard against typos such as 1000 for 10).
const MAX_THRESHOLD: i64 = 500;

fn domain(m: &compliance_policy::Model) -> Policy {
    Policy {
        id: m.id,
        min_agreements: m.min_agreements,
        min_products: m.min_products,
        min_producers: m.min_producers,
        effective_from: m.effective_from,
    }
}

/// The thresholds for the SQL aggregation on `date`.
pub(crate) fn thresholds(p: &Policy, date: NaiveDate) -> Thresholds {
    Thresholds {
        policy_id: p.id,
        min_agreements: p.min_agreements,
        min_products: p.min_products,
        min_producers: p.min_producers,
        horizon: date + TimeDelta::days(RISK_WINDOW_DAYS),
    }
}

/// The policy in force on `date`, or 404 when the Dinas has set none yet.
pub async fn policy_on(
    state: &AppState,
    date: NaiveDate,
) -> AppResult<(compliance_policy::Model, Policy)> {
    let all = repo::policies(&state.db).await?;
    let domains: Vec<Policy> = all.iter().map(domain).collect();
    let p = policy_in_force(&domains, date)
        .copied()
        .ok_or(AppError::NotFound("Kebijakan kepatuhan yang berlaku pada tanggal itu"))?;
    let m =
        all.into_iter().find(|m| m.id == p.id).ok_or(AppError::NotFound("Kebijakan kepatuhan"))?;
    Ok((m, p))
}

/// Every version, newest first (the Dinas and chain offices read them).
pub async fn list_policies(state: &AppState, user: &CurrentUser) -> AppResult<Vec<PolicyView>> {
    scope(user)?;
    let all = repo::policies(&state.db).await?;
    let today = state.clock.today_wib();
    let in_force =
        policy_in_force(&all.iter().map(domain).collect::<Vec<_>>(), today).map(|p| p.id);
    Ok(all.iter().map(|m| PolicyView::new(m, Some(m.id) == in_force)).collect())
}

fn check(input: &NewPolicy, today: NaiveDate) -> AppResult<()> {
    let mut e = ValidationErrors::new();
    for (field, v, min) in [
        ("min_agreements", input.min_agreements, 1),
        ("min_products", input.min_products, 1),
        ("min_producers", input.min_producers, 1),
    ] {
        if v < min || v > MAX_THRESHOLD {
            e.push(FieldError::new(
                field,
                "out_of_range",
                format!("Isi angka antara {min} dan {MAX_THRESHOLD}."),
            ));
        }
    }
    if input.min_producers > input.min_agreements {
        e.push(FieldError::new("min_producers", "more_than_agreements", "Jumlah UMKM berbeda tidak boleh melebihi jumlah perjanjian (satu perjanjian untuk satu UMKM)."));
    }
    if input.effective_from < today {
        e.push(FieldError::new("effective_from", "in_past", "Tanggal berlaku tidak boleh sebelum hari ini; buat versi baru yang berlaku mulai hari ini atau nanti."));
    }
    if e.is_empty() { Ok(()) } else { Err(AppError::Validation(e)) }
}

/// Adds a policy version (Dinas or admin).
pub async fn create_policy(
    state: &AppState,
    user: &CurrentUser,
    input: NewPolicy,
) -> AppResult<PolicyView> {
    require_dinas(user)?;
    let today = state.clock.today_wib();
    check(&input, today)?;
    let m = repo::insert_policy(
        &state.db,
        compliance_policy::ActiveModel {
            id: NotSet,
            min_agreements: Set(input.min_agreements),
            min_products: Set(input.min_products),
            min_producers: Set(input.min_producers),
            effective_from: Set(input.effective_from),
            note: Set(crate::service::clean(input.note)),
            created_by: Set(Some(user.id)),
            created_at: Set(state.clock.now()),
        },
    )
    .await?;
    // A version in force from today changes every store's level now: the maintained table
    // follows at once (when this fails, readers aggregate live until the next upkeep).
    if m.effective_from <= today
        && let Err(e) = super::rebuild_table(state).await
    {
        tracing::warn!(error = %e, "compliance table rebuild after a new policy failed");
    }
    Ok(PolicyView::new(&m, m.effective_from <= today))
}
