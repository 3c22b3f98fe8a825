//! A reindex on one instance loses nothing another instance writes meanwhile: a product
//! published (and delivered by that instance's relay to the *old* index) while the new index
//! is being built is queued again after the swap and reaches the new index.

use std::pin::Pin;
use std::sync::Arc;

use async_trait::async_trait;
use etalase_domain::roles::Role;
use etalase_domain::search::{
    IndexStats, ProductDoc, SearchError, SearchIndex, SearchQuery, SearchResults,
};
use etalase_server::service::search_sync;
use serde_json::Value;

use crate::helpers::*;

type Hook = Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// Runs `hook` once, when the reindex copies its first chunk (after it read the product list).
struct MidReindex {
    inner: Arc<dyn SearchIndex>,
    hook: Arc<tokio::sync::Mutex<Option<Hook>>>,
}

#[async_trait]
impl SearchIndex for MidReindex {
    async fn apply_settings(&self) -> Result<(), SearchError> {
        self.inner.apply_settings().await
    }
    async fn upsert(&self, d: &[ProductDoc]) -> Result<(), SearchError> {
        self.inner.upsert(d).await
    }
    async fn delete(&self, ids: &[i64]) -> Result<(), SearchError> {
        self.inner.delete(ids).await
    }
    async fn clear(&self) -> Result<(), SearchError> {
        self.inner.clear().await
    }
    async fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        self.inner.search(q).await
    }
    async fn stats(&self) -> Result<IndexStats, SearchError> {
        self.inner.stats().await
    }
    async fn versions(&self) -> Result<Vec<(i64, i64)>, SearchError> {
        self.inner.versions().await
    }
    async fn begin_reindex(&self) -> Result<(), SearchError> {
        self.inner.begin_reindex().await
    }
    async fn reindex_upsert(&self, d: &[ProductDoc]) -> Result<(), SearchError> {
        let hook = self.hook.lock().await.take();
        if let Some(hook) = hook {
            hook.await;
        }
        self.inner.reindex_upsert(d).await
    }
    async fn finish_reindex(&self) -> Result<(), SearchError> {
        self.inner.finish_reindex().await
    }
    async fn abort_reindex(&self) -> Result<(), SearchError> {
        self.inner.abort_reindex().await
    }
}

#[tokio::test]
async fn a_product_another_instance_publishes_during_a_reindex_is_in_the_new_index() {
    let hook: Arc<tokio::sync::Mutex<Option<Hook>>> = Arc::default();
    let slot = hook.clone();
    let app = spawn_app_full(
        |c| c.search_relay = false,
        None,
        Some(Box::new(move |inner| Arc::new(MidReindex { inner, hook: slot }))),
    )
    .await;
    let (_, first) = app.published_product().await;
    let (owner, producer) = app.umkm_with_producer().await;
    app.verify_producer(producer).await;
    let late = app.draft_product(&owner).await["id"].as_i64().unwrap();
    app.act(late, "submit", &owner.token).await;
    app.drain_search().await;
    let dinas = app.user(Role::Dinas).await;

    // "Instance B": publishes, and its relay delivers to the index it knows (the old one).
    let (client, url, db) = (
        app.client.clone(),
        app.url(&format!("/api/v1/products/{late}/publish")),
        app.state.db.clone(),
    );
    let (token, now) = (dinas.token.clone(), app.now());
    *hook.lock().await = Some(Box::pin(async move {
        let r = client.post(url).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status(), 200, "published during the reindex");
        let (_, rows) = etalase_db::repo::outbox::claim(
            &db,
            "instance-b",
            now,
            chrono::Duration::minutes(1),
            500,
        )
        .await
        .unwrap();
        assert!(rows.iter().any(|r| r.product_id == late));
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        etalase_db::repo::outbox::done(&db, "instance-b", &ids, now).await.unwrap();
    }));

    let n = search_sync::reindex(&app.state).await.unwrap();

    assert_eq!(n, 1, "the new index was built from the list read before the publish");
    assert!(hook.lock().await.is_none(), "the other instance acted mid-reindex");
    let queued = etalase_db::repo::outbox::pending_for(&app.state.db, late).await.unwrap();
    assert!(!queued.is_empty(), "the late product is queued again after the swap");
    app.drain_search().await;
    let v: Value = app.get("/api/v1/search/products", None).await.json().await.unwrap();
    let mut ids: Vec<i64> =
        v["hits"].as_array().unwrap().iter().map(|h| h["doc"]["id"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![first, late], "both in the new index");
    let drift = search_sync::drift(&app.state).await.unwrap();
    assert!(drift.missing.is_empty() && drift.stale.is_empty(), "{drift:?}");
}

#[tokio::test]
async fn a_product_held_by_one_relay_is_not_claimed_by_another_until_it_is_done() {
    use etalase_db::repo::outbox;
    let app = spawn_app_with(|c| c.search_relay = false, None).await;
    let (_, x) = app.published_product().await;
    let (_, y) = app.published_product().await;
    app.drain_search().await;
    let (db, now, lease) = (&app.state.db, app.now(), chrono::Duration::minutes(1));
    outbox::enqueue(db, &[x], now, false).await.unwrap();
    let (ra, a) = outbox::claim(db, "relay-a", now, lease, 500).await.unwrap();
    assert_eq!(a.iter().map(|r| r.product_id).collect::<Vec<_>>(), vec![x]);

    // X changes again while relay A still sends its older snapshot; Y changes too.
    outbox::enqueue(db, &[x, y], now, false).await.unwrap();
    let (rb, b) = outbox::claim(db, "relay-b", now, lease, 500).await.unwrap();
    assert_eq!(b.iter().map(|r| r.product_id).collect::<Vec<_>>(), vec![y], "X waits for A");

    outbox::done(db, "relay-a", &a.iter().map(|r| r.id).collect::<Vec<_>>(), now).await.unwrap();
    let (rc, c) = outbox::claim(db, "relay-c", now, lease, 500).await.unwrap();
    assert_eq!(c.iter().map(|r| r.product_id).collect::<Vec<_>>(), vec![x], "then the newer X");
    assert!(ra < rb && rb < rc, "each claim has a higher revision: {ra} {rb} {rc}");
}

#[tokio::test]
async fn claims_at_the_same_instant_never_split_one_product_between_relays() {
    use etalase_db::repo::outbox;
    let app = spawn_app_with(|c| c.search_relay = false, None).await;
    let (_, x) = app.published_product().await;
    app.drain_search().await;
    let (now, lease) = (app.now(), chrono::Duration::minutes(1));
    for round in 0..20 {
        // Two changes of X waiting; at the same moment one relay takes one row, another up to
        // two (without serialised claims, PostgreSQL lets the second take the row the first
        // left: X split between two relays).
        outbox::enqueue(&app.state.db, &[x, x], now, false).await.unwrap();
        let (wa, wb) = (format!("a{round}"), format!("b{round}"));
        let (a, b) = tokio::join!(
            outbox::claim(&app.state.db, &wa, now, lease, 1),
            outbox::claim(&app.state.db, &wb, now, lease, 2),
        );
        let ((ra, a), (rb, b)) = (a.unwrap(), b.unwrap());
        assert_ne!(ra, rb);
        assert!(a.is_empty() || b.is_empty(), "round {round}: X went to one relay only");
        let (worker, rows) = if a.is_empty() { (wb, b) } else { (wa, a) };
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        outbox::done(&app.state.db, &worker, &ids, now).await.unwrap();
        // What is left of X, then nothing.
        let (_, rest) = outbox::claim(&app.state.db, "c", now, lease, 10).await.unwrap();
        assert_eq!(rows.len() + rest.len(), 2);
        let ids: Vec<i64> = rest.iter().map(|r| r.id).collect();
        outbox::done(&app.state.db, "c", &ids, now).await.unwrap();
    }
}

#[tokio::test]
async fn a_relay_pass_with_nothing_due_takes_no_revision_and_writes_nothing() {
    use etalase_db::repo::outbox;
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app_with(|c| c.search_relay = false, None).await;
    let (_, x) = app.published_product().await;
    app.drain_search().await;
    let db = &app.state.db;
    let revision = || async {
        let sql = "SELECT value FROM search_revision WHERE id = 1";
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    };
    let before = revision().await;
    for _ in 0..3 {
        assert_eq!(search_sync::relay_once(&app.state, "idle").await.unwrap(), 0);
    }
    assert_eq!(revision().await, before, "idle passes take no revision");

    // A change is due: the next pass claims it, under a new revision.
    outbox::enqueue(db, &[x], app.now(), false).await.unwrap();
    assert_eq!(search_sync::relay_once(&app.state, "busy").await.unwrap(), 1);
    assert!(revision().await > before);
    assert_eq!(outbox::pending(db).await.unwrap(), 0);
}
