use crate::helpers::*;
use etalase_domain::roles::Role;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    let r = app.get("/healthz", None).await;
    assert_eq!(r.status(), 200);
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["database"], "ok");
    assert_eq!(v["blobs"], "ok");
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
