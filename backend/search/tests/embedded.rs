//! What only the embedded engine has to prove: the index survives a restart, a reindex swaps
//! the generation on disk atomically and cleans up, searches keep answering during writes
//! and reindexing, a second opener is refused, and the settings' filterable list is enforced.
//! `bulk_index_and_search_timings` (ignored) measures a larger catalog.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use etalase_domain::search::{ProductDoc, SearchError, SearchIndex, SearchQuery};
use etalase_search::{EmbeddedIndex, Settings};
use std::sync::Arc;
use std::time::Instant;
use support::fixtures::products;

fn current(dir: &std::path::Path) -> String {
    std::fs::read_to_string(dir.join("CURRENT")).unwrap()
}

fn generations(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    v.sort();
    v
}

/// `n` synthetic products built from the fixtures (ids from 1000).
fn many(n: usize) -> Vec<ProductDoc> {
    let base = products();
    (0..n)
        .map(|i| {
            let mut p = base[i % base.len()].clone();
            p.id = 1000 + i as i64;
            p.name = format!("{} Varian {}", p.name, i);
            p.retail_price = p.retail_price.map(|x| x + i as i64);
            p.published_at += i as i64;
            p
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_survives_a_restart_and_a_reindex_swaps_generations() {
    let dir = tempfile::tempdir().unwrap();
    let first = {
        let ix = support::embedded(dir.path()).await;
        let name = current(dir.path());
        ix.reindex_all(&products()[..5], 2).await.unwrap();
        assert_ne!(current(dir.path()), name, "CURRENT points at the new generation");
        assert_eq!(generations(dir.path()), [current(dir.path())], "the old one is removed");
        // Written in three batches, merged into one segment before it went live.
        let meta = dir.path().join(current(dir.path())).join("meta.json");
        let meta: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(meta).unwrap()).unwrap();
        assert_eq!(meta["segments"].as_array().map(Vec::len), Some(1), "{meta}");
        current(dir.path())
    };
    let reopened = EmbeddedIndex::open(dir.path(), Settings::products().unwrap()).unwrap();
    assert_eq!(current(dir.path()), first);
    assert_eq!(reopened.stats().await.unwrap().documents, 5);
    assert_eq!(reopened.search(&SearchQuery::text("empng")).await.unwrap().total, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_index_built_by_an_older_version_or_other_stop_words_is_not_reused() {
    let dir = tempfile::tempdir().unwrap();
    let old = {
        let ix = support::embedded(dir.path()).await;
        assert!(ix.stats().await.unwrap().documents > 0);
        current(dir.path())
    };
    // An older version wrote no FORMAT file (and indexed stop words, without positions).
    std::fs::remove_file(dir.path().join(&old).join("FORMAT")).unwrap();
    let reopened = EmbeddedIndex::open(dir.path(), Settings::products().unwrap()).unwrap();
    assert_ne!(current(dir.path()), old, "a fresh generation, to be rebuilt from the database");
    assert_eq!(reopened.stats().await.unwrap().documents, 0);
    assert_eq!(generations(dir.path()), [current(dir.path())]);
    drop(reopened);
    // Other stop words in the settings: the same.
    let mut settings = Settings::products().unwrap();
    settings.stop_words.push("khas".into());
    let name = current(dir.path());
    let _ix = EmbeddedIndex::open(dir.path(), settings).unwrap();
    assert_ne!(current(dir.path()), name);
}

#[tokio::test]
async fn leftovers_of_an_interrupted_reindex_are_removed_on_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let ix = support::embedded(dir.path()).await;
        ix.begin_reindex().await.unwrap();
        ix.reindex_upsert(&products()[..3]).await.unwrap();
        assert_eq!(generations(dir.path()).len(), 2);
        // The process stops here, before finish_reindex.
    }
    let ix = EmbeddedIndex::open(dir.path(), Settings::products().unwrap()).unwrap();
    assert_eq!(generations(dir.path()), [current(dir.path())]);
    assert_eq!(ix.stats().await.unwrap().documents, products().len() as u64);
}

#[tokio::test]
async fn a_second_opener_of_the_same_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _ix = support::embedded(dir.path()).await;
    assert!(EmbeddedIndex::open(dir.path(), Settings::products().unwrap()).is_err());
}

#[tokio::test]
async fn only_filterable_attributes_can_be_filtered() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::products().unwrap();
    settings.filterable_attributes.retain(|a| a != "halal");
    let ix = EmbeddedIndex::open(dir.path(), settings).unwrap();
    let q = SearchQuery { halal: Some(true), ..SearchQuery::default() };
    match ix.search(&q).await {
        Err(SearchError::Settings(m)) => assert!(m.contains("halal"), "{m}"),
        other => panic!("expected a settings error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_keep_answering_during_writes_and_reindex() {
    let dir = tempfile::tempdir().unwrap();
    let ix = Arc::new(support::embedded(dir.path()).await);
    let n = products().len() as u64;
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let ix = ix.clone();
            tokio::spawn(async move {
                let mut seen = Vec::new();
                for _ in 0..25 {
                    let r = ix.search(&SearchQuery::text("emping")).await.unwrap();
                    seen.push(r.total);
                    let all = ix.search(&SearchQuery::default()).await.unwrap();
                    assert!(
                        all.total == n || all.total == n + 300 || all.total == 300,
                        "{}",
                        all.total
                    );
                }
                seen
            })
        })
        .collect();
    let extra = many(300);
    ix.upsert(&extra).await.unwrap();
    ix.reindex_all(&extra, 50).await.unwrap();
    for r in readers {
        let seen = r.await.unwrap();
        assert!(seen.iter().all(|t| *t > 0), "emping always found: {seen:?}");
    }
    assert_eq!(ix.stats().await.unwrap().documents, 300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "timing: cargo test -p etalase-search --release --test embedded -- --ignored --nocapture"]
async fn bulk_index_and_search_timings() {
    let dir = tempfile::tempdir().unwrap();
    let ix = EmbeddedIndex::open(dir.path(), Settings::products().unwrap()).unwrap();
    let docs = many(20_000);
    let started = Instant::now();
    for chunk in docs.chunks(1_000) {
        ix.upsert(chunk).await.unwrap();
    }
    eprintln!("indexed {} docs in {:?}", docs.len(), started.elapsed());
    for text in ["kripik pedes", "empng", "kopi dan teh", "sambel", "s"] {
        let started = Instant::now();
        let r = ix.search(&SearchQuery::text(text)).await.unwrap();
        eprintln!("{text:?}: {} hits in {:?}", r.total, started.elapsed());
    }
    let started = Instant::now();
    let r = ix.search(&SearchQuery::default()).await.unwrap();
    eprintln!("all: {} hits (facets over {}) in {:?}", r.total, docs.len(), started.elapsed());
}
