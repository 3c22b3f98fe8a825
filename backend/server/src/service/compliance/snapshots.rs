//! Monthly snapshots: one row per store per month with its level and figures, so the trend
//! does not change when old agreements are edited. The current month is refreshed on every
//! run (as of today); a finished month is written once, as of its last day, and then frozen.

use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use etalase_db::repo::compliance as repo;

use super::dashboard::{month_key, months_before};
use super::policies::thresholds;
use super::policy_on;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;

fn last_day(month_start: NaiveDate) -> NaiveDate {
    months_before(month_start, 0)
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(month_start)
}

/// Writes the snapshot of the month containing `month` (any day of it); returns the rows
/// written (0 when the month is finished and already stored, or no policy was in force).
#[tracing::instrument(skip(state))]
pub async fn snapshot_month(state: &AppState, month: NaiveDate) -> AppResult<u64> {
    let today = state.clock.today_wib();
    let start = months_before(month, 0);
    if start > today {
        return Err(AppError::bad_request(
            ErrorCode::FutureMonth,
            "Bulan yang belum dimulai tidak bisa dipotret.",
        ));
    }
    let key = month_key(start);
    let finished = last_day(start) < today;
    if finished && repo::snapshot_count(&state.db, &key).await? > 0 {
        return Ok(0);
    }
    let as_of = last_day(start).min(today);
    let p = match policy_on(state, as_of).await {
        Ok((_, p)) => p,
        Err(AppError::NotFound(_)) => return Ok(0),
        Err(e) => return Err(e),
    };
    let txn = etalase_db::begin_write(&state.db).await?;
    repo::delete_snapshots(&txn, &key).await?;
    let n = repo::insert_snapshots(&txn, &key, &thresholds(&p, as_of), as_of, state.clock.now())
        .await?;
    txn.commit().await?;
    Ok(n)
}

/// Snapshots this month and (if missing) last month now and then every 6 hours; one instance
/// per 6-hour slot.
pub fn spawn_periodic(state: AppState) {
    tokio::spawn(async move {
        loop {
            let today = state.clock.today_wib();
            let last = months_before(today, 1);
            let slot = chrono::Duration::hours(6);
            let period = crate::service::periodic::period_of(state.clock.now(), slot);
            let both = async {
                for m in [last, today.with_day(1).unwrap_or(today)] {
                    snapshot_month(&state, m).await?;
                }
                Ok(())
            };
            let run = crate::service::periodic::run_claimed(
                &state,
                "compliance_snapshots",
                &period,
                slot,
                both,
            );
            if let Err(e) = run.await {
                tracing::warn!(error = %e, "compliance snapshot failed");
            }
            tokio::time::sleep(Duration::from_secs(6 * 3600)).await;
        }
    });
}
