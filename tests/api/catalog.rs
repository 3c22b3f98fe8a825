//! The public catalog (published products only, trade terms hidden), its filters and
//! pagination, malformed parameters, and the reference data of Kota Serang.

use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::helpers::*;

/// Publishes a product of a new verified producer in `kelurahan`, with `changes` over the
/// standard product body; returns the product id.
async fn publish(app: &TestApp, kelurahan: &str, changes: Value) -> i64 {
    let c = app.user(Role::Umkm).await;
    let mut producer = producer_body(&random_nib());
    producer["kelurahan_code"] = json!(kelurahan);
    let producer_id = json_ok(app.post("/api/v1/producers", Some(&c.token), producer).await, 201)
        .await["id"]
        .as_i64()
        .expect("id");
    app.verify_producer(producer_id).await;
    let mut body = product_body();
    for (k, v) in changes.as_object().expect("object") {
        body[k] = v.clone();
    }
    let id = json_ok(app.post("/api/v1/products", Some(&c.token), body).await, 201).await["id"]
        .as_i64()
        .expect("id");
    app.act(id, "submit", &c.token).await;
    app.act(id, "publish", &app.user(Role::Dinas).await.token).await;
    id
}

#[tokio::test]
async fn only_published_products_appear_in_the_catalog() {
    let app = spawn_app().await;
    let (_, published) = app.published_product().await;
    let (owner, producer_id, _submitted) = app.submitted_product().await;
    app.verify_producer(producer_id).await;
    let _draft = app.draft_product(&owner).await;
    let dinas = app.user(Role::Dinas).await;
    let rejected = app.draft_product(&owner).await["id"].as_i64().expect("id");
    app.act(rejected, "submit", &owner.token).await;
    json_ok(
        app.post(
            &format!("/api/v1/products/{rejected}/reject"),
            Some(&dinas.token),
            json!({"reason": "Label belum lengkap."}),
        )
        .await,
        200,
    )
    .await;
    let archived = app.draft_product(&owner).await["id"].as_i64().expect("id");
    app.act(archived, "archive", &owner.token).await;
    assert_eq!(app.total("/api/v1/products", Some(&dinas.token)).await, 5);

    let v = app.read("/api/v1/catalog", None).await;

    assert_eq!(v["total"], 1);
    assert_eq!(v["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["items"][0]["id"], published);
    assert_eq!(v["items"][0]["status"], "published");
}

#[tokio::test]
async fn the_catalog_filters_by_category_kecamatan_and_text() {
    let app = spawn_app().await;
    let emping = publish(&app, "36.73.06.1001", json!({"name": "Emping Melinjo Pedas"})).await;
    let kopi = publish(
        &app,
        "36.73.05.1001",
        json!({"name": "Kopi Robusta Banten", "category": "kopi-teh"}),
    )
    .await;
    let sambal = publish(
        &app,
        "36.73.05.1001",
        json!({"name": "Sambal Roa Serang", "category": "bumbu-sambal"}),
    )
    .await;

    assert_eq!(app.ids("/api/v1/catalog?category=kopi-teh", None).await, vec![kopi]);
    assert_eq!(app.ids("/api/v1/catalog?kecamatan=36.73.06", None).await, vec![emping]);
    let mut cipocok = app.ids("/api/v1/catalog?kecamatan=36.73.05", None).await;
    cipocok.sort_unstable();
    assert_eq!(cipocok, vec![kopi, sambal]);
    assert_eq!(
        app.ids("/api/v1/catalog?q=ROBUSTA", None).await,
        vec![kopi],
        "text search ignores case"
    );
    assert_eq!(app.ids("/api/v1/catalog?q=sambal&kecamatan=36.73.05", None).await, vec![sambal]);
    assert!(app.ids("/api/v1/catalog?q=sambal&kecamatan=36.73.06", None).await.is_empty());
    assert_eq!(app.total("/api/v1/catalog?category=kerajinan", None).await, 0);
    assert_eq!(
        app.total("/api/v1/catalog?q=&category=", None).await,
        3,
        "empty filters are ignored"
    );
}

#[tokio::test]
async fn the_catalog_is_paginated_newest_first() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for (i, name) in ["Gipang Kacang", "Dodol Serang", "Kue Jojorong"].into_iter().enumerate() {
        app.clock.set(test_now() + chrono::Duration::hours(i as i64));
        ids.push(publish(&app, "36.73.06.1001", json!({"name": name})).await);
    }

    let first = app.read("/api/v1/catalog?per_page=1", None).await;
    let second = app.read("/api/v1/catalog?per_page=1&page=2", None).await;
    let beyond = app.read("/api/v1/catalog?per_page=1&page=9", None).await;

    assert_eq!((first["total"].as_u64(), first["total_pages"].as_u64()), (Some(3), Some(3)));
    assert_eq!((first["page"].as_u64(), first["per_page"].as_u64()), (Some(1), Some(1)));
    assert_eq!(first["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(first["items"][0]["id"], ids[2], "the most recently published first");
    assert_eq!(second["items"][0]["id"], ids[1]);
    assert_eq!(beyond["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(beyond["total"], 3);
}

#[tokio::test]
async fn the_public_view_hides_trade_terms() {
    let app = spawn_app().await;
    let (owner, id) = app.published_product().await;

    let listed = app.read("/api/v1/catalog", None).await["items"][0].clone();
    let detail = app.read(&format!("/api/v1/catalog/{id}"), None).await;

    for v in [&listed, &detail] {
        assert!(v["wholesale_price"].is_null(), "{v}");
        assert!(v["wholesale_price_label"].is_null());
        assert!(v["min_order"].is_null() && v["monthly_capacity"].is_null());
        assert_eq!(v["retail_price"], 28000);
        assert_eq!(v["producer"]["verified"], true);
    }
    let own = app.read(&format!("/api/v1/products/{id}"), Some(&owner.token)).await;
    assert_eq!(own["wholesale_price"], 22000, "the owner still sees its own terms");
}

#[tokio::test]
async fn the_catalog_entry_of_a_draft_is_not_found() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().expect("id");

    let anonymous = app.get(&format!("/api/v1/catalog/{id}"), None).await;
    let as_owner = app.get(&format!("/api/v1/catalog/{id}"), Some(&owner.token)).await;
    let missing = app.get("/api/v1/catalog/999999", None).await;

    expect_problem(anonymous, 404, "not_found").await;
    expect_problem(as_owner, 404, "not_found").await;
    expect_problem(missing, 404, "not_found").await;
}

#[tokio::test]
async fn a_malformed_page_parameter_is_400_naming_page() {
    let app = spawn_app().await;

    let r = app.get("/api/v1/catalog?page=abc", None).await;

    let p = expect_problem(r, 400, "invalid_parameter").await;
    assert!(
        p["detail"].as_str().unwrap_or("").contains("\"page\""),
        "detail names the parameter: {p}"
    );
}

#[tokio::test]
async fn an_unknown_catalog_parameter_is_400_naming_it() {
    let app = spawn_app().await;

    let r = app.get("/api/v1/catalog?status=draft", None).await;

    let p = expect_problem(r, 400, "invalid_parameter").await;
    assert!(
        p["detail"].as_str().unwrap_or("").contains("status"),
        "detail names the parameter: {p}"
    );
}

#[tokio::test]
async fn a_non_numeric_product_id_is_400_invalid_path() {
    let app = spawn_app().await;
    let c = app.user(Role::Dinas).await;

    let product = app.get("/api/v1/products/abc", Some(&c.token)).await;
    let catalog = app.get("/api/v1/catalog/abc", None).await;

    let p = expect_problem(product, 400, "invalid_path").await;
    assert_eq!(p["detail"], "Alamat tidak sah: \"abc\" bukan nomor data (bilangan bulat).");
    expect_problem(catalog, 400, "invalid_path").await;
    let huge = app.get("/api/v1/products/99999999999999999999", Some(&c.token)).await;
    let p = expect_problem(huge, 400, "invalid_path").await;
    assert!(!p["detail"].as_str().unwrap_or("").contains("Cannot parse"), "{p}");
}

#[tokio::test]
async fn the_reference_lists_6_kecamatan_and_67_kelurahan_of_kota_serang() {
    let app = spawn_app().await;

    let v = app.read("/api/v1/reference", None).await;

    let kec = v["kecamatan"].as_array().expect("kecamatan");
    let counts: Vec<(String, usize)> = kec
        .iter()
        .map(|k| {
            (
                k["code"].as_str().unwrap_or_default().to_string(),
                k["kelurahan"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    let want = [
        ("36.73.01", 12),
        ("36.73.02", 10),
        ("36.73.03", 14),
        ("36.73.04", 10),
        ("36.73.05", 8),
        ("36.73.06", 13),
    ];
    assert_eq!(counts, want.map(|(c, n)| (c.to_string(), n)).to_vec());
    assert_eq!(counts.iter().map(|c| c.1).sum::<usize>(), 67);
    let taktakan = &kec[5];
    assert_eq!(taktakan["name"], "Taktakan");
    assert!(
        taktakan["kelurahan"].as_array().expect("kel").iter().any(|l| l["code"] == "36.73.06.1001")
    );
    let cats = v["categories"].as_array().expect("categories");
    assert!(cats.iter().any(|c| c["slug"] == "makanan-ringan"));
}
