//! The calendar: an accepted agreement becomes active on its start date and an active or
//! suspended one ends on its end date, by itself. `advance_by_date` does today's work (each
//! step an event by the system); `spawn_periodic` runs it every few minutes while serving.

use std::time::Duration;

use chrono::NaiveDate;
use etalase_db::entities::agreement;
use etalase_db::repo::agreements as repo;
use etalase_db::repo::{Versioned, versioned};
use etalase_domain::agreement::{Actor, due_steps};
use sea_orm::Set;

use super::{event, snapshot, terms_of};
use crate::error::AppResult;
use crate::state::AppState;

/// Applies the steps due on `today` to one agreement; returns how many were applied (0 when
/// someone changed it meanwhile).
pub(crate) async fn advance_one(
    state: &AppState,
    a: agreement::Model,
    today: NaiveDate,
) -> AppResult<usize> {
    let status = a.status;
    let steps = due_steps(status, a.start_date, a.end_date, today);
    let Some((_, last)) = steps.last().copied() else { return Ok(0) };
    let now = state.clock.now();
    let txn = etalase_db::begin_write(&state.db).await?;
    let am = agreement::ActiveModel {
        status: Set(last),
        version: Set(a.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    let updated = match versioned::update(&txn, a.id, a.version, am).await? {
        Versioned::Updated(m) => m,
        _ => return Ok(0),
    };
    let items = repo::items_of(&txn, vec![a.id]).await?;
    let terms = snapshot(&terms_of(&updated, &items));
    let mut from = status;
    for (step, to) in &steps {
        let mut shown = updated.clone();
        shown.status = *to;
        event(&txn, &shown, (*step).into(), Some(from), None, Actor::System, None, now, &terms)
            .await?;
        from = *to;
    }
    etalase_db::repo::compliance::maintained::refresh_store(&txn, updated.store_id).await?;
    txn.commit().await?;
    Ok(steps.len())
}

/// Moves every agreement due on `today` (start or end date reached); returns the number of
/// steps applied. Safe to run concurrently with people acting: a changed row is skipped.
#[tracing::instrument(skip(state))]
pub async fn advance_by_date(state: &AppState, today: NaiveDate) -> AppResult<usize> {
    let mut n = 0;
    for a in repo::due(&state.db, today).await? {
        n += advance_one(state, a, today).await?;
    }
    Ok(n)
}

/// Runs `advance_by_date` now and then every 10 minutes (with the state's clock); one instance
/// per 10-minute slot.
pub fn spawn_periodic(state: AppState) {
    tokio::spawn(async move {
        loop {
            let today = state.clock.today_wib();
            let slot = chrono::Duration::minutes(10);
            let period = crate::service::periodic::period_of(state.clock.now(), slot);
            let step = crate::service::periodic::run_claimed(
                &state,
                "agreement_calendar",
                &period,
                slot,
                advance_by_date(&state, today),
            );
            if let Err(e) = step.await {
                tracing::warn!(error = %e, "agreement calendar step failed");
            }
            tokio::time::sleep(Duration::from_secs(600)).await;
        }
    });
}
