//! Owns the embedded search engine (`EmbeddedIndex`): a tantivy index in a directory (the
//! server passes `./data/search/`) that answers the same queries as the Meilisearch adapter,
//! configured from the same `Settings`. Searches run side by side; writes are serialized (one
//! tantivy writer), each commits and reloads the reader before returning. Reindexing builds a
//! fresh generation directory beside the live one (writes go to both meanwhile), then swaps
//! the `CURRENT` pointer atomically while searches keep answering from whichever generation
//! they started on. Searches run on search threads, one per core, in the order they come
//! (`searchers.rs`); writes and other tantivy calls on the blocking thread pool.

mod bits;
mod columns;
mod filters;
mod generation;
mod grid;
mod matching;
mod ranking;
mod run;
mod schema;
mod searchers;

use crate::error::{Error, Result};
use crate::plan::TextRules;
use crate::settings::Settings;
use async_trait::async_trait;
use etalase_domain::search::{
    IndexStats, ProductDoc, SearchError, SearchIndex, SearchQuery, SearchResults,
};
use generation::{Generation, current, next_name, remove_others, set_current};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// The embedded search engine.
#[derive(Clone)]
pub struct EmbeddedIndex {
    inner: Arc<Inner>,
}

struct Inner {
    dir: PathBuf,
    settings: Settings,
    rules: TextRules,
    live: RwLock<Arc<Generation>>,
    staging: Mutex<Option<Arc<Generation>>>,
    writes: tokio::sync::Mutex<()>,
    /// The threads searches run on, one per core.
    searchers: searchers::Searchers,
}

impl std::fmt::Debug for EmbeddedIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedIndex").field("dir", &self.inner.dir).finish()
    }
}

fn poisoned() -> Error {
    Error::Corrupt("kunci indeks rusak".into())
}

impl EmbeddedIndex {
    /// Opens (or creates) the index in `dir`. Blocking: call at startup.
    pub fn open(dir: &Path, settings: Settings) -> Result<EmbeddedIndex> {
        settings.check()?;
        std::fs::create_dir_all(dir)?;
        let stop = settings.stop_words.clone();
        let generation = match current(dir)? {
            Some(name)
                if dir.join(&name).is_dir() && Generation::is_current_format(dir, &name, &stop) =>
            {
                Generation::open(dir, &name, &stop)?
            }
            previous => {
                if let Some(name) = previous {
                    // Missing, or written by an older version or other stop words: the server
                    // rebuilds an empty index from the database at start.
                    tracing::warn!(%name, "generasi indeks hilang atau berformat lama; membuat indeks kosong (dibangun ulang)");
                }
                let name = next_name(dir)?;
                let generation = Generation::create(dir, &name, &stop)?;
                set_current(dir, &name)?;
                generation
            }
        };
        remove_others(dir, &generation.name);
        let inner = Inner {
            dir: dir.to_path_buf(),
            rules: TextRules::new(&settings),
            settings,
            live: RwLock::new(Arc::new(generation)),
            staging: Mutex::new(None),
            writes: tokio::sync::Mutex::new(()),
            searchers: searchers::Searchers::start(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            )?,
        };
        Ok(EmbeddedIndex { inner: Arc::new(inner) })
    }

    /// The settings the engine runs with.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    fn live(&self) -> Result<Arc<Generation>> {
        Ok(self.inner.live.read().map_err(|_| poisoned())?.clone())
    }

    fn staging(&self) -> Result<Option<Arc<Generation>>> {
        Ok(self.inner.staging.lock().map_err(|_| poisoned())?.clone())
    }

    fn take_staging(&self) -> Result<Arc<Generation>> {
        let taken = self.inner.staging.lock().map_err(|_| poisoned())?.take();
        taken.ok_or_else(|| Error::Reindex("tidak ada reindeks yang berjalan".into()))
    }

    /// Writes to the live generation and, during a reindex, to the new one too.
    async fn write_all(
        &self,
        op: impl Fn(&Generation) -> Result<()> + Send + 'static,
    ) -> Result<()> {
        let _guard = self.inner.writes.lock().await;
        let targets: Vec<_> = std::iter::once(self.live()?).chain(self.staging()?).collect();
        blocking(move || targets.iter().try_for_each(|g| op(g))).await
    }
}

/// Runs blocking tantivy work off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await?
}

/// Stops a retired generation's writer and removes its directory (best effort: searches that
/// still hold it keep reading their open files).
fn retire(generation: Arc<Generation>) {
    if let Err(e) = generation.close() {
        tracing::warn!(name = %generation.name, error = %e, "penulis indeks lama gagal ditutup");
    }
    if let Err(e) = std::fs::remove_dir_all(&generation.path) {
        tracing::warn!(dir = %generation.path.display(), error = %e, "generasi lama tidak terhapus");
    }
}

#[async_trait]
impl SearchIndex for EmbeddedIndex {
    async fn apply_settings(&self) -> Result<(), SearchError> {
        // Settings are read at query time; the schema holds every attribute they may name.
        Ok(self.inner.settings.check()?)
    }

    #[tracing::instrument(skip(self, docs), fields(n = docs.len()))]
    async fn upsert(&self, docs: &[ProductDoc]) -> Result<(), SearchError> {
        let docs = docs.to_vec();
        Ok(self.write_all(move |g| g.upsert(&docs)).await?)
    }

    #[tracing::instrument(skip(self, ids), fields(n = ids.len()))]
    async fn delete(&self, ids: &[i64]) -> Result<(), SearchError> {
        let ids = ids.to_vec();
        Ok(self.write_all(move |g| g.delete(&ids)).await?)
    }

    #[tracing::instrument(skip(self))]
    async fn clear(&self) -> Result<(), SearchError> {
        Ok(self.write_all(|g| g.clear()).await?)
    }

    #[tracing::instrument(skip(self))]
    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        query.validate()?;
        let (live, inner, q) = (self.live()?, self.inner.clone(), query.clone());
        let search = move || run::search(&live, &inner.settings, &inner.rules, &q);
        Ok(self.inner.searchers.run(search).await?)
    }

    async fn stats(&self) -> Result<IndexStats, SearchError> {
        Ok(IndexStats { documents: self.live()?.count() })
    }

    async fn versions(&self) -> Result<Vec<(i64, i64)>, SearchError> {
        let generation = self.live()?;
        Ok(blocking(move || generation.versions()).await?)
    }

    #[tracing::instrument(skip(self))]
    async fn begin_reindex(&self) -> Result<(), SearchError> {
        let _guard = self.inner.writes.lock().await;
        if self.staging()?.is_some() {
            return Err(Error::Reindex("reindeks lain sedang berjalan".into()).into());
        }
        let (dir, stop) = (self.inner.dir.clone(), self.inner.settings.stop_words.clone());
        let generation =
            blocking(move || Generation::create(&dir, &next_name(&dir)?, &stop)).await?;
        *self.inner.staging.lock().map_err(|_| poisoned())? = Some(Arc::new(generation));
        Ok(())
    }

    async fn reindex_upsert(&self, docs: &[ProductDoc]) -> Result<(), SearchError> {
        let _guard = self.inner.writes.lock().await;
        let generation =
            self.staging()?.ok_or_else(|| Error::Reindex("reindeks belum dimulai".into()))?;
        let docs = docs.to_vec();
        Ok(blocking(move || generation.upsert(&docs)).await?)
    }

    #[tracing::instrument(skip(self))]
    async fn finish_reindex(&self) -> Result<(), SearchError> {
        let _guard = self.inner.writes.lock().await;
        let new = self.take_staging()?;
        let (dir, name, staged) = (self.inner.dir.clone(), new.name.clone(), new.clone());
        if let Err(e) = blocking(move || {
            staged.compact()?;
            set_current(&dir, &name)
        })
        .await
        {
            *self.inner.staging.lock().map_err(|_| poisoned())? = Some(new);
            return Err(e.into());
        }
        let old = std::mem::replace(&mut *self.inner.live.write().map_err(|_| poisoned())?, new);
        tracing::info!(old = %old.name, "indeks baru dipakai");
        blocking(move || {
            retire(old);
            Ok(())
        })
        .await?;
        Ok(())
    }

    #[tracing::instrument(skip(self))]
    async fn abort_reindex(&self) -> Result<(), SearchError> {
        let _guard = self.inner.writes.lock().await;
        let generation = self.take_staging()?;
        blocking(move || {
            retire(generation);
            Ok(())
        })
        .await?;
        Ok(())
    }
}
