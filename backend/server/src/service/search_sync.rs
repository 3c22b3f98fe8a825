//! Keeping the search index in step with the database. A product change and its outbox row
//! commit in one transaction (`enqueue`); the relay (`spawn_relay`) claims due rows with a
//! lease, sends the *current* snapshot of each product (or deletes it when it is no longer
//! published), and deletes the rows only once the index took them — retrying with backoff
//! while the engine is down. `reindex` rebuilds a fresh index and swaps it in; `drift` compares
//! database and index.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::Duration;
use etalase_db::entities::{certificate, photo, producer, product};
use etalase_db::repo::{certificates, outbox, photos, producers};
use etalase_domain::certificate::validity_on;
use etalase_domain::lifecycle::ListingStatus;
use etalase_domain::search::{
    IndexStats, ProductDoc, SearchError, SearchIndex, SearchQuery, SearchResults,
};
use etalase_search::{EmbeddedIndex, MeiliIndex, Settings};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Opens the configured index: Meilisearch when `MEILI_URL` is set, else the embedded engine.
pub async fn open_search(config: &Config) -> anyhow::Result<Arc<dyn SearchIndex>> {
    let settings = Settings::products()?;
    if let Some(url) = &config.meili_url {
        let idx = MeiliIndex::new(
            url,
            config.meili_master_key.as_deref(),
            &config.search_index,
            settings,
        )
        .await?;
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

/// Records, in the caller's transaction, that these products' documents must be refreshed.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    product_ids: &[i64],
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    outbox::enqueue(db, product_ids, now).await?;
    Ok(())
}

/// Every product of a producer (its name, place or status shows in their documents).
pub async fn products_of(db: &impl ConnectionTrait, producer_id: i64) -> AppResult<Vec<i64>> {
    Ok(product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .filter(product::Column::ProducerId.eq(producer_id))
        .into_tuple::<i64>()
        .all(db)
        .await?)
}

/// A fingerprint of the document's content, kept in `version` so drift shows stale ones.
fn fingerprint(doc: &ProductDoc) -> i64 {
    let mut d = doc.clone();
    d.version = 0;
    let bytes = serde_json::to_vec(&d).unwrap_or_default();
    let h = Sha256::digest(&bytes);
    i64::from_be_bytes([h[0] & 0x7f, h[1], h[2], h[3], h[4], h[5], h[6], h[7]])
}

fn build_doc(
    p: &product::Model,
    pr: &producer::Model,
    certs: &[&certificate::Model],
    pics: &[&photo::Model],
    today: chrono::NaiveDate,
    eligible: Vec<i64>,
) -> ProductDoc {
    let view = crate::service::views::ProducerView::from(pr);
    let mut kinds: Vec<String> = certs
        .iter()
        .filter(|c| validity_on(c.expires_on, today).is_valid())
        .map(|c| c.kind.as_str().to_string())
        .collect();
    kinds.sort();
    kinds.dedup();
    let thumb = pics
        .iter()
        .find(|x| x.is_primary)
        .or(pics.first())
        .map(|x| crate::service::views::PhotoView::from(*x).thumbnail_url);
    let mut doc = ProductDoc {
        id: p.id,
        name: p.name.clone(),
        description: p.description.clone(),
        brand: p.brand.clone(),
        category: p.category.clone(),
        category_name: etalase_domain::category::category_by_slug(&p.category)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        producer_id: pr.id,
        producer_name: pr.name.clone(),
        kecamatan_code: pr.kecamatan_code.clone(),
        kecamatan: view.kecamatan,
        kelurahan_code: pr.kelurahan_code.clone(),
        halal: kinds.iter().any(|k| k == "halal"),
        cert_kinds: kinds,
        retail_price: p.retail_price,
        pack_size: p.pack_size,
        net_content_label: match (p.net_content, &p.net_unit) {
            (Some(n), Some(u)) => Some(format!("{n} {u}")),
            _ => None,
        },
        published_at: p.published_at.map(|t| t.timestamp()).unwrap_or(0),
        lat: pr.lat,
        lon: pr.lon,
        gtin: p.gtin.clone(),
        nib: pr.nib.clone(),
        thumbnail_url: thumb,
        eligible_standards: eligible,
        version: 0,
    };
    doc.version = fingerprint(&doc);
    doc
}

/// Current documents of the given products that are published; the others are returned as
/// ids to delete from the index.
pub async fn snapshot(state: &AppState, ids: &[i64]) -> AppResult<(Vec<ProductDoc>, Vec<i64>)> {
    let items = product::Entity::find()
        .filter(product::Column::Id.is_in(ids.to_vec()))
        .all(&state.db)
        .await?;
    let published: Vec<&product::Model> =
        items.iter().filter(|p| p.status == ListingStatus::Published).collect();
    let keep: HashSet<i64> = published.iter().map(|p| p.id).collect();
    let gone: Vec<i64> = ids.iter().copied().filter(|id| !keep.contains(id)).collect();
    let pids: Vec<i64> = published.iter().map(|p| p.id).collect();
    let mut producer_ids: Vec<i64> = published.iter().map(|p| p.producer_id).collect();
    producer_ids.sort_unstable();
    producer_ids.dedup();
    let prods = producers::find_many(&state.db, producer_ids).await?;
    let certs = certificates::for_products(&state.db, pids.clone()).await?;
    let pics = photos::for_products(&state.db, pids.clone()).await?;
    let eligible = eligible_standards(state, &pids).await?;
    let today = state.clock.today_wib();
    let docs = published
        .iter()
        .filter_map(|p| {
            let pr = prods.iter().find(|x| x.id == p.producer_id)?;
            let cs: Vec<&certificate::Model> =
                certs.iter().filter(|c| c.product_id == p.id).collect();
            let ph: Vec<&photo::Model> = pics.iter().filter(|x| x.product_id == p.id).collect();
            Some(build_doc(
                p,
                pr,
                &cs,
                &ph,
                today,
                eligible.get(&p.id).cloned().unwrap_or_default(),
            ))
        })
        .collect();
    Ok((docs, gone))
}

/// Standards each product meets today (from the stored evaluations).
async fn eligible_standards(state: &AppState, ids: &[i64]) -> AppResult<HashMap<i64, Vec<i64>>> {
    super::standards::eligible_standard_ids(state, ids).await
}

/// One pass of the relay: claims due rows, sends their snapshots, settles the rows. Returns
/// how many rows it settled.
pub async fn relay_once(state: &AppState, worker: &str) -> AppResult<usize> {
    let now = chrono::Utc::now();
    let rows = outbox::claim(&state.db, worker, now, Duration::seconds(60), 500).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let row_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let attempts = rows.iter().map(|r| r.attempts).max().unwrap_or(0);
    let mut ids: Vec<i64> = rows.iter().map(|r| r.product_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let sent = async {
        let (docs, gone) = snapshot(state, &ids).await?;
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
            outbox::done(&state.db, worker, &row_ids).await?;
            Ok(row_ids.len())
        }
        Err(e) => {
            tracing::warn!(error = %e, rows = row_ids.len(), "search relay: index refused, will retry");
            outbox::failed(
                &state.db,
                worker,
                &row_ids,
                &e.to_string(),
                chrono::Utc::now(),
                attempts,
            )
            .await?;
            Err(e)
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
            match relay_once(&state, &worker).await {
                Ok(n) if n > 0 => continue,
                Ok(_) | Err(_) => {}
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

/// Wakes the relay now (after a commit that enqueued something).
pub fn wake(state: &AppState) {
    state.relay_wake.notify_one();
}

/// All published product ids, in order.
async fn published_ids(state: &AppState) -> AppResult<Vec<i64>> {
    Ok(product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .filter(product::Column::Status.eq(ListingStatus::Published.as_str()))
        .order_by_asc(product::Column::Id)
        .into_tuple::<i64>()
        .all(&state.db)
        .await?)
}

/// Rebuilds the index from the database into a fresh one and swaps it in; searches keep
/// answering from the old one meanwhile. Returns the number of documents.
pub async fn reindex(state: &AppState) -> AppResult<usize> {
    let ids = published_ids(state).await?;
    let unavailable = |e: SearchError| AppError::Unavailable(e.to_string());
    state.search.begin_reindex().await.map_err(unavailable)?;
    let mut n = 0;
    for chunk in ids.chunks(1000) {
        let (docs, _) = match snapshot(state, chunk).await {
            Ok(x) => x,
            Err(e) => {
                let _ = state.search.abort_reindex().await;
                return Err(e);
            }
        };
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
