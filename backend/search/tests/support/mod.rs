//! Test support: the fixtures, and `contract!`, which runs one test body against the embedded
//! engine (a fresh temp dir) and, when `MEILI_URL` is set, against Meilisearch (a fresh index
//! uid with a random suffix, deleted afterwards even when the body panics).

#![allow(dead_code)]

pub mod catalog;
pub mod fixtures;

use etalase_domain::search::{ProductDoc, SearchIndex, SearchQuery, SearchResults};
use etalase_search::{EmbeddedIndex, MeiliIndex, Settings};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// An embedded index in `dir` holding the fixtures.
pub async fn embedded(dir: &Path) -> EmbeddedIndex {
    let index = EmbeddedIndex::open(dir, Settings::products().unwrap()).unwrap();
    load(&index, "embedded").await;
    index
}

/// A Meilisearch index holding the fixtures, or `None` (with a note) without `MEILI_URL`.
pub async fn meili(test: &str) -> Option<MeiliIndex> {
    let index = meili_empty(test).await?;
    load(&index, "meilisearch").await;
    Some(index)
}

/// A new empty Meilisearch index, or `None` (with a note) without `MEILI_URL`; with
/// `MEILI_REQUIRED=1` a missing `MEILI_URL` fails the test instead.
pub async fn meili_empty(test: &str) -> Option<MeiliIndex> {
    let Ok(url) = std::env::var("MEILI_URL") else {
        assert!(
            std::env::var("MEILI_REQUIRED").as_deref() != Ok("1"),
            "MEILI_REQUIRED=1 but MEILI_URL is not set: the Meilisearch half cannot be skipped"
        );
        eprintln!("Meilisearch half skipped: MEILI_URL not set");
        return None;
    };
    let key = std::env::var("MEILI_MASTER_KEY").ok();
    let index =
        MeiliIndex::new(&url, key.as_deref(), &unique_uid(test), Settings::products().unwrap())
            .await
            .unwrap();
    Some(index)
}

/// `etalase_test_<test>_<random>`.
pub fn unique_uid(test: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
    let n = N.fetch_add(1, Ordering::Relaxed);
    format!("etalase_test_{test}_{}_{nanos:x}{n}", std::process::id())
}

async fn load(index: &dyn SearchIndex, engine: &str) {
    let started = Instant::now();
    index.upsert(&fixtures::products()).await.unwrap();
    eprintln!(
        "[{engine}] {} fixtures indexed in {:?}",
        fixtures::products().len(),
        started.elapsed()
    );
}

/// Runs `q` and fails with the engine's error.
pub async fn search(index: &dyn SearchIndex, q: &SearchQuery) -> SearchResults {
    index.search(q).await.unwrap_or_else(|e| panic!("search {q:?} failed: {e}"))
}

/// Hit ids in order.
pub fn ids(r: &SearchResults) -> Vec<i64> {
    r.hits.iter().map(|h| h.doc.id).collect()
}

/// Hit ids sorted.
pub fn id_set(r: &SearchResults) -> Vec<i64> {
    let mut v = ids(r);
    v.sort_unstable();
    v
}

/// Ids of the fixtures that satisfy `keep`, sorted.
pub fn fixture_ids(keep: impl Fn(&ProductDoc) -> bool) -> Vec<i64> {
    fixtures::products().into_iter().filter(|p| keep(p)).map(|p| p.id).collect()
}

/// A query with every hit on one page.
pub fn all(mut q: SearchQuery) -> SearchQuery {
    q.per_page = 100;
    q
}

/// Declares a test that runs `$body` with `$ix: &dyn SearchIndex` on each engine.
#[allow(unused_macros)]
macro_rules! contract {
    ($(#[$meta:meta])* $name:ident, |$ix:ident| $body:block) => {
        $(#[$meta])*
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let dir = tempfile::tempdir().unwrap();
            let embedded = std::sync::Arc::new(crate::support::embedded(dir.path()).await);
            eprintln!("[embedded] {}", stringify!($name));
            {
                let $ix: &dyn etalase_domain::search::SearchIndex = &*embedded;
                $body
            }
            if let Some(meili) = crate::support::meili(stringify!($name)).await {
                let meili = std::sync::Arc::new(meili);
                eprintln!("[meilisearch] {} on {}", stringify!($name), meili.uid());
                let run = tokio::spawn({
                    let meili = meili.clone();
                    async move {
                        let $ix: &dyn etalase_domain::search::SearchIndex = &*meili;
                        $body
                    }
                });
                let outcome = run.await;
                meili.delete_index().await.unwrap();
                if let Err(e) = outcome {
                    std::panic::resume_unwind(e.into_panic());
                }
            }
        }
    };
}
