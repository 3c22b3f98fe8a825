//! Input validation of the product form and of request bodies in general: each bad field is
//! named with a stable code, and a refused request saves nothing.

use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::helpers::*;

/// Posts `product_body()` with `changes` applied (a `null` removes the field) as a fresh UMKM
/// with a business; returns the response and the owner.
async fn create_with(app: &TestApp, changes: Value) -> (reqwest::Response, Caller) {
    let (c, _) = app.umkm_with_producer().await;
    let mut body = product_body();
    let obj = body.as_object_mut().expect("object");
    for (k, v) in changes.as_object().expect("object") {
        if v.is_null() {
            obj.remove(k);
        } else {
            obj.insert(k.clone(), v.clone());
        }
    }
    (app.post("/api/v1/products", Some(&c.token), body).await, c)
}

async fn assert_nothing_saved(app: &TestApp, owner: &Caller) {
    assert_eq!(app.total("/api/v1/products", Some(&owner.token)).await, 0, "no product was saved");
}

#[tokio::test]
async fn a_gtin_with_a_wrong_check_digit_is_refused_on_gtin() {
    let app = spawn_app().await;

    let (r, owner) = create_with(&app, json!({"gtin": "6291041500214"})).await;

    let p = expect_invalid(r, &[("gtin", "invalid_check_digit")]).await;
    assert_eq!(fields(&p), vec!["gtin"]);
    assert!(
        p["detail"].as_str().unwrap_or("").contains('3'),
        "the message gives the right digit: {p}"
    );
    assert_nothing_saved(&app, &owner).await;
}

#[tokio::test]
async fn a_correct_gtin_is_accepted_and_a_missing_one_is_fine() {
    let app = spawn_app().await;

    let (with, _) = create_with(&app, json!({"gtin": "629 1041 50021 3"})).await;
    let (without, _) = create_with(&app, json!({"gtin": null})).await;

    assert_eq!(json_ok(with, 201).await["gtin"], "6291041500213");
    assert!(json_ok(without, 201).await["gtin"].is_null(), "UMKM without a GS1 barcode can list");
}

#[tokio::test]
async fn a_retail_price_below_the_wholesale_price_is_refused_on_retail_price() {
    let app = spawn_app().await;

    let (r, owner) =
        create_with(&app, json!({"wholesale_price": 30000, "retail_price": 25000})).await;

    let p = expect_invalid(r, &[("retail_price", "below_wholesale")]).await;
    assert_eq!(fields(&p), vec!["retail_price"]);
    assert_nothing_saved(&app, &owner).await;
}

#[tokio::test]
async fn an_unknown_category_is_refused_on_category() {
    let app = spawn_app().await;

    let (r, owner) = create_with(&app, json!({"category": "elektronik"})).await;

    expect_invalid(r, &[("category", "unknown_category")]).await;
    assert_nothing_saved(&app, &owner).await;
}

#[tokio::test]
async fn a_net_content_without_its_unit_is_refused_on_net_unit() {
    let app = spawn_app().await;

    let (r, owner) = create_with(&app, json!({"net_content": 250, "net_unit": null})).await;

    expect_invalid(r, &[("net_unit", "required")]).await;
    assert_nothing_saved(&app, &owner).await;
}

#[tokio::test]
async fn every_bad_product_field_is_reported_at_once() {
    let app = spawn_app().await;
    let changes = json!({
        "name": "ab", "category": "", "gtin": "12345", "net_unit": "ons", "pack_size": 0,
        "packaging": "karung", "shelf_life_days": 5000, "storage": "panas", "min_order": 0,
        "wholesale_price": -1, "monthly_capacity": 20_000_000
    });

    let (r, owner) = create_with(&app, changes).await;

    let p = expect_invalid(
        r,
        &[
            ("name", "too_short"),
            ("category", "required"),
            ("gtin", "invalid_format"),
            ("net_unit", "invalid_choice"),
            ("pack_size", "out_of_range"),
            ("packaging", "invalid_choice"),
            ("shelf_life_days", "out_of_range"),
            ("storage", "invalid_choice"),
            ("min_order", "out_of_range"),
            ("monthly_capacity", "out_of_range"),
            ("wholesale_price", "out_of_range"),
        ],
    )
    .await;
    assert_eq!(p["detail"], format!("Ada {} isian yang perlu diperbaiki.", fields(&p).len()));
    assert_nothing_saved(&app, &owner).await;
}

#[tokio::test]
async fn an_unknown_product_field_is_refused_naming_it() {
    let app = spawn_app().await;

    let (r, owner) = create_with(&app, json!({"harga_promo": 1000})).await;

    expect_unknown_field(r, "harga_promo").await;
    assert_nothing_saved(&app, &owner).await;
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_named() {
    let app = spawn_app().await;

    let (r, owner) = create_with(&app, json!({"retail_price": "dua puluh ribu"})).await;

    expect_invalid(r, &[("retail_price", "invalid_type")]).await;
    assert_nothing_saved(&app, &owner).await;
}

#[tokio::test]
async fn a_body_that_is_not_json_is_400_malformed_json() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;

    let r = app
        .client
        .post(app.url("/api/v1/products"))
        .bearer_auth(&c.token)
        .header("content-type", "application/json")
        .body("{\"name\": \"Emping\",")
        .send()
        .await
        .expect("sent");

    let p = expect_problem(r, 400, "malformed_json").await;
    assert_eq!(
        p["detail"],
        "Isi permintaan bukan JSON yang sah: terputus sebelum selesai (baris 1, kolom 18).",
        "in Indonesian, saying where"
    );
    assert_nothing_saved(&app, &c).await;
}

#[tokio::test]
async fn a_product_sent_as_a_form_is_415() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;

    let r = app
        .client
        .post(app.url("/api/v1/products"))
        .bearer_auth(&c.token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=Emping&category=makanan-ringan")
        .send()
        .await
        .expect("sent");

    expect_problem(r, 415, "unsupported_media_type").await;
    assert_nothing_saved(&app, &c).await;
}

#[tokio::test]
async fn a_producer_edit_with_an_unknown_field_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (c, id) = app.umkm_with_producer().await;
    let dinas = app.user(Role::Dinas).await;
    let path = format!("/api/v1/producers/{id}");
    let before = app.read(&path, Some(&dinas.token)).await;

    let r = app.patch(&path, Some(&c.token), json!({"version": 1, "status": "verified"})).await;

    expect_unknown_field(r, "status").await;
    assert_eq!(app.read(&path, Some(&dinas.token)).await, before);
}

#[tokio::test]
async fn a_producer_edit_with_half_a_coordinate_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (c, id) = app.umkm_with_producer().await;
    let dinas = app.user(Role::Dinas).await;
    let path = format!("/api/v1/producers/{id}");
    let before = app.read(&path, Some(&dinas.token)).await;

    let r = app.patch(&path, Some(&c.token), json!({"version": 1, "lat": null, "nib": "12"})).await;

    expect_invalid(r, &[("lat", "required"), ("nib", "invalid_format")]).await;
    assert_eq!(app.read(&path, Some(&dinas.token)).await, before);
}

#[tokio::test]
async fn a_version_that_is_not_a_number_is_refused_naming_version() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");
    let path = format!("/api/v1/products/{id}");

    let r = app.patch(&path, Some(&c.token), json!({"version": "1", "name": "Emping Baru"})).await;

    expect_invalid(r, &[("version", "invalid_type")]).await;
    assert_eq!(app.read(&path, Some(&c.token)).await["name"], "Emping Melinjo Pedas");
}

#[tokio::test]
async fn an_unknown_field_is_named_by_itself() {
    let app = spawn_app().await;
    let (c, producer_id) = app.umkm_with_producer().await;
    let product_id = app.draft_product(&c).await["id"].as_i64().expect("id");
    let register =
        json!({"email": "x@contoh.id", "password": PASSWORD, "display_name": "X", "role": "admin"});
    let mut product = product_body();
    product["harga_promo"] = json!(1000);

    let answers = [
        (app.post("/api/v1/auth/register", None, register).await, "role"),
        (app.post("/api/v1/products", Some(&c.token), product).await, "harga_promo"),
        (
            app.patch(
                &format!("/api/v1/products/{product_id}"),
                Some(&c.token),
                json!({"version": 1, "status": "published"}),
            )
            .await,
            "status",
        ),
        (
            app.patch(
                &format!("/api/v1/producers/{producer_id}"),
                Some(&c.token),
                json!({"version": 1, "status": "verified"}),
            )
            .await,
            "status",
        ),
        (
            app.post(
                &format!("/api/v1/products/{product_id}/submit"),
                Some(&c.token),
                json!({"force": true}),
            )
            .await,
            "force",
        ),
    ];

    for (r, name) in answers {
        let p = expect_invalid(r, &[(name, "unknown_field")]).await;
        assert_eq!(fields(&p), vec![name.to_string()]);
    }
}

#[tokio::test]
async fn pages_and_dates_out_of_range_are_a_400_naming_the_parameter() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    for (path, token, name) in [
        ("/api/v1/catalog?page=18446744073709551615", None, "page"),
        ("/api/v1/catalog?page=0", None, "page"),
        ("/api/v1/products?page=100001", Some(dinas.token.as_str()), "page"),
        ("/api/v1/compliance/stores?date=%2B262142-12-31", Some(dinas.token.as_str()), "date"),
        ("/api/v1/compliance/summary?date=1900-01-01", Some(dinas.token.as_str()), "date"),
    ] {
        let r = app.get(path, token).await;
        let p = expect_problem(r, 400, "invalid_parameter").await;
        assert!(p["detail"].as_str().unwrap().contains(&format!("\"{name}\"")), "{path}: {p}");
    }
    let r = app.get("/api/v1/catalog?page=2&per_page=5", None).await;
    assert_eq!(json_ok(r, 200).await["page"], 2, "an ordinary page still answers");
}
