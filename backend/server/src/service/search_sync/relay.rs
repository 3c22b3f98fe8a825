//! The relay: claims due outbox rows with a lease (safe with several instances), re-evaluates
//! the products whose listing changed when the row asks for it, sends the *current* snapshot
//! of each product to the index (or deletes it when it is no longer published), and deletes
//! the rows only once the index took them, retrying with backoff while the engine (or the
//! re-evaluation) fails.

use chrono::Duration;
use etalase_db::repo::outbox;

use super::rebuild::{published_ids, reindex};
use super::snapshot::snapshot;
use crate::error::{AppError, AppResult};
use crate::service::standards;
use crate::state::AppState;

/// One pass of the relay: claims due rows, sends their snapshots, settles the rows. Returns
/// how many rows it settled.
pub async fn relay_once(state: &AppState, worker: &str) -> AppResult<usize> {
    let _one_pass = state.relay_pass.lock().await;
    let now = state.clock.now();
    // Nothing due, the usual case between changes: no revision taken, no write lock, a read
    // of the waiting rows' index only.
    if !outbox::any_due(&state.db, now).await? {
        return Ok(0);
    }
    let (revision, rows) =
        outbox::claim(&state.db, worker, now, Duration::seconds(60), 500).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let row_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let attempts = rows.iter().map(|r| r.attempts).max().unwrap_or(0);
    let mut ids: Vec<i64> = rows.iter().map(|r| r.product_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut changed: Vec<i64> =
        rows.iter().filter(|r| r.reevaluate).map(|r| r.product_id).collect();
    changed.sort_unstable();
    changed.dedup();
    let sent = async {
        // A listing change whose re-evaluation has not (surely) happened: do it before the
        // document is built, since the document carries the eligible standards.
        standards::refresh_evaluations(state, &changed).await?;
        let (mut docs, gone) = snapshot(state, &ids).await?;
        // Taken after the claim: newer than anything a lower revision holds.
        docs.iter_mut().for_each(|d| d.revision = revision);
        if !docs.is_empty() {
            state.search.upsert(&docs).await.map_err(|e| AppError::Unavailable(e.to_string()))?;
        }
        if !gone.is_empty() {
            state.search.delete(&gone).await.map_err(|e| AppError::Unavailable(e.to_string()))?;
        }
        Ok::<_, AppError>(())
    }
    .await;
    match sent {
        Ok(()) => {
            outbox::done(&state.db, worker, &row_ids, state.clock.now()).await?;
            Ok(row_ids.len())
        }
        Err(e) => {
            tracing::warn!(error = %e, rows = row_ids.len(), "search relay: index refused, will retry");
            state.metrics.relay_errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            outbox::failed(
                &state.db,
                worker,
                &row_ids,
                &e.to_string(),
                state.clock.now(),
                attempts,
            )
            .await?;
            Err(e)
        }
    }
}

/// Runs relay passes now until no due row is left (after a pass in progress finishes): the
/// test hook that replaces waiting for the background relay. Returns how many rows it settled.
pub async fn drain(state: &AppState) -> AppResult<usize> {
    let mut settled = 0;
    loop {
        match relay_once(state, &format!("drain-{}", std::process::id())).await? {
            0 => return Ok(settled),
            n => settled += n,
        }
    }
}

/// Runs the relay until the process ends: drains the outbox, then waits for a wake-up or
/// the interval.
pub fn spawn_relay(state: AppState) {
    let worker = format!("{}-{}", std::process::id(), rand::random::<u32>());
    let every = std::time::Duration::from_millis(state.config.search_relay_interval_ms.max(50));
    tokio::spawn(async move {
        loop {
            match crate::panic_guard::pass("relay pencarian", relay_once(&state, &worker)).await {
                Some(Ok(n)) if n > 0 => continue,
                _ => {}
            }
            let _ = tokio::time::timeout(every, state.relay_wake.notified()).await;
        }
    });
}

/// At start-up: an empty index beside a database with published products (a new machine, a
/// deleted index folder) is rebuilt in the background while the server answers.
pub fn spawn_initial_build(state: AppState) {
    tokio::spawn(async move {
        let empty = matches!(state.search.stats().await, Ok(s) if s.documents == 0);
        let has_products = matches!(published_ids(&state).await, Ok(ids) if !ids.is_empty());
        if empty && has_products {
            match reindex(&state).await {
                Ok(n) => tracing::info!(documents = n, "search index built"),
                Err(e) => {
                    tracing::warn!(error = %e, "initial search index build failed; the relay will retry changes")
                }
            }
        }
    });
}
