//! The table of error codes: every code has a `/problems/{code}` page, the `type` of an error
//! body resolves to one, the OpenAPI document lists the codes, and an engine failure (database
//! or search index down) answers its stable code and a generic message, never the engine's text.

use std::sync::Arc;

use async_trait::async_trait;
use etalase_domain::roles::Role;
use etalase_domain::search::{
    IndexStats, ProductDoc, SearchError, SearchIndex, SearchQuery, SearchResults,
};
use etalase_server::error::ErrorCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// What an engine says when it fails; it must never reach a client.
const ENGINE_TEXT: &str = "RAHASIA-MESIN connection refused at 10.0.0.7:7700";

async fn html(app: &TestApp, path: &str) -> (u16, String) {
    let r = app.get(path, None).await;
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    if status == 200 {
        assert!(ct.starts_with("text/html"), "{path}: content type {ct}");
    }
    (status, r.text().await.expect("body"))
}

/// Follows the `type` of a problem body to its page.
async fn type_resolves(app: &TestApp, problem: &Value) {
    let code = problem["code"].as_str().expect("code");
    let t = problem["type"].as_str().expect("type");
    assert_eq!(t, format!("/problems/{code}"));
    let c = ErrorCode::from_code(code).unwrap_or_else(|| panic!("{code} is in the table"));
    assert_eq!(problem["status"].as_u64(), Some(u64::from(c.status().as_u16())), "{code}");
    let (status, body) = html(app, t).await;
    assert_eq!(status, 200, "{t} has a page");
    assert!(body.contains(c.title()), "{t} shows its title");
}

#[tokio::test]
async fn every_code_has_a_page_with_its_status_title_and_explanation() {
    let app = spawn_app().await;

    for c in ErrorCode::ALL {
        let (status, body) = html(&app, &format!("/problems/{}", c.as_str())).await;
        assert_eq!(status, 200, "{c}");
        assert!(body.starts_with("<!doctype html>"), "{c}: a whole page");
        assert!(body.contains(c.title()), "{c}: title");
        assert!(body.contains(&c.status().as_u16().to_string()), "{c}: status");
        assert!(!body.contains("https://"), "{c}: works offline");
    }
    let (status, table) = html(&app, "/problems").await;
    assert_eq!(status, 200);
    for c in ErrorCode::ALL {
        assert!(table.contains(&format!("href=\"/problems/{}\"", c.as_str())), "{c} in table");
    }
    assert!(!table.contains("https://"), "the table works offline");
}

#[tokio::test]
async fn an_unknown_code_is_the_usual_404_problem() {
    let app = spawn_app().await;

    let r = app.get("/problems/no_such_code", None).await;

    assert_eq!(r.status(), 404);
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert_eq!(ct, "application/problem+json");
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["code"], "not_found");
    type_resolves(&app, &p).await;
}

#[tokio::test]
async fn the_type_of_error_bodies_resolves_to_a_page() {
    let app = spawn_app().await;
    let umkm = app.user(Role::Umkm).await;

    let not_found = app.get("/api/v1/catalog/999999", None).await;
    let unauthenticated = app.get("/api/v1/me", None).await;
    let taken = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": umkm.email, "password": PASSWORD, "display_name": "Dua"}),
        )
        .await;
    let invalid = app.post("/api/v1/producers", Some(&umkm.token), json!({})).await;
    let bad_query = app.get("/api/v1/search/products?page=abc", None).await;

    for (r, code) in [
        (not_found, "not_found"),
        (unauthenticated, "unauthenticated"),
        (taken, "email_taken"),
        (invalid, "validation_failed"),
        (bad_query, "invalid_parameter"),
    ] {
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["code"], code, "{p}");
        type_resolves(&app, &p).await;
    }
}

#[tokio::test]
async fn the_openapi_document_lists_every_code() {
    let app = spawn_app().await;

    let doc: Value = json_ok(app.get("/api/openapi.json", None).await, 200).await;

    let listed: Vec<&str> = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .expect("ErrorCode is a string enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let all: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, all);
    assert_eq!(
        doc["components"]["schemas"]["Problem"]["properties"]["code"]["$ref"],
        "#/components/schemas/ErrorCode"
    );
}

/// A search index whose engine does not answer.
struct Down(Arc<dyn SearchIndex>);

fn down() -> SearchError {
    SearchError::Unavailable(ENGINE_TEXT.into())
}

#[async_trait]
impl SearchIndex for Down {
    async fn apply_settings(&self) -> Result<(), SearchError> {
        self.0.apply_settings().await
    }
    async fn upsert(&self, _: &[ProductDoc]) -> Result<(), SearchError> {
        Err(down())
    }
    async fn delete(&self, _: &[i64]) -> Result<(), SearchError> {
        Err(down())
    }
    async fn clear(&self) -> Result<(), SearchError> {
        Err(down())
    }
    async fn search(&self, _: &SearchQuery) -> Result<SearchResults, SearchError> {
        Err(down())
    }
    async fn stats(&self) -> Result<IndexStats, SearchError> {
        Err(down())
    }
    async fn versions(&self) -> Result<Vec<(i64, i64)>, SearchError> {
        Err(down())
    }
    async fn begin_reindex(&self) -> Result<(), SearchError> {
        Err(down())
    }
    async fn reindex_upsert(&self, _: &[ProductDoc]) -> Result<(), SearchError> {
        Err(down())
    }
    async fn finish_reindex(&self) -> Result<(), SearchError> {
        Err(down())
    }
    async fn abort_reindex(&self) -> Result<(), SearchError> {
        Err(down())
    }
}

#[tokio::test]
async fn a_search_engine_failure_answers_its_code_and_never_the_engines_text() {
    let app = spawn_app_full(
        |_| {},
        None,
        Some(Box::new(|inner| Arc::new(Down(inner)) as Arc<dyn SearchIndex>)),
    )
    .await;
    let admin = app.user(Role::Admin).await;

    let search = app.get("/api/v1/search/products?q=emping", None).await;
    let drift = app.get("/api/v1/search/drift", Some(&admin.token)).await;
    let (page_status, page) = html(&app, "/katalog?q=emping").await;

    for r in [search, drift] {
        assert_eq!(r.status(), 503);
        let body = r.text().await.unwrap();
        assert!(!body.contains("RAHASIA") && !body.contains("10.0.0.7"), "engine text: {body}");
        let p: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(p["code"], "unavailable");
        type_resolves(&app, &p).await;
    }
    assert_eq!(page_status, 200, "the catalog page explains instead of failing");
    assert!(!page.contains("RAHASIA") && !page.contains("10.0.0.7"), "engine text on the page");
    assert!(page.contains("Pencarian sedang tidak tersedia"));
}

#[tokio::test]
async fn a_database_failure_answers_internal_error_and_never_the_engines_text() {
    let app = spawn_app().await;
    let (_, id) = app.published_product().await;
    assert_eq!(app.get(&format!("/api/v1/catalog/{id}"), None).await.status(), 200);

    app.state.db.close_by_ref().await.expect("the pool closes");
    let r = app.get(&format!("/api/v1/catalog/{id}"), None).await;
    let ready = app.get("/readyz", None).await;

    assert_eq!(r.status(), 500);
    let body = r.text().await.unwrap();
    let p: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(p["code"], "internal_error");
    assert_eq!(p["detail"], "Kesalahan internal");
    assert!(!body.to_lowercase().contains("pool"), "engine text: {body}");
    type_resolves(&app, &p).await;
    assert_eq!(ready.status(), 503);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready, serde_json::json!({"status": "gagal"}), "only down, no cause");
}
