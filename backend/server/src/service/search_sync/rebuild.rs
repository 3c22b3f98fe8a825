//! Rebuilding the index from the database (swap while answering) and the drift check that
//! compares the two.

use std::collections::HashMap;

use etalase_db::entities::product;
use etalase_db::repo::outbox;
use etalase_domain::search::SearchError;
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::snapshot::snapshot;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// All listed product ids (published, business verified), in order.
pub(super) async fn published_ids(state: &AppState) -> AppResult<Vec<i64>> {
    Ok(product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .filter(etalase_db::repo::products::listed())
        .order_by_asc(product::Column::Id)
        .into_tuple::<i64>()
        .all(&state.db)
        .await?)
}

/// How far before a reindex starts its catch-up looks back (clocks of instances differ a
/// little, and a transaction may commit a while after it enqueued).
const CATCH_UP_MARGIN_MINUTES: i64 = 5;

/// Rebuilds the index from the database into a fresh one and swaps it in; searches keep
/// answering from the old one meanwhile. Then every product whose outbox row was delivered
/// since the rebuild began — by any instance, perhaps to the old index only — is queued again,
/// so that change reaches the new one (rows still waiting reach it anyway) (the relay sends
/// the current snapshot, so sending twice is harmless). Returns the number of documents.
pub async fn reindex(state: &AppState) -> AppResult<usize> {
    let since = state.clock.now() - chrono::Duration::minutes(CATCH_UP_MARGIN_MINUTES);
    // Every snapshot below is read after this revision is taken, so each document is at least
    // as new as any delivery of a claim before it; later claims have higher revisions.
    let revision = outbox::next_revision(&state.db).await?;
    let ids = published_ids(state).await?;
    let unavailable = |e: SearchError| AppError::Unavailable(e.to_string());
    state.search.begin_reindex().await.map_err(unavailable)?;
    let mut n = 0;
    for chunk in ids.chunks(1000) {
        let (mut docs, _) = match snapshot(state, chunk).await {
            Ok(x) => x,
            Err(e) => {
                let _ = state.search.abort_reindex().await;
                return Err(e);
            }
        };
        docs.iter_mut().for_each(|d| d.revision = revision);
        if let Err(e) = state.search.reindex_upsert(&docs).await {
            let _ = state.search.abort_reindex().await;
            return Err(unavailable(e));
        }
        n += docs.len();
    }
    if let Err(e) = state.search.finish_reindex().await {
        let _ = state.search.abort_reindex().await;
        return Err(unavailable(e));
    }
    let changed = outbox::delivered_since(&state.db, since).await?;
    outbox::enqueue(&state.db, &changed, state.clock.now(), false).await?;
    state.relay_wake.notify_one();
    Ok(n)
}

/// What the drift check found.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Drift {
    /// Published products the index lacks.
    pub missing: Vec<i64>,
    /// Products whose document differs from the database (the index has an older snapshot).
    pub stale: Vec<i64>,
    /// Documents of products that are not (or no longer) published.
    pub extra: Vec<i64>,
    pub database: usize,
    pub index: usize,
    /// Outbox rows still waiting (changes on their way, not drift).
    pub pending: u64,
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} produk tayang di basis data, {} dokumen di indeks; {} hilang, {} basi, {} berlebih; {} perubahan masih di antrean",
            self.database,
            self.index,
            self.missing.len(),
            self.stale.len(),
            self.extra.len(),
            self.pending
        )
    }
}

/// Compares the database's published products (their current snapshot fingerprints) with the
/// index.
pub async fn drift(state: &AppState) -> AppResult<Drift> {
    let ids = published_ids(state).await?;
    let mut expected: HashMap<i64, i64> = HashMap::new();
    for chunk in ids.chunks(1000) {
        let (docs, _) = snapshot(state, chunk).await?;
        expected.extend(docs.into_iter().map(|d| (d.id, d.version)));
    }
    let actual: HashMap<i64, i64> = state
        .search
        .versions()
        .await
        .map_err(|e| AppError::Unavailable(e.to_string()))?
        .into_iter()
        .collect();
    let mut d = Drift {
        database: expected.len(),
        index: actual.len(),
        pending: outbox::pending(&state.db).await?,
        ..Drift::default()
    };
    for (id, v) in &expected {
        match actual.get(id) {
            None => d.missing.push(*id),
            Some(a) if a != v => d.stale.push(*id),
            Some(_) => {}
        }
    }
    d.extra = actual.keys().filter(|id| !expected.contains_key(id)).copied().collect();
    d.missing.sort_unstable();
    d.stale.sort_unstable();
    d.extra.sort_unstable();
    Ok(d)
}
