//! Products: who creates, lists, reads and edits them (object-level access, versions).

use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::helpers::*;

fn path(id: i64) -> String {
    format!("/api/v1/products/{id}")
}

/// The product as the Dinas sees it (the source of truth for "unchanged" checks).
async fn stored(app: &TestApp, id: i64) -> Value {
    let dinas = app.user(Role::Dinas).await;
    app.read(&path(id), Some(&dinas.token)).await
}

#[tokio::test]
async fn umkm_with_a_business_creates_a_draft_product() {
    let app = spawn_app().await;
    let (c, producer_id) = app.umkm_with_producer().await;

    let r = app.post("/api/v1/products", Some(&c.token), product_body()).await;

    let v = json_ok(r, 201).await;
    assert_eq!((v["status"].as_str(), v["version"].as_i64()), (Some("draft"), Some(1)));
    assert_eq!(v["producer_id"], producer_id);
    assert_eq!(v["producer"]["kecamatan_code"], "36.73.06");
    assert_eq!(v["producer"]["verified"], false);
    assert_eq!(
        (v["wholesale_price"].as_i64(), v["retail_price"].as_i64()),
        (Some(22000), Some(28000))
    );
    assert_eq!(v["retail_price_label"], "Rp28.000");
    assert_eq!(v["net_content_label"], "250 g");
    assert_eq!(v["storage"], "ambient");
    assert!(v["published_at"].is_null());
    assert_eq!(stored(&app, v["id"].as_i64().expect("id")).await, v);
}

#[tokio::test]
async fn creating_a_product_without_a_business_is_producer_required() {
    let app = spawn_app().await;
    let c = app.user(Role::Umkm).await;
    let dinas = app.user(Role::Dinas).await;

    let r = app.post("/api/v1/products", Some(&c.token), product_body()).await;

    expect_problem(r, 409, "producer_required").await;
    assert_eq!(app.total("/api/v1/products", Some(&dinas.token)).await, 0);
}

#[tokio::test]
async fn store_dinas_and_anonymous_callers_cannot_create_products() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let store = app.user(Role::Store).await;

    expect_problem(
        app.post("/api/v1/products", Some(&store.token), product_body()).await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.post("/api/v1/products", Some(&dinas.token), product_body()).await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.post("/api/v1/products", None, product_body()).await,
        401,
        "unauthenticated",
    )
    .await;

    assert_eq!(app.total("/api/v1/products", Some(&dinas.token)).await, 0);
}

#[tokio::test]
async fn umkm_lists_only_its_own_products() {
    let app = spawn_app().await;
    let (a, _) = app.umkm_with_producer().await;
    let (b, _) = app.umkm_with_producer().await;
    let mine = app.draft_product(&a).await["id"].as_i64().expect("id");
    let theirs = app.draft_product(&b).await["id"].as_i64().expect("id");
    let (_, published) = app.published_product().await;

    let listed = app.read("/api/v1/products", Some(&a.token)).await;

    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], mine);
    assert_eq!(app.ids("/api/v1/products", Some(&b.token)).await, vec![theirs]);
    let dinas = app.user(Role::Dinas).await;
    assert_eq!(app.total("/api/v1/products", Some(&dinas.token)).await, 3);
    assert!(!app.ids("/api/v1/products", Some(&a.token)).await.contains(&published));
}

#[tokio::test]
async fn another_umkm_cannot_read_my_draft_but_the_dinas_can() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let (other, _) = app.umkm_with_producer().await;
    let dinas = app.user(Role::Dinas).await;
    let id = app.draft_product(&owner).await["id"].as_i64().expect("id");

    let by_other = app.get(&path(id), Some(&other.token)).await;
    let by_dinas = app.get(&path(id), Some(&dinas.token)).await;
    let by_owner = app.get(&path(id), Some(&owner.token)).await;

    expect_problem(by_other, 404, "not_found").await;
    assert_eq!(json_ok(by_dinas, 200).await["status"], "draft");
    assert_eq!(json_ok(by_owner, 200).await["id"], id);
}

#[tokio::test]
async fn a_store_reads_only_published_products() {
    let app = spawn_app().await;
    let store = app.user(Role::Store).await;
    let (owner, _) = app.umkm_with_producer().await;
    let draft = app.draft_product(&owner).await["id"].as_i64().expect("id");
    let (_, published) = app.published_product().await;

    expect_problem(app.get(&path(draft), Some(&store.token)).await, 404, "not_found").await;
    let v = app.read(&path(published), Some(&store.token)).await;

    assert_eq!(v["status"], "published");
    assert_eq!(app.ids("/api/v1/products", Some(&store.token)).await, vec![published]);
    assert_eq!(
        app.ids("/api/v1/products?status=draft", Some(&store.token)).await,
        vec![published],
        "status filter cannot widen a store's view"
    );
}

#[tokio::test]
async fn owner_edits_a_draft_with_the_current_version() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");

    let r = app
        .patch(
            &path(id),
            Some(&c.token),
            json!({"version": 1, "retail_price": 30000, "brand": "Bu Sari"}),
        )
        .await;

    let v = json_ok(r, 200).await;
    assert_eq!(v["version"], 2);
    assert_eq!(
        (v["retail_price"].as_i64(), v["retail_price_label"].as_str()),
        (Some(30000), Some("Rp30.000"))
    );
    assert_eq!(v["brand"], "Bu Sari");
    assert_eq!(v["name"], "Emping Melinjo Pedas", "fields not sent are kept");
    assert_eq!(stored(&app, id).await, v);
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_changes_nothing() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");
    json_ok(
        app.patch(&path(id), Some(&c.token), json!({"version": 1, "name": "Emping Manis"})).await,
        200,
    )
    .await;
    let before = stored(&app, id).await;

    let r =
        app.patch(&path(id), Some(&c.token), json!({"version": 1, "name": "Emping Asin"})).await;

    expect_problem(r, 409, "version_conflict").await;
    let after = stored(&app, id).await;
    assert_eq!(after, before);
    assert_eq!(
        (after["name"].as_str(), after["version"].as_i64()),
        (Some("Emping Manis"), Some(2))
    );
}

#[tokio::test]
async fn a_submitted_product_is_not_editable() {
    let app = spawn_app().await;
    let (c, _, id) = app.submitted_product().await;
    let before = stored(&app, id).await;

    let r = app
        .patch(
            &path(id),
            Some(&c.token),
            json!({"version": before["version"], "retail_price": 99000}),
        )
        .await;

    expect_problem(r, 409, "not_editable").await;
    assert_eq!(stored(&app, id).await, before);
}

#[tokio::test]
async fn another_umkm_cannot_edit_my_product() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let (other, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().expect("id");
    let before = stored(&app, id).await;

    let r = app
        .patch(&path(id), Some(&other.token), json!({"version": 1, "name": "Produk Curian"}))
        .await;

    expect_problem(r, 404, "not_found").await;
    assert_eq!(stored(&app, id).await, before);
}

#[tokio::test]
async fn dinas_cannot_edit_a_product() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().expect("id");
    let dinas = app.user(Role::Dinas).await;
    let before = stored(&app, id).await;

    let r = app
        .patch(&path(id), Some(&dinas.token), json!({"version": 1, "name": "Diubah Dinas"}))
        .await;

    expect_problem(r, 403, "forbidden").await;
    assert_eq!(stored(&app, id).await, before);
}

#[tokio::test]
async fn an_edit_that_breaks_a_rule_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");
    let before = stored(&app, id).await;

    let r =
        app.patch(&path(id), Some(&c.token), json!({"version": 1, "retail_price": 15000})).await;

    expect_invalid(r, &[("retail_price", "below_wholesale")]).await;
    assert_eq!(stored(&app, id).await, before);
}

#[tokio::test]
async fn an_edit_with_an_unknown_field_is_refused_naming_it() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");
    let before = stored(&app, id).await;

    let r =
        app.patch(&path(id), Some(&c.token), json!({"version": 1, "status": "published"})).await;

    expect_unknown_field(r, "status").await;
    assert_eq!(stored(&app, id).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_edits_of_the_same_version_at_once_let_exactly_one_win() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");
    let bodies = (0..5).map(|i| json!({"version": 1, "retail_price": 30000 + i})).collect();

    let answers = app.concurrently(reqwest::Method::PATCH, &path(id), &c.token, bodies).await;

    let winners: Vec<&Value> = answers.iter().filter(|a| a.0 == 200).map(|a| &a.1).collect();
    assert_eq!(winners.len(), 1, "exactly one edit wins: {answers:?}");
    for (status, body) in answers.iter().filter(|a| a.0 != 200) {
        assert_eq!((*status, body["code"].as_str()), (409, Some("version_conflict")), "{body}");
    }
    let after = stored(&app, id).await;
    assert_eq!(after["version"], 2);
    assert_eq!(after["retail_price"], winners[0]["retail_price"], "the winner's price is stored");
}
