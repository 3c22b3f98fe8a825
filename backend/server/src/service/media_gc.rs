//! The orphan sweep: blobs that no row references (a photo upload or a document whose row was
//! never written, or whose row was deleted while a clean-up failed) are removed once they are
//! older than a grace period, so an upload in progress is never swept.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use etalase_db::repo::{certificates, inspection_photos, photos};

use crate::error::AppResult;
use crate::state::AppState;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct GcReport {
    pub scanned: usize,
    pub deleted: usize,
    pub kept_young: usize,
    /// Temporary files and sidecars left by interrupted writes, removed.
    pub leftovers: usize,
}

impl std::fmt::Display for GcReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} berkas diperiksa, {} berkas yatim dihapus, {} berkas yatim masih dalam masa \
             tenggang, {} sisa penulisan terputus dihapus",
            self.scanned, self.deleted, self.kept_young, self.leftovers
        )
    }
}

/// Sweeps blobs unreferenced for longer than `grace`, as of `now` (compared with the store's
/// own modification times, so pass the state's clock: the system clock outside tests).
#[tracing::instrument(skip(state))]
pub async fn sweep(state: &AppState, grace: Duration, now: DateTime<Utc>) -> AppResult<GcReport> {
    let mut report = GcReport::default();
    // Product photos and inspection shelf photos share the `photos/` blobs.
    let mut hashes: HashSet<String> = photos::all_hashes(&state.db).await?.into_iter().collect();
    hashes.extend(inspection_photos::all_hashes(&state.db).await?);
    let docs: HashSet<String> =
        certificates::all_document_keys(&state.db).await?.into_iter().collect();
    let cutoff = now - grace;
    for prefix in ["photos/", "certificates/"] {
        for blob in state.blobs.list(prefix).await? {
            report.scanned += 1;
            let used = if prefix == "photos/" {
                blob.key.split('/').nth(2).is_some_and(|h| hashes.contains(h))
            } else {
                docs.contains(&blob.key)
            };
            if used {
                continue;
            }
            if blob.modified > cutoff {
                report.kept_young += 1;
                continue;
            }
            state.blobs.delete(&blob.key).await?;
            report.deleted += 1;
        }
    }
    // A write is seconds long: what an interrupted one (kill -9) left is older than the grace.
    report.leftovers = state.blobs.remove_leftovers(cutoff).await?;
    Ok(report)
}

/// Runs the sweep every `interval` until the process ends (once per interval across instances).
pub fn spawn_periodic(state: AppState) {
    let every = std::time::Duration::from_secs(state.config.blob_gc_interval_minutes.max(1) * 60);
    let grace = Duration::minutes(state.config.blob_gc_grace_minutes);
    // One sweep per interval across all instances.
    let lease = Duration::minutes(
        i64::try_from(state.config.blob_gc_interval_minutes.max(1)).unwrap_or(60),
    );
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.tick().await;
        loop {
            tick.tick().await;
            let now = state.clock.now();
            let period = crate::service::periodic::period_of(now, lease);
            let run = crate::service::periodic::run_claimed(
                &state,
                "media_sweep",
                &period,
                lease,
                sweep(&state, grace, now),
            );
            match run.await {
                Ok(Some(r)) if r.deleted > 0 => tracing::info!(%r, "media gc"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "media gc failed"),
            }
        }
    });
}
