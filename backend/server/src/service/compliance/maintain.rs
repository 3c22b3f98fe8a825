//! Keeping the maintained compliance table (`etalase_db::repo::compliance::maintained`)
//! current: rebuilt for today under the policy in force when the day or the policy changes,
//! refreshed per store in the transactions that change agreements and inspections, and
//! checked against the live aggregation every 15 minutes (the drift check, like search's),
//! which repairs the stores it finds and logs how many there were.

use std::time::Duration;

use chrono::NaiveDate;
use etalase_db::repo::compliance::maintained;
use serde::Serialize;
use utoipa::ToSchema;

use super::policies::thresholds;
use super::policy_on;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// What the drift check of the maintained table found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ComplianceDrift {
    /// The date the table holds (none before the first rebuild or without a policy).
    pub as_of: Option<NaiveDate>,
    /// The policy version the table was computed under.
    pub policy_id: Option<i64>,
    /// True when the table is for today and the policy in force today; readers use it only then.
    pub current: bool,
    /// Stores whose row differed from the live aggregation (or was missing).
    pub drifted: Vec<i64>,
    /// True when those rows were recomputed.
    pub repaired: bool,
}

impl std::fmt::Display for ComplianceDrift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.as_of {
            None => write!(f, "tabel kepatuhan belum dibangun"),
            Some(d) => write!(
                f,
                "tabel kepatuhan per {d} ({}); {} gerai menyimpang{}",
                if self.current { "terkini" } else { "usang" },
                self.drifted.len(),
                if self.repaired { ", sudah diperbaiki" } else { "" }
            ),
        }
    }
}

/// Rebuilds the table for today under the policy in force (forgets it when none is); returns
/// the rows written.
#[tracing::instrument(skip(state))]
pub async fn rebuild(state: &AppState) -> AppResult<u64> {
    let today = state.clock.today_wib();
    let txn = etalase_db::begin_write(&state.db).await?;
    let n = match policy_on(state, today).await {
        Ok((_, p)) => {
            maintained::rebuild(&txn, &thresholds(&p, today), today, state.clock.now()).await?
        }
        Err(AppError::NotFound(_)) => {
            maintained::forget(&txn).await?;
            0
        }
        Err(e) => return Err(e),
    };
    txn.commit().await?;
    Ok(n)
}

/// True when the table holds today under the policy in force today.
async fn is_current(state: &AppState) -> AppResult<bool> {
    let today = state.clock.today_wib();
    let held = maintained::state(&state.db).await?;
    match policy_on(state, today).await {
        Ok((_, p)) => Ok(held == Some((thresholds(&p, today), today))),
        Err(AppError::NotFound(_)) => Ok(held.is_none()),
        Err(e) => Err(e),
    }
}

/// Compares the table with the live aggregation; with `repair`, recomputes the rows that
/// differ (and rebuilds a table that is not current).
pub async fn check_drift(state: &AppState, repair: bool) -> AppResult<ComplianceDrift> {
    let mut current = is_current(state).await?;
    if repair && !current {
        rebuild(state).await?;
        current = true;
    }
    let held = maintained::state(&state.db).await?;
    let mut d = ComplianceDrift {
        as_of: held.map(|h| h.1),
        policy_id: held.map(|h| h.0.policy_id),
        current,
        ..Default::default()
    };
    d.drifted = maintained::drifted(&state.db).await?.unwrap_or_default();
    if repair && !d.drifted.is_empty() {
        for id in &d.drifted {
            let txn = etalase_db::begin_write(&state.db).await?;
            maintained::refresh_store(&txn, *id).await?;
            txn.commit().await?;
        }
        d.repaired = true;
    }
    Ok(d)
}

/// At start and every 15 minutes (one instance per slot): rebuild when the day or the policy
/// changed, else the drift check with repair.
pub fn spawn_periodic(state: AppState) {
    tokio::spawn(async move {
        loop {
            let slot = chrono::Duration::minutes(15);
            let period = crate::service::periodic::period_of(state.clock.now(), slot);
            let run = crate::service::periodic::run_claimed(
                &state,
                "compliance_maintain",
                &period,
                slot,
                check_drift(&state, true),
            );
            match run.await {
                Ok(Some(d)) if !d.drifted.is_empty() => {
                    tracing::warn!(
                        drifted = d.drifted.len(),
                        "compliance table drift repaired: {d}"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "compliance table upkeep failed"),
            }
            tokio::time::sleep(Duration::from_secs(15 * 60)).await;
        }
    });
}
