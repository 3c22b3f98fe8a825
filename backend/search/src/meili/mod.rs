//! Owns the Meilisearch adapter (`MeiliIndex`, `meilisearch-sdk`). Before the first operation
//! it creates the index (primary key `id`) if missing and applies `Settings` (at `new`, or —
//! with `lazy`, so a server starts while Meilisearch is down — at the first call that reaches
//! it; a failed attempt is tried again by the next call).
//! Documents carry `_geo: {lat, lng}` from the producer's coordinates. Every write is an
//! asynchronous task: the adapter waits for it (60 s by default) and checks it succeeded.
//! Reindex builds `<uid>__reindex_<n>` (settings first, then every document enqueued without
//! waiting, so Meilisearch indexes them in large batches; all are waited for before the swap),
//! swaps it with the live index (`POST /swap-indexes`) and deletes the old one; writes
//! meanwhile go to both.

mod answer;
mod conn;
mod documents;
pub mod filter;
mod http;
mod json;
mod options;
mod request;
mod scan;
mod tasks;

pub use filter::filter_expression;
pub use options::MeiliOptions;
pub use request::multi_search_body;

use crate::error::{Error, Result};
use crate::plan::TextRules;
use crate::settings::Settings;
use async_trait::async_trait;
use documents::MeiliDoc;
use etalase_domain::search::{
    IndexStats, ProductDoc, SearchError, SearchIndex, SearchQuery, SearchResults,
};
use http::{Client, Index, SizedHttp};
use meilisearch_sdk::client::SwapIndexes;
use meilisearch_sdk::documents::DocumentsQuery;
use meilisearch_sdk::errors::ErrorCode;
use meilisearch_sdk::tasks::Task;
use std::time::{SystemTime, UNIX_EPOCH};

/// The Meilisearch adapter.
pub struct MeiliIndex {
    client: Client,
    /// The client's HTTP client, for the search (its answer is read without the SDK's types).
    http: SizedHttp,
    /// `{url}/multi-search`, parsed once.
    search_url: reqwest::Url,
    /// The search's own connections (plain `http://` only).
    conns: Option<conn::Conns>,
    uid: String,
    settings: Settings,
    /// The settings' text rules, for the name highlighter's marks.
    rules: TextRules,
    options: MeiliOptions,
    /// The index being built by a reindex.
    staging: tokio::sync::Mutex<Option<String>>,
    /// The reindex's document tasks, enqueued without waiting (Meilisearch batches them);
    /// `finish_reindex` waits for them all before the swap.
    staged: tokio::sync::Mutex<Vec<meilisearch_sdk::task_info::TaskInfo>>,
    /// Set once the live index exists with its settings.
    ready: tokio::sync::OnceCell<()>,
}

impl std::fmt::Debug for MeiliIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeiliIndex").field("uid", &self.uid).finish()
    }
}

impl MeiliIndex {
    /// Connects to `url` (no trailing `/`), creates index `uid` if missing and applies
    /// `settings`, waiting for each task.
    pub async fn new(
        url: &str,
        api_key: Option<&str>,
        uid: &str,
        settings: Settings,
    ) -> Result<MeiliIndex> {
        MeiliIndex::with_options(url, api_key, uid, settings, MeiliOptions::default()).await
    }

    /// `new` with explicit timeouts.
    #[tracing::instrument(skip(api_key, settings, options))]
    pub async fn with_options(
        url: &str,
        api_key: Option<&str>,
        uid: &str,
        settings: Settings,
        options: MeiliOptions,
    ) -> Result<MeiliIndex> {
        let me = MeiliIndex::lazy(url, api_key, uid, settings, options)?;
        me.ensure_ready().await?;
        Ok(me)
    }

    /// Like `with_options` without contacting Meilisearch: the index and its settings are made
    /// by the first operation that reaches it (a server starts while the engine is down).
    pub fn lazy(
        url: &str,
        api_key: Option<&str>,
        uid: &str,
        settings: Settings,
        options: MeiliOptions,
    ) -> Result<MeiliIndex> {
        settings.check()?;
        let http = SizedHttp::new(api_key)?;
        let client = Client::new_with_client(url, api_key, http.clone());
        let search_url = reqwest::Url::parse(&format!("{url}/multi-search"))
            .map_err(|e| Error::Settings(format!("alamat Meilisearch \"{url}\": {e}")))?;
        Ok(MeiliIndex {
            client,
            conns: conn::Conns::new(&search_url, api_key),
            http,
            search_url,
            uid: uid.to_string(),
            rules: TextRules::new(&settings),
            settings,
            options,
            staging: tokio::sync::Mutex::new(None),
            staged: tokio::sync::Mutex::new(Vec::new()),
            ready: tokio::sync::OnceCell::new(),
        })
    }

    /// The live index, once `query` is valid and the index is ready.
    async fn searchable(&self, query: &SearchQuery) -> Result<Index> {
        query.validate()?;
        self.ensure_ready().await?;
        Ok(self.index(&self.uid))
    }

    /// Where a search is posted.
    fn to(&self) -> request::To<'_> {
        request::To {
            http: &self.http,
            conns: self.conns.as_ref(),
            url: &self.search_url,
            timeout: self.options.search_timeout,
        }
    }

    /// Creates the live index and applies the settings, once (retried until it succeeds).
    async fn ensure_ready(&self) -> Result<()> {
        self.ready
            .get_or_try_init(|| async {
                self.ensure_index(&self.uid).await?;
                self.apply_settings_to(&self.uid).await
            })
            .await?;
        Ok(())
    }

    /// The live index uid.
    pub fn uid(&self) -> &str {
        &self.uid
    }

    fn index(&self, uid: &str) -> Index {
        self.client.index(uid)
    }

    async fn wait(&self, info: meilisearch_sdk::task_info::TaskInfo) -> Result<()> {
        tasks::succeeded(&self.client, info, &self.options).await
    }

    /// Creates `uid` with primary key `id` unless it exists.
    async fn ensure_index(&self, uid: &str) -> Result<()> {
        let info = self.client.create_index(uid, Some("id")).await?;
        match tasks::finished(&self.client, &info, &self.options).await? {
            Task::Failed { content }
                if content.error.error_code != ErrorCode::IndexAlreadyExists =>
            {
                Err(tasks::failure(info.task_uid, &content.error))
            }
            _ => Ok(()),
        }
    }

    async fn apply_settings_to(&self, uid: &str) -> Result<()> {
        let info = self.index(uid).set_settings(&self.settings.to_meili()).await?;
        self.wait(info).await
    }

    /// Sends `docs`, except those the index holds a higher revision of (`crate::revision`;
    /// the stored revisions are read first, so only a write racing this one can slip by).
    async fn upsert_to(&self, uid: &str, docs: &[ProductDoc]) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let docs = crate::revision::newest(docs);
        let stored = documents::stored_revisions(&self.index(uid), &docs).await?;
        let send: Vec<MeiliDoc<'_>> = docs
            .into_iter()
            .filter(|d| crate::revision::may_replace(d, stored.get(&d.id).copied()))
            .map(MeiliDoc::of)
            .collect();
        if send.is_empty() {
            return Ok(());
        }
        let info = self.index(uid).add_or_replace(&send, Some("id")).await?;
        self.wait(info).await
    }

    async fn delete_in(&self, uid: &str, ids: &[i64]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let info = self.index(uid).delete_documents(ids).await?;
        self.wait(info).await
    }

    async fn delete_index_uid(&self, uid: &str) -> Result<()> {
        let info = self.client.delete_index(uid).await?;
        self.wait(info).await
    }

    /// Deletes the live index (tests, teardown).
    pub async fn delete_index(&self) -> Result<()> {
        self.delete_index_uid(&self.uid).await
    }

    /// Waits for the reindex's enqueued document tasks: the last one first (tasks of an index
    /// run in order; its limit grows with the number enqueued), then checks every one succeeded.
    async fn wait_staged(&self) -> Result<()> {
        let staged = std::mem::take(&mut *self.staged.lock().await);
        let Some(last) = staged.last() else { return Ok(()) };
        let n = u32::try_from(staged.len()).unwrap_or(u32::MAX).min(60);
        let long =
            MeiliOptions { task_timeout: self.options.task_timeout * n, ..self.options.clone() };
        tasks::finished(&self.client, last, &long).await?;
        for info in staged {
            self.wait(info).await?;
        }
        Ok(())
    }

    /// Live uid and, during a reindex, the staging uid: where writes go.
    async fn targets(&self) -> Result<Vec<String>> {
        self.ensure_ready().await?;
        let staging = self.staging.lock().await.clone();
        Ok(std::iter::once(self.uid.clone()).chain(staging).collect())
    }

    async fn take_staging(&self) -> Result<String> {
        self.staging
            .lock()
            .await
            .take()
            .ok_or_else(|| Error::Reindex("tidak ada reindeks yang berjalan".into()))
    }
}

#[async_trait]
impl SearchIndex for MeiliIndex {
    async fn apply_settings(&self) -> Result<(), SearchError> {
        Ok(self.apply_settings_to(&self.uid).await?)
    }

    #[tracing::instrument(skip(self, docs), fields(uid = %self.uid, n = docs.len()))]
    async fn upsert(&self, docs: &[ProductDoc]) -> Result<(), SearchError> {
        for uid in self.targets().await? {
            self.upsert_to(&uid, docs).await?;
        }
        Ok(())
    }

    #[tracing::instrument(skip(self, ids), fields(uid = %self.uid, n = ids.len()))]
    async fn delete(&self, ids: &[i64]) -> Result<(), SearchError> {
        for uid in self.targets().await? {
            self.delete_in(&uid, ids).await?;
        }
        Ok(())
    }

    #[tracing::instrument(skip(self), fields(uid = %self.uid))]
    async fn clear(&self) -> Result<(), SearchError> {
        for uid in self.targets().await? {
            let info = self.index(&uid).delete_all_documents().await.map_err(Error::from)?;
            self.wait(info).await?;
        }
        Ok(())
    }

    #[tracing::instrument(skip(self), fields(uid = %self.uid))]
    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let index = self.searchable(query).await?;
        Ok(request::search(self.to(), &index, (&self.settings, &self.rules), query).await?)
    }

    async fn search_json(&self, query: &SearchQuery) -> Result<Vec<u8>, SearchError> {
        let index = self.searchable(query).await?;
        Ok(request::search_json(self.to(), &index, (&self.settings, &self.rules), query).await?)
    }

    async fn stats(&self) -> Result<IndexStats, SearchError> {
        self.ensure_ready().await?;
        let index = self.index(&self.uid);
        let mut q = DocumentsQuery::new(&index);
        q.with_limit(1);
        let page =
            index.get_documents_with::<serde::de::IgnoredAny>(&q).await.map_err(Error::from)?;
        Ok(IndexStats { documents: u64::from(page.total) })
    }

    async fn versions(&self) -> Result<Vec<(i64, i64)>, SearchError> {
        #[derive(serde::Deserialize)]
        struct IdVersion {
            id: i64,
            version: i64,
        }
        self.ensure_ready().await?;
        let index = self.index(&self.uid);
        let mut out = Vec::new();
        let mut offset = 0usize;
        loop {
            let mut q = DocumentsQuery::new(&index);
            q.with_limit(1000).with_offset(offset).with_fields(["id", "version"]);
            let page = index.get_documents_with::<IdVersion>(&q).await.map_err(Error::from)?;
            let n = page.results.len();
            out.extend(page.results.into_iter().map(|d| (d.id, d.version)));
            if n < 1000 {
                break;
            }
            offset += n;
        }
        Ok(out)
    }

    #[tracing::instrument(skip(self), fields(uid = %self.uid))]
    async fn begin_reindex(&self) -> Result<(), SearchError> {
        self.ensure_ready().await?;
        let mut staging = self.staging.lock().await;
        if staging.is_some() {
            return Err(Error::Reindex("reindeks lain sedang berjalan".into()).into());
        }
        let nanos =
            SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
        let uid = format!("{}__reindex_{nanos}", self.uid);
        self.ensure_index(&uid).await?;
        self.apply_settings_to(&uid).await?;
        *staging = Some(uid);
        Ok(())
    }

    /// Enqueues the documents into the staging index without waiting: the index is new, so
    /// there are no stored revisions to read, and consecutive additions are indexed by
    /// Meilisearch as one batch. Changes made during the reindex are sent again after the swap
    /// (`search_sync::reindex`), so a snapshot older than a concurrent write does not stay.
    async fn reindex_upsert(&self, docs: &[ProductDoc]) -> Result<(), SearchError> {
        let uid = self.staging.lock().await.clone();
        let uid = uid.ok_or_else(|| Error::Reindex("reindeks belum dimulai".into()))?;
        let send: Vec<MeiliDoc<'_>> =
            crate::revision::newest(docs).into_iter().map(MeiliDoc::of).collect();
        if send.is_empty() {
            return Ok(());
        }
        let info = self.index(&uid).add_or_replace(&send, Some("id")).await.map_err(Error::from)?;
        self.staged.lock().await.push(info);
        Ok(())
    }

    #[tracing::instrument(skip(self), fields(uid = %self.uid))]
    async fn finish_reindex(&self) -> Result<(), SearchError> {
        let staging = self.take_staging().await?;
        if let Err(e) = self.wait_staged().await {
            *self.staging.lock().await = Some(staging);
            return Err(e.into());
        }
        self.ensure_index(&self.uid).await?;
        let swap = SwapIndexes { indexes: (self.uid.clone(), staging.clone()), rename: None };
        let info = self.client.swap_indexes([&swap]).await.map_err(Error::from)?;
        if let Err(e) = self.wait(info).await {
            *self.staging.lock().await = Some(staging);
            return Err(e.into());
        }
        // After the swap `staging` holds the old documents.
        Ok(self.delete_index_uid(&staging).await?)
    }

    #[tracing::instrument(skip(self), fields(uid = %self.uid))]
    async fn abort_reindex(&self) -> Result<(), SearchError> {
        self.staged.lock().await.clear();
        let staging = self.take_staging().await?;
        Ok(self.delete_index_uid(&staging).await?)
    }
}
