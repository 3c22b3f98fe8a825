use crate::helpers::*;
use etalase_domain::roles::Role;

#[tokio::test]
async fn health_and_readiness_answer_and_tell_anonymous_callers_only_up_or_down() {
    let app = spawn_app().await;
    let r = app.get("/healthz", None).await;
    assert_eq!(r.status(), 200);
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v, serde_json::json!({"status": "ok"}), "no detail for anonymous callers");

    let admin = app.user(Role::Admin).await;
    let v = app.read("/readyz", Some(&admin.token)).await;
    assert_eq!(
        (&v["status"], &v["database"], &v["blobs"]),
        (&"ok".into(), &"ok".into(), &"ok".into())
    );
    let dinas = app.user(Role::Dinas).await;
    assert!(app.read("/readyz", Some(&dinas.token)).await.get("database").is_none());
}

#[tokio::test]
async fn readiness_is_consistent_under_concurrent_probes() {
    let app = spawn_app().await;
    let probes = (0..64).map(|_| app.get("/readyz", None));
    let statuses: Vec<u16> =
        futures::future::join_all(probes).await.iter().map(|r| r.status().as_u16()).collect();
    assert!(statuses.iter().all(|s| *s == 200), "every probe ready: {statuses:?}");
}

#[tokio::test]
async fn a_product_goes_from_draft_to_the_public_catalog() {
    let app = spawn_app().await;
    let (_owner, id) = app.published_product().await;
    let r = app.get("/api/v1/catalog", None).await;
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["id"], id);
    assert!(v["items"][0]["wholesale_price"].is_null());
    let _ = app.user(Role::Store).await;
}

#[tokio::test]
async fn the_server_starts_and_writes_while_meilisearch_is_down_and_readiness_says_degraded() {
    // Nothing listens on port 9 (discard): Meilisearch is unreachable from the start.
    let app = spawn_app_with(|c| c.meili_url = Some("http://127.0.0.1:9".into()), None).await;
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status(), 200, "serving, degraded");
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v, serde_json::json!({"status": "terbatas"}));
    let admin = app.user(Role::Admin).await;
    let v = app.read("/readyz", Some(&admin.token)).await;
    assert_eq!((&v["database"], &v["search"]), (&"ok".into(), &"gagal".into()));

    let (_, id) = app.published_product().await;
    assert_eq!(app.get(&format!("/api/v1/catalog/{id}"), None).await.status(), 200);
    let pending = etalase_db::repo::outbox::pending_for(&app.state.db, id).await.unwrap();
    assert!(!pending.is_empty(), "the change waits in the outbox for the engine");
    let r = app.get("/api/v1/search/products?q=kopi", None).await;
    assert_eq!(r.status(), 503, "search says it is unavailable");
}

#[tokio::test]
async fn every_asset_a_page_links_is_served_and_the_browser_icon_is_found() {
    let app = spawn_app().await;
    let mut linked = Vec::new();
    for page in ["/", "/katalog", "/masuk", "/api/docs"] {
        let r = app.get(page, None).await;
        assert_eq!(r.status(), 200, "{page}");
        let html = r.text().await.unwrap();
        for attr in ["href=\"/assets/", "src=\"/assets/"] {
            for (at, _) in html.match_indices(attr) {
                let start = at + attr.len() - "/assets/".len();
                let end = start + html[start..].find('"').unwrap();
                linked.push((page, html[start..end].to_string()));
            }
        }
        assert!(html.contains("rel=\"icon\""), "{page} names its icon");
    }
    assert!(linked.iter().any(|(_, p)| p == "/assets/icon.svg"), "{linked:?}");
    for (page, path) in linked.iter().chain([&("(browser default)", "/favicon.ico".to_string())]) {
        let r = app.get(path, None).await;
        assert_eq!(r.status(), 200, "{path} linked from {page}");
        let kind = r.headers()["content-type"].to_str().unwrap().to_string();
        let expected = match path.rsplit('.').next() {
            Some("css") => "text/css",
            Some("js") => "text/javascript",
            _ => "image/svg+xml",
        };
        assert!(kind.starts_with(expected), "{path}: {kind}");
        assert!(!r.bytes().await.unwrap().is_empty(), "{path}");
    }
}
