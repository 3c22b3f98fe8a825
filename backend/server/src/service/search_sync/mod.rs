//! Keeping the search index in step with the database. A product change and its outbox row
//! commit in one transaction (`enqueue`); the relay (`spawn_relay`) claims due rows with a
//! lease, sends the *current* snapshot of each product (or deletes it when it is no longer
//! published), and deletes the rows only once the index took them — retrying with backoff
//! while the engine is down. `reindex` rebuilds a fresh index and swaps it in; `drift` compares
//! database and index.

use std::sync::Arc;

use async_trait::async_trait;
use etalase_domain::search::{
    IndexStats, ProductDoc, SearchError, SearchIndex, SearchQuery, SearchResults,
};
use etalase_search::{EmbeddedIndex, MeiliIndex, Settings};

use crate::config::Config;

mod rebuild;
mod relay;
mod snapshot;

pub use rebuild::{Drift, drift, reindex};
pub use relay::{drain, relay_once, spawn_initial_build, spawn_relay};
pub use snapshot::snapshot;

/// Opens the configured index: Meilisearch when `MEILI_URL` is set, else the embedded engine.
pub async fn open_search(config: &Config) -> anyhow::Result<Arc<dyn SearchIndex>> {
    let settings = Settings::products()?;
    if let Some(url) = &config.meili_url {
        // Lazy: the server starts while Meilisearch is down; the relay catches up later.
        let idx = MeiliIndex::lazy(
            url,
            config.meili_master_key.as_deref(),
            &config.search_index,
            settings,
            etalase_search::meili::MeiliOptions::default(),
        )?;
        if let Err(e) = SearchIndex::stats(&idx).await {
            tracing::warn!(error = %e, "Meilisearch belum bisa dihubungi; server tetap berjalan");
        }
        return Ok(Arc::new(idx));
    }
    let dir = config.search_dir();
    let idx = tokio::task::spawn_blocking(move || EmbeddedIndex::open(&dir, settings)).await??;
    Ok(Arc::new(idx))
}

/// The index of command-line tools that never search: every call says the engine is not
/// open here. Writes of those tools reach the outbox, which the server's relay drains.
pub struct OfflineIndex;

fn offline<T>() -> Result<T, SearchError> {
    Err(SearchError::Unavailable("indeks pencarian tidak dibuka oleh perintah ini".into()))
}

#[async_trait]
impl SearchIndex for OfflineIndex {
    async fn apply_settings(&self) -> Result<(), SearchError> {
        offline()
    }
    async fn upsert(&self, _: &[ProductDoc]) -> Result<(), SearchError> {
        offline()
    }
    async fn delete(&self, _: &[i64]) -> Result<(), SearchError> {
        offline()
    }
    async fn clear(&self) -> Result<(), SearchError> {
        offline()
    }
    async fn search(&self, _: &SearchQuery) -> Result<SearchResults, SearchError> {
        offline()
    }
    async fn stats(&self) -> Result<IndexStats, SearchError> {
        offline()
    }
    async fn versions(&self) -> Result<Vec<(i64, i64)>, SearchError> {
        offline()
    }
    async fn begin_reindex(&self) -> Result<(), SearchError> {
        offline()
    }
    async fn reindex_upsert(&self, _: &[ProductDoc]) -> Result<(), SearchError> {
        offline()
    }
    async fn finish_reindex(&self) -> Result<(), SearchError> {
        offline()
    }
    async fn abort_reindex(&self) -> Result<(), SearchError> {
        offline()
    }
}
