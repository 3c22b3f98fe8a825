//! Periodic work with several instances: each task's run for a period (an hour of media
//! sweep, a 15-minute slot of the standards check, …) is claimed in the database first
//! (`task_runs`), so N instances run it once per period; a run whose instance died is taken
//! over when its lease ends. A panic in the work is caught and recorded as the run's outcome.

use std::future::Future;

use chrono::{DateTime, Duration, Utc};
use etalase_db::repo::task_runs;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The period `now` falls in, for a task run every `every`: the slot's start in UTC,
/// e.g. `2026-12-02T13:00`.
pub fn period_of(now: DateTime<Utc>, every: Duration) -> String {
    let step = every.num_seconds().max(60);
    let start = now.timestamp().div_euclid(step) * step;
    DateTime::from_timestamp(start, 0).unwrap_or(now).format("%Y-%m-%dT%H:%M").to_string()
}

/// Runs `work` for `task` in `period` if this instance wins the claim; `Ok(None)` when another
/// instance has it (or had it). The lease should outlast the longest honest run.
pub async fn run_claimed<T>(
    state: &AppState,
    task: &'static str,
    period: &str,
    lease: Duration,
    work: impl Future<Output = AppResult<T>>,
) -> AppResult<Option<T>> {
    let now = state.clock.now();
    if !task_runs::claim(&state.db, task, period, &state.instance, now, now + lease).await? {
        return Ok(None);
    }
    let result = crate::panic_guard::pass(task, work).await;
    let outcome = match &result {
        Some(Ok(_)) => "selesai".to_string(),
        Some(Err(e)) => format!("gagal: {e}"),
        None => "gagal: panic".to_string(),
    };
    task_runs::finish(&state.db, task, period, &state.instance, state.clock.now(), &outcome)
        .await?;
    match result {
        Some(Ok(v)) => Ok(Some(v)),
        Some(Err(e)) => Err(e),
        None => Err(AppError::Internal(anyhow::anyhow!("{task}: panic"))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_slots_of_the_interval() {
        let t = DateTime::parse_from_rfc3339("2026-12-02T13:47:10Z").unwrap().to_utc();
        assert_eq!(period_of(t, Duration::hours(1)), "2026-12-02T13:00");
        assert_eq!(period_of(t, Duration::minutes(15)), "2026-12-02T13:45");
        assert_eq!(period_of(t, Duration::hours(6)), "2026-12-02T12:00");
        assert_eq!(period_of(t, Duration::seconds(1)), "2026-12-02T13:47", "at least a minute");
    }
}
