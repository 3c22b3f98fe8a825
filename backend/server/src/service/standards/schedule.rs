//! The daily check: start the re-evaluation of a version on the day it takes effect, and
//! refresh products whose certificates crossed an expiry boundary since they were last
//! evaluated; and purge expired sessions (web logins and API tokens, one table). Time comes
//! from the injected clock; `serve` runs it every 15 minutes.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::NaiveDate;
use etalase_db::repo::{evaluations, jobs, sessions};
use etalase_domain::JobStatus;
use etalase_domain::standards::needs_reevaluation;

use super::JOB_KIND;
use super::evaluate::{in_force, reevaluate_products, run_version_job};
use crate::error::AppResult;
use crate::state::AppState;

/// What one tick did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Versions whose re-evaluation ran (they took effect and had not been run).
    pub versions_started: Vec<i64>,
    /// Products refreshed because a certificate expired or entered its 30-day warning.
    pub products_refreshed: usize,
    /// Expired sessions and API tokens deleted.
    pub sessions_purged: u64,
    /// Login/registration throttle counters idle for a day deleted.
    pub throttle_purged: u64,
}

/// Runs the day's re-evaluations; idempotent (a second run the same day does nothing).
#[tracing::instrument(skip(state))]
pub async fn daily_tick(state: &AppState) -> AppResult<TickReport> {
    let today = state.clock.today_wib();
    let standards = in_force(state, today).await?;
    // A job its instance left running (it died) has shown no progress for a while: run again.
    let quiet_since = state.clock.now() - chrono::Duration::minutes(15);
    jobs::abandon_stale(&state.db, JOB_KIND, quiet_since, state.clock.now()).await?;
    // Delivered search outbox rows are kept a day (reindex catch-up), then dropped.
    etalase_db::repo::outbox::purge_done(&state.db, state.clock.now() - chrono::Duration::days(1))
        .await?;
    // Periodic runs' records are kept a month (for operators), then dropped.
    etalase_db::repo::task_runs::purge(&state.db, state.clock.now() - chrono::Duration::days(30))
        .await?;
    // Previewed import files not saved within a day.
    crate::service::imports::uploads::purge(state).await?;
    let started: HashSet<i64> =
        jobs::subjects_started(&state.db, JOB_KIND).await?.into_iter().collect();
    let mut report = TickReport {
        // Expired logins are refused already; the rows only take room (and hold token hashes).
        sessions_purged: sessions::delete_expired(&state.db, state.clock.now()).await?,
        throttle_purged: etalase_db::repo::throttle::purge_idle(
            &state.db,
            state.clock.now() - chrono::Duration::days(1),
        )
        .await?,
        ..TickReport::default()
    };
    for f in standards.iter().filter(|f| !started.contains(&f.version.id)) {
        let total = evaluations::products_to_evaluate(&state.db, None).await?.len() as i64;
        let job =
            jobs::start(&state.db, JOB_KIND, Some(f.version.id), total, state.clock.now()).await?;
        match run_version_job(state, job.id, f.version.id).await {
            Ok(done) => {
                jobs::finish(&state.db, job.id, JobStatus::Done, done, None, state.clock.now())
                    .await?
            }
            Err(e) => {
                jobs::finish(
                    &state.db,
                    job.id,
                    JobStatus::Failed,
                    0,
                    Some(e.to_string()),
                    state.clock.now(),
                )
                .await?;
                return Err(e);
            }
        }
        report.versions_started.push(f.version.id);
    }
    let versions: Vec<i64> = standards.iter().map(|f| f.version.id).collect();
    let stale = stale_products(
        &evaluations::dates_for_versions(&state.db, versions).await?,
        &evaluations::certificate_expiries(&state.db).await?,
        today,
    );
    if !stale.is_empty() {
        report.products_refreshed = reevaluate_products(state, Some(stale)).await?;
    }
    Ok(report)
}

/// Products whose oldest evaluation went stale by `today` (pure: what needs re-evaluation).
pub fn stale_products(
    evaluated: &[(i64, NaiveDate)],
    expiries: &[(i64, NaiveDate)],
    today: NaiveDate,
) -> Vec<i64> {
    let mut oldest: HashMap<i64, NaiveDate> = HashMap::new();
    for (p, d) in evaluated {
        oldest.entry(*p).and_modify(|o| *o = (*o).min(*d)).or_insert(*d);
    }
    let mut by_product: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for (p, e) in expiries {
        by_product.entry(*p).or_default().push(*e);
    }
    let mut out: Vec<i64> = oldest
        .into_iter()
        .filter(|(p, on)| by_product.get(p).is_some_and(|ex| needs_reevaluation(*on, today, ex)))
        .map(|(p, _)| p)
        .collect();
    out.sort_unstable();
    out
}

/// Runs `daily_tick` now and then every 15 minutes, for as long as the server runs; one
/// instance per 15-minute slot (`periodic::run_claimed`).
pub fn spawn_periodic(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(15 * 60));
        loop {
            every.tick().await;
            let slot = chrono::Duration::minutes(15);
            let period = crate::service::periodic::period_of(state.clock.now(), slot);
            let tick = crate::service::periodic::run_claimed(
                &state,
                "standards_tick",
                &period,
                slot,
                daily_tick(&state),
            );
            match tick.await {
                Ok(None) => {}
                Ok(Some(r)) => log_tick(&r),
                Err(e) => tracing::warn!(error = %e, "daily standards check failed"),
            }
        }
    });
}

fn log_tick(r: &TickReport) {
    if !r.versions_started.is_empty() || r.products_refreshed > 0 {
        tracing::info!(versions = ?r.versions_started, products = r.products_refreshed, "standards re-evaluated");
    }
    if r.sessions_purged > 0 || r.throttle_purged > 0 {
        tracing::info!(
            sessions = r.sessions_purged,
            throttle = r.throttle_purged,
            "expired sessions and throttle counters purged"
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn only_products_whose_certificates_crossed_a_boundary_are_stale() {
        let evaluated = [(1, d(6, 1)), (2, d(6, 1)), (2, d(5, 1)), (3, d(6, 1))];
        // 1: expires 1 June → expired from 2 June. 2: oldest evaluation 1 May, warning from 31 May.
        // 3: expires in December: nothing happens in June.
        let expiries = [(1, d(6, 1)), (2, d(6, 30)), (3, d(12, 31))];
        assert_eq!(stale_products(&evaluated, &expiries, d(6, 1)), vec![2]);
        assert_eq!(stale_products(&evaluated, &expiries, d(6, 2)), vec![1, 2]);
    }
}
