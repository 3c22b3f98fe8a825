//! The OpenAPI 3.1 document: the paths it promises, a snapshot that changes only on purpose,
//! the offline docs page, and the body schemas derived from the domain input types (with the
//! domain's `openapi` feature) listing exactly their fields.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

use crate::helpers::*;

fn snapshot_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("api").join("snapshots").join("openapi.json")
}

async fn document(app: &TestApp) -> Value {
    let r = app.get("/api/openapi.json", None).await;
    let ct =
        r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(ct.starts_with("application/json"), "content type {ct}");
    json_ok(r, 200).await
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

fn schema_properties(doc: &Value, name: &str) -> BTreeSet<String> {
    let props = &doc["components"]["schemas"][name]["properties"];
    assert!(props.is_object(), "schema {name} has properties");
    keys(props)
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_lists_the_api_paths() {
    let app = spawn_app().await;

    let doc = document(&app).await;

    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")),
        "openapi: {}",
        doc["openapi"]
    );
    let paths = keys(&doc["paths"]);
    for p in [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/me",
        "/api/v1/producers",
        "/api/v1/producers/{id}",
        "/api/v1/producers/{id}/verify",
        "/api/v1/producers/{id}/reject",
        "/api/v1/products",
        "/api/v1/products/{id}",
        "/api/v1/products/{id}/submit",
        "/api/v1/products/{id}/publish",
        "/api/v1/products/{id}/reject",
        "/api/v1/products/{id}/archive",
        "/api/v1/products/{id}/certificates",
        "/api/v1/catalog",
        "/healthz",
        "/readyz",
    ] {
        assert!(paths.contains(p), "{p} is documented; documented: {paths:?}");
    }
    assert!(
        doc["paths"]["/api/v1/products/{id}"]["patch"].is_object(),
        "PATCH of a product is documented"
    );
    assert!(
        doc["components"]["securitySchemes"]["bearer"].is_object(),
        "bearer auth is documented"
    );
    assert!(doc["components"]["schemas"]["Problem"]["properties"]["code"].is_object());
}

#[tokio::test]
async fn the_document_matches_the_snapshot() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let path = snapshot_path();
    let update = std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1");

    if update || !path.exists() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("snapshot folder");
        let text = serde_json::to_string_pretty(&doc).expect("json") + "\n";
        std::fs::write(&path, text).expect("write snapshot");
        println!("wrote the OpenAPI snapshot to {}", path.display());
        return;
    }

    let text = std::fs::read_to_string(&path).expect("read snapshot");
    let snapshot: Value = serde_json::from_str(&text).expect("snapshot is JSON");
    if snapshot != doc {
        let changed: Vec<String> = keys(&doc["paths"])
            .union(&keys(&snapshot["paths"]))
            .filter(|p| doc["paths"][p.as_str()] != snapshot["paths"][p.as_str()])
            .cloned()
            .collect();
        panic!(
            "The OpenAPI document differs from {} (changed paths: {changed:?}). If the API change is \
             intended, update the snapshot with:\n  UPDATE_SNAPSHOTS=1 cargo test -p etalase-tests --test api openapi\n\
             and review the diff of the snapshot file.",
            path.display()
        );
    }
}

#[tokio::test]
async fn the_docs_page_is_html_describing_the_product_paths() {
    let app = spawn_app().await;

    let r = app.get("/api/docs", None).await;

    assert_eq!(r.status(), 200);
    let ct =
        r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(ct.starts_with("text/html"), "content type {ct}");
    let html = r.text().await.expect("body");
    assert!(html.starts_with("<!doctype html>"), "a whole page");
    assert!(html.contains("/api/v1/products"));
    assert!(html.contains("/api/v1/catalog"));
    assert!(html.contains("ProductBody"), "schemas are listed");
    assert!(!html.contains("https://"), "no external resources: the page works offline");
}

#[tokio::test]
async fn the_product_body_schema_lists_exactly_the_fields_of_product_input() {
    let app = spawn_app().await;
    let doc = document(&app).await;

    let documented = schema_properties(&doc, "ProductBody");

    let domain = keys(
        &serde_json::to_value(etalase_domain::product::ProductInput::default()).expect("json"),
    );
    assert_eq!(documented, domain, "ProductBody is not derived from ProductInput");
}

#[tokio::test]
async fn the_producer_body_schema_lists_exactly_the_fields_of_producer_input() {
    let app = spawn_app().await;
    let doc = document(&app).await;

    let documented = schema_properties(&doc, "ProducerBody");

    let domain = keys(
        &serde_json::to_value(etalase_domain::producer::ProducerInput::default()).expect("json"),
    );
    assert_eq!(documented, domain, "ProducerBody is not derived from ProducerInput");
}

#[tokio::test]
async fn the_login_documentation_lists_the_status_wrong_credentials_get() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let c = app.user(etalase_domain::roles::Role::Umkm).await;

    let r = app
        .post(
            "/api/v1/auth/login",
            None,
            serde_json::json!({"email": c.email, "password": "salah-sekali"}),
        )
        .await;

    let status = r.status().as_u16().to_string();
    let documented = keys(&doc["paths"]["/api/v1/auth/login"]["post"]["responses"]);
    assert!(documented.contains(&status), "login answers {status} but documents {documented:?}");
}

#[tokio::test]
async fn errors_are_documented_as_problem_json_and_patch_bodies_need_only_the_version() {
    let app = spawn_app().await;
    let doc = document(&app).await;

    let not_found = &doc["paths"]["/api/v1/products/{id}"]["get"]["responses"]["404"]["content"];
    assert!(not_found.get("application/problem+json").is_some(), "{not_found}");
    assert!(not_found.get("application/json").is_none(), "{not_found}");
    let ok = &doc["paths"]["/api/v1/products/{id}"]["get"]["responses"]["200"]["content"];
    assert!(ok.get("application/json").is_some(), "success bodies stay JSON: {ok}");

    let patch = &doc["components"]["schemas"]["ProductPatch"];
    assert_eq!(patch["required"], serde_json::json!(["version"]), "{patch}");
    assert!(
        patch["properties"].get("name").is_some() && patch["properties"].get("version").is_some()
    );
    let summaries = &doc["components"]["schemas"];
    assert!(
        summaries.get("ComplianceSummaryView").is_some() && summaries.get("SummaryView").is_some()
    );
    assert_ne!(
        summaries["ComplianceSummaryView"], summaries["SummaryView"],
        "two types, two schemas"
    );
}
