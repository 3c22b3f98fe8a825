//! Search through the API: published products become searchable through the outbox and relay
//! (typos, synonyms, filters), nothing else does; malformed parameters get 400 naming them;
//! filter injection finds nothing; the engine being down loses nothing; drift and reindex.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use etalase_domain::roles::Role;
use etalase_domain::search::{
    IndexStats, ProductDoc, SearchError, SearchIndex, SearchQuery, SearchResults,
};
use serde_json::{Value, json};

use crate::helpers::*;

/// Drains the search relay (what the background relay would do next), then searches and
/// asserts `pred` holds.
async fn search_until(app: &TestApp, qs: &str, pred: impl Fn(&Value) -> bool) -> Value {
    app.drain_search().await;
    let r = app.get(&format!("/api/v1/search/products?{qs}"), None).await;
    assert_eq!(r.status(), 200, "search {qs}");
    let v: Value = r.json().await.unwrap();
    assert!(pred(&v), "search {qs} does not satisfy the condition after the relay drained: {v}");
    v
}

fn names(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["doc"]["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_published_product_is_found_with_a_typo_and_drafts_never_are() {
    let app = spawn_app().await;
    let (owner, id) = app.published_product().await;
    let draft = app.draft_product(&owner).await;
    app.patch(
        &format!("/api/v1/products/{}", draft["id"]),
        Some(&owner.token),
        json!({"version": 1, "name": "Emping Rahasia Draf"}),
    )
    .await;
    let v = search_until(&app, "q=empng", |v| v["total"] == 1).await;
    assert_eq!(v["hits"][0]["doc"]["id"], id);
    assert!(v["hits"][0]["highlight_name"].as_str().unwrap().contains("<em>"));
    assert_eq!(v["facets"]["category"][0]["value"], "makanan-ringan");
    // Pulled back to draft: gone from search.
    let r = app.post_empty(&format!("/api/v1/products/{id}/revise"), Some(&owner.token)).await;
    assert_eq!(r.status(), 200);
    search_until(&app, "q=emping", |v| v["total"] == 0).await;
}

#[tokio::test]
async fn serang_spelling_finds_the_standard_word() {
    let app = spawn_app().await;
    let (owner, id) = app.published_product().await;
    let r = app.post_empty(&format!("/api/v1/products/{id}/revise"), Some(&owner.token)).await;
    let v: Value = r.json().await.unwrap();
    let r = app
        .patch(
            &format!("/api/v1/products/{id}"),
            Some(&owner.token),
            json!({"version": v["version"], "name": "Keripik Singkong Pedas"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    app.post_empty(&format!("/api/v1/products/{id}/submit"), Some(&owner.token)).await;
    let dinas = app.user(Role::Dinas).await;
    assert_eq!(
        app.post_empty(&format!("/api/v1/products/{id}/publish"), Some(&dinas.token))
            .await
            .status(),
        200
    );
    let v = search_until(&app, "q=kripik%20pedes", |v| v["total"] == 1).await;
    assert_eq!(names(&v), vec!["Keripik Singkong Pedas"]);
}

/// The problem a search with the query string `qs` is refused with (400).
async fn refused(app: &TestApp, qs: &str) -> Value {
    let r = app.get(&format!("/api/v1/search/products?{qs}"), None).await;
    assert_eq!(r.status(), 400, "{qs}");
    problem(r).await
}

#[tokio::test]
async fn malformed_parameters_get_400_naming_them() {
    let app = spawn_app().await;
    for (qs, field) in [
        ("halal=mungkin", "halal"),
        ("near=abc", "near"),
        ("sort=distance", "sort"),
        ("sort=termurah", "sort"),
        ("price_min=5000&price_max=1000", "price_min"),
        ("radius_km=5", "radius_km"),
        ("per_page=1000", "per_page"),
        ("warna=merah", "warna"),
        ("standard=mine", "standard"),
    ] {
        let p = refused(&app, qs).await;
        assert_eq!(p["code"], "invalid_parameter", "{qs}");
        let text = format!("{} {}", p["detail"], p["errors"]);
        assert!(text.contains(field), "{qs} names {field}: {p}");
    }
}

#[tokio::test]
async fn user_text_in_filters_cannot_widen_the_search() {
    let app = spawn_app().await;
    let _ = app.published_product().await;
    search_until(&app, "kecamatan=36.73.06", |v| v["total"] == 1).await;
    for evil in
        ["36.73.06\" OR halal = true", "36.73.01' OR 1=1 --", "x\" OR kecamatan_code EXISTS"]
    {
        let qs = format!(
            "kecamatan={}",
            form_urlencoded::byte_serialize(evil.as_bytes()).collect::<String>()
        );
        let r = app.get(&format!("/api/v1/search/products?{qs}"), None).await;
        assert_eq!(r.status(), 200, "{evil}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["total"], 0, "{evil} must match nothing");
    }
}

/// An index that can be taken down.
struct Flaky {
    inner: Arc<dyn SearchIndex>,
    down: Arc<AtomicBool>,
}

impl Flaky {
    fn check(&self) -> Result<(), SearchError> {
        if self.down.load(Ordering::SeqCst) {
            Err(SearchError::Unavailable("mati (uji)".into()))
        } else {
            Ok(())
        }
    }
}

#[async_trait]
impl SearchIndex for Flaky {
    async fn apply_settings(&self) -> Result<(), SearchError> {
        self.inner.apply_settings().await
    }
    async fn upsert(&self, d: &[ProductDoc]) -> Result<(), SearchError> {
        self.check()?;
        self.inner.upsert(d).await
    }
    async fn delete(&self, ids: &[i64]) -> Result<(), SearchError> {
        self.check()?;
        self.inner.delete(ids).await
    }
    async fn clear(&self) -> Result<(), SearchError> {
        self.inner.clear().await
    }
    async fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        self.check()?;
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
async fn with_the_engine_down_during_500_writes_all_500_are_searchable_after_and_none_twice() {
    use etalase_domain::lifecycle::ListingAction;
    use etalase_server::service::catalog::products;
    let down = Arc::new(AtomicBool::new(true));
    let flag = down.clone();
    let app = spawn_app_full(
        |_| {},
        None,
        Some(Box::new(move |inner| Arc::new(Flaky { inner, down: flag }) as Arc<dyn SearchIndex>)),
    )
    .await;
    let (owner, producer) = app.umkm_with_producer().await;
    app.verify_producer(producer).await;
    let dinas = app.user(Role::Dinas).await;
    let caller = |c: &Caller, role: Role| etalase_server::auth::CurrentUser {
        id: c.user_id,
        email: c.email.clone(),
        role,
        display_name: "uji".into(),
        session: etalase_server::auth::session::SessionKind::Api,
        csrf: String::new(),
        token_hash: String::new(),
        chain_id: None,
        store_id: None,
    };
    let (o, d) = (caller(&owner, Role::Umkm), caller(&dinas, Role::Dinas));
    for i in 0..500 {
        let input = etalase_domain::product::ProductInput {
            name: format!("Emping Uji {i:03}"),
            category: "makanan-ringan".into(),
            retail_price: Some(10_000 + i),
            ..Default::default()
        };
        let p = products::create(&app.state, &o, input).await.unwrap();
        products::transition(&app.state, &o, p.id, ListingAction::Submit, None, None)
            .await
            .unwrap();
        products::transition(&app.state, &d, p.id, ListingAction::Publish, None, None)
            .await
            .unwrap();
    }
    assert!(
        etalase_db::repo::outbox::pending(&app.state.db).await.unwrap() >= 500,
        "changes wait in the outbox"
    );
    down.store(false, Ordering::SeqCst);
    // The engine is back; once the retry backoff (at most a minute) has passed, the relay sends
    // everything.
    app.clock.set(test_now() + chrono::Duration::minutes(5));
    let v = search_until(&app, "q=emping&per_page=100", |v| v["total"] == 500).await;
    assert_eq!(v["total"], 500);
    assert_eq!(etalase_db::repo::outbox::pending(&app.state.db).await.unwrap(), 0);
    let versions = app.state.search.versions().await.unwrap();
    let mut ids: Vec<i64> = versions.iter().map(|v| v.0).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!((versions.len(), ids.len()), (500, 500), "none twice");
}

#[tokio::test]
async fn drift_shows_what_the_index_lacks_and_reindex_repairs_it() {
    let app = spawn_app().await;
    let (_, id) = app.published_product().await;
    search_until(&app, "", |v| v["total"] == 1).await;
    let admin = app.user(Role::Admin).await;
    let d: Value = app.get("/api/v1/search/drift", Some(&admin.token)).await.json().await.unwrap();
    assert_eq!(
        (d["missing"].as_array().unwrap().len(), d["stale"].as_array().unwrap().len()),
        (0, 0),
        "{d}"
    );
    app.state.search.delete(&[id]).await.unwrap();
    let d: Value = app.get("/api/v1/search/drift", Some(&admin.token)).await.json().await.unwrap();
    assert_eq!(d["missing"], json!([id]));
    let umkm = app.user(Role::Umkm).await;
    assert_eq!(app.post_empty("/api/v1/search/reindex", Some(&umkm.token)).await.status(), 403);
    assert_eq!(app.get("/api/v1/search/drift", Some(&umkm.token)).await.status(), 403);
    let r = app.post_empty("/api/v1/search/reindex", Some(&admin.token)).await;
    assert_eq!(r.status(), 200);
    let rep: Value = r.json().await.unwrap();
    assert_eq!(rep["documents"], 1);
    let d: Value = app.get("/api/v1/search/drift", Some(&admin.token)).await.json().await.unwrap();
    assert_eq!(d["missing"], json!([]));
    let v: Value = app.get("/api/v1/search/products", None).await.json().await.unwrap();
    assert_eq!(v["total"], 1);
}

#[tokio::test]
async fn search_filters_on_the_standards_a_product_meets() {
    use crate::standards::{create_standard, wait_job};
    let app = spawn_app().await;
    let (owner, a) = app.published_product().await;
    let dinas = app.user(Role::Dinas).await;
    // A baseline that only products with a GTIN meet.
    let (standard, job) = create_standard(&app, &dinas.token, json!([{"kind": "gtin"}])).await;
    if let Some(job) = job {
        wait_job(&app, &dinas.token, job).await;
    }
    // Product b gets a valid GTIN and is published; a has none.
    let b = app.draft_product(&owner).await["id"].as_i64().unwrap();
    app.patch(
        &format!("/api/v1/products/{b}"),
        Some(&owner.token),
        json!({"version": 1, "name": "Emping Ber-GTIN", "gtin": "8991234567891"}),
    )
    .await;
    app.post_empty(&format!("/api/v1/products/{b}/submit"), Some(&owner.token)).await;
    assert_eq!(
        app.post_empty(&format!("/api/v1/products/{b}/publish"), Some(&dinas.token)).await.status(),
        200
    );
    let v = search_until(&app, &format!("standard={standard}"), |v| v["total"] == 1).await;
    assert_eq!(v["hits"][0]["doc"]["id"], b);
    assert_eq!(v["hits"][0]["doc"]["eligible_standards"], json!([standard]));
    let all = search_until(&app, "", |v| v["total"] == 2).await;
    assert!(all["hits"].as_array().unwrap().iter().any(|h| h["doc"]["id"] == a));
}

#[tokio::test]
async fn a_bad_query_parameter_is_explained_in_indonesian() {
    let app = spawn_app().await;
    for (qs, want) in [
        ("warna=merah", "Parameter \"warna\" tidak dikenal."),
        ("price_min=murah", "Parameter \"price_min\" tidak sah: harus berupa angka."),
        ("halal=ya", "Parameter \"halal\" tidak sah: harus berupa true/false."),
        ("q=kripik&q=dodol", "Parameter \"q\" diberikan lebih dari sekali; kirim sekali saja."),
    ] {
        let p = refused(&app, qs).await;
        let detail = p["detail"].as_str().unwrap();
        assert!(detail.starts_with(want), "{qs}: {detail}");
        assert!(
            !["expected", "unknown", "duplicate"].iter().any(|w| detail.contains(w)),
            "{qs}: {detail}"
        );
    }
}
