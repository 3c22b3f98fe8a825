//! The trust chain (issue 12): what the public, search, buyers and new agreements see follows
//! the Dinas' verification of the business; trade terms go to counterparts only.

use etalase_domain::roles::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::agreements::{propose, world};
use crate::helpers::*;

/// What each audience sees of one product: (public detail status, public catalog has it,
/// search has it, store recommendations have it).
async fn seen(app: &TestApp, product: i64, store: i64, manager: &str) -> (u16, bool, bool, bool) {
    app.drain_search().await;
    let detail = app.get(&format!("/api/v1/catalog/{product}"), None).await.status().as_u16();
    let catalog = app.ids("/api/v1/catalog?per_page=100", None).await.contains(&product);
    let hits = app.read("/api/v1/search/products?q=emping", None).await;
    let in_search = hits["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .any(|h| h["doc"]["id"].as_i64() == Some(product) || h["id"].as_i64() == Some(product));
    let recs = app.read(&format!("/api/v1/stores/{store}/recommendations"), Some(manager)).await;
    let recommended =
        recs.as_array().expect("recs").iter().any(|r| r["product_id"].as_i64() == Some(product));
    (detail, catalog, in_search, recommended)
}

async fn producer_of(app: &TestApp, product: i64, token: &str) -> i64 {
    app.read(&format!("/api/v1/products/{product}"), Some(token)).await["producer_id"]
        .as_i64()
        .expect("producer id")
}

#[tokio::test]
async fn trade_terms_go_to_the_owner_the_dinas_and_buyers_only() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let path = format!("/api/v1/products/{}", w.product);
    let other_umkm = app.user(Role::Umkm).await;
    let dinas = app.user(Role::Dinas).await;
    for (who, token, sees) in [
        ("pemilik", &w.umkm.token, true),
        ("dinas", &dinas.token, true),
        ("manajer toko", &w.manager.token, true),
        ("kantor jaringan", &w.office.token, true),
        ("UMKM lain", &other_umkm.token, false),
    ] {
        let v = app.read(&path, Some(token)).await;
        assert_eq!(v["wholesale_price"].is_number(), sees, "{who}: {v}");
        assert_eq!(v["min_order"].is_number(), sees, "{who}");
        assert_eq!(v["monthly_capacity"].is_number(), sees, "{who}");
        assert_eq!(v["retail_price"], 28000, "{who} sees the shelf price");
    }
    let public = app.read(&format!("/api/v1/catalog/{}", w.product), None).await;
    assert!(public["wholesale_price"].is_null() && public["min_order"].is_null());
    let page = app.get(&format!("/katalog/{}", w.product), None).await.text().await.unwrap();
    assert!(!page.contains("22.000"), "the public page shows no wholesale price");
}

#[tokio::test]
async fn a_rejected_business_leaves_every_listing_and_returns_when_verified_again() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let m = &w.manager.token;
    // An active agreement before the revocation, so the store hears of it.
    let id = propose(&app, &w.umkm.token, w.store, w.product).await["id"].as_i64().expect("id");
    json_ok(app.post_empty(&format!("/api/v1/agreements/{id}/accept"), Some(m)).await, 200).await;
    let (_, second) = app.published_product().await;
    assert_eq!(seen(&app, w.product, w.store, m).await, (200, true, true, false), "placed");
    assert_eq!(seen(&app, second, w.store, m).await, (200, true, true, true));

    let producer = producer_of(&app, second, &app.user(Role::Dinas).await.token).await;
    let dinas = app.user(Role::Dinas).await;
    let reason = json!({"reason": "NIB tidak valid, izin dicabut"});
    let path = format!("/api/v1/producers/{producer}/reject");
    json_ok(app.post(&path, Some(&dinas.token), reason).await, 200).await;
    assert_eq!(seen(&app, second, w.store, m).await, (404, false, false, false), "revoked");
    // Certificate documents and the product itself are gone for the public; the owner and
    // the Dinas still see it.
    assert_eq!(app.get(&format!("/api/v1/products/{second}"), Some(m)).await.status(), 404);
    assert_eq!(app.get(&format!("/katalog/{second}"), None).await.status(), 404);
    app.read(&format!("/api/v1/products/{second}"), Some(&dinas.token)).await;
    // No new agreement may include it.
    let r = app
        .post(
            "/api/v1/agreements",
            Some(m),
            json!({"store_id": w.store, "terms": crate::agreements::terms(second)}),
        )
        .await;
    let p = expect_problem(r, 422, "validation_failed").await;
    assert_eq!(field_code(&p, "items[0].product_id").as_deref(), Some("producer_not_verified"));

    // The store with an agreement with the first business hears when that one is revoked.
    let first = producer_of(&app, w.product, &dinas.token).await;
    let reason = json!({"reason": "Izin usaha dicabut pemerintah"});
    let path = format!("/api/v1/producers/{first}/reject");
    json_ok(app.post(&path, Some(&dinas.token), reason).await, 200).await;
    let inbox = app.read("/api/v1/inbox", Some(m)).await;
    let item = inbox
        .as_array()
        .expect("inbox")
        .iter()
        .find(|i| i["kind"] == "producer_not_verified")
        .unwrap_or_else(|| panic!("an inbox message for the store: {inbox}"));
    assert!(item["message"].as_str().unwrap().contains("Izin usaha dicabut pemerintah"));

    // Verified again: back everywhere.
    let path = format!("/api/v1/producers/{producer}/verify");
    json_ok(app.post_empty(&path, Some(&dinas.token)).await, 200).await;
    assert_eq!(seen(&app, second, w.store, m).await, (200, true, true, true), "restored");
}

#[tokio::test]
async fn changing_the_verified_identity_sends_the_business_back_to_the_queue() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let m = &w.manager.token;
    let producer = producer_of(&app, w.product, &w.umkm.token).await;
    let path = format!("/api/v1/producers/{producer}");
    let current = app.read(&path, Some(&w.umkm.token)).await;
    let version = current["version"].as_i64().expect("version");

    // A new phone number is not an identity change.
    let r = app
        .send(
            Method::PATCH,
            &path,
            Some(&w.umkm.token),
            Some(json!({"version": version, "whatsapp": "0813-1111-2222"})),
        )
        .await;
    let v: Value = json_ok(r, 200).await;
    assert_eq!(v["status"], "verified");
    // A new business name is.
    let r = app
        .send(
            Method::PATCH,
            &path,
            Some(&w.umkm.token),
            Some(json!({"version": v["version"], "name": "Emping Bu Sari Baru"})),
        )
        .await;
    let v: Value = json_ok(r, 200).await;
    assert_eq!(v["status"], "registered", "{v}");
    assert!(v["status_reason"].as_str().unwrap_or("").contains("nama usaha"), "{v}");
    let (status, in_catalog, in_search, _) = seen(&app, w.product, w.store, m).await;
    assert_eq!((status, in_catalog, in_search), (404, false, false));
    let dinas = app.user(Role::Dinas).await;
    let queue = app.read("/api/v1/producers?status=registered", Some(&dinas.token)).await;
    assert!(queue["items"].as_array().unwrap().iter().any(|p| p["id"] == producer));
    json_ok(app.post_empty(&format!("{path}/verify"), Some(&dinas.token)).await, 200).await;
    let (status, in_catalog, in_search, _) = seen(&app, w.product, w.store, m).await;
    assert_eq!((status, in_catalog, in_search), (200, true, true));
}

async fn halal_hits(app: &TestApp) -> Vec<i64> {
    app.drain_search().await;
    let v = app.read("/api/v1/search/products?halal=true", None).await;
    v["hits"].as_array().expect("hits").iter().filter_map(|h| h["doc"]["id"].as_i64()).collect()
}

#[tokio::test]
async fn a_reviewed_listing_changes_certificates_and_photos_only_through_a_new_review() {
    let app = spawn_app().await;
    let (owner, id) = app.published_product().await;
    let certs = format!("/api/v1/products/{id}/certificates");
    let halal = json!({"kind": "halal", "number": "ID31110000123450821"});
    let before = app.read(&certs, Some(&owner.token)).await;

    // A made-up halal number on the live listing: refused, nothing stored, search unchanged.
    let p = expect_problem(
        app.post(&certs, Some(&owner.token), halal.clone()).await,
        409,
        "not_editable",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("Ajukan perubahan"), "{p}");
    assert_eq!(app.read(&certs, Some(&owner.token)).await, before);
    assert!(!halal_hits(&app).await.contains(&id));
    let jpeg = crate::photos::photo(800, 600, 7, image::ImageFormat::Jpeg);
    let r = crate::photos::upload(&app, &owner.token, id, vec![("a.jpg", jpeg.clone())]).await;
    expect_problem(r, 409, "not_editable").await;
    let photos = etalase_db::repo::photos::for_product(&app.state.db, id).await.unwrap();
    assert!(photos.is_empty(), "no photo was stored");

    // "Ajukan perubahan": back to draft and out of the catalog; the change is then allowed and
    // reaches the public only after the Dinas publishes again.
    app.act(id, "revise", &owner.token).await;
    assert_eq!(app.get(&format!("/api/v1/catalog/{id}"), None).await.status(), 404);
    json_ok(app.post(&certs, Some(&owner.token), halal).await, 201).await;
    json_ok(crate::photos::upload(&app, &owner.token, id, vec![("a.jpg", jpeg)]).await, 201).await;
    assert!(!halal_hits(&app).await.contains(&id), "not public while in review");
    app.act(id, "submit", &owner.token).await;
    let dinas = app.user(Role::Dinas).await;
    app.act(id, "publish", &dinas.token).await;
    assert!(halal_hits(&app).await.contains(&id), "public after the new review");
}

#[tokio::test]
async fn a_halal_certificate_counts_once_the_officer_who_published_checked_it() {
    let app = spawn_app().await;
    let (owner, producer) = app.umkm_with_producer().await;
    app.verify_producer(producer).await;
    let id = app.draft_product(&owner).await["id"].as_i64().expect("id");
    let certs = format!("/api/v1/products/{id}/certificates");
    let halal = json!({"kind": "halal", "number": "ID31110000123450821"});
    let pirt = json!({"kind": "pirt", "number": "2013673010234-29"});
    json_ok(app.post(&certs, Some(&owner.token), halal).await, 201).await;
    json_ok(app.post(&certs, Some(&owner.token), pirt).await, 201).await;

    let v = app.read(&format!("/api/v1/products/{id}"), Some(&owner.token)).await;
    let by_kind = |v: &Value, k: &str| {
        v["certificates"].as_array().unwrap().iter().find(|c| c["kind"] == k).unwrap().clone()
    };
    assert_eq!(by_kind(&v, "halal")["counts"], false, "not checked yet");
    assert!(by_kind(&v, "halal")["checked_label"].as_str().unwrap().contains("Menunggu"));
    assert_eq!(by_kind(&v, "pirt")["counts"], true, "a P-IRT counts at once");

    app.act(id, "submit", &owner.token).await;
    let dinas = app.user(Role::Dinas).await;
    app.act(id, "publish", &dinas.token).await;
    let v = app.read(&format!("/api/v1/products/{id}"), Some(&owner.token)).await;
    let h = by_kind(&v, "halal");
    assert_eq!(
        (h["counts"].as_bool(), h["checked_by"].as_i64()),
        (Some(true), Some(dinas.user_id))
    );
    assert!(h["checked_label"].as_str().unwrap().contains("Pengguna Uji"), "{h}");
    assert!(halal_hits(&app).await.contains(&id));
    let page = app.get(&format!("/katalog/{id}"), None).await.text().await.unwrap();
    assert!(page.contains("Diperiksa Dinas (Pengguna Uji)"), "the public page says who checked");
}

#[tokio::test]
async fn photos_of_unreviewed_listings_are_private_and_leave_with_a_revoked_business() {
    let app = spawn_app().await;
    let (owner, producer) = app.umkm_with_producer().await;
    app.verify_producer(producer).await;
    let id = app.draft_product(&owner).await["id"].as_i64().expect("id");
    let jpeg = crate::photos::photo(800, 600, 9, image::ImageFormat::Jpeg);
    let v =
        json_ok(crate::photos::upload(&app, &owner.token, id, vec![("a.jpg", jpeg)]).await, 201)
            .await;
    let url = v[0]["thumbnail_url"].as_str().expect("thumbnail").to_string();
    let other = app.user(Role::Umkm).await;
    let dinas = app.user(Role::Dinas).await;
    let fetch = |token: Option<String>| {
        let app = &app;
        let url = url.clone();
        async move {
            let r = app.get(&url, token.as_deref()).await;
            let cache = r.headers().get("cache-control").map(|v| v.to_str().unwrap().to_string());
            (r.status().as_u16(), cache.unwrap_or_default())
        }
    };
    assert_eq!(fetch(None).await.0, 404, "a draft's photo is not public");
    assert_eq!(fetch(Some(other.token.clone())).await.0, 404, "nor for another UMKM");
    assert_eq!(fetch(Some(owner.token.clone())).await, (200, "private, no-store".into()));
    assert_eq!(fetch(Some(dinas.token.clone())).await.0, 200, "the reviewer sees it");

    app.act(id, "submit", &owner.token).await;
    app.act(id, "publish", &dinas.token).await;
    let (status, cache) = fetch(None).await;
    assert_eq!((status, cache.contains("public")), (200, true), "public once listed");

    let reject = json!({"reason": "Izin usaha dicabut"});
    let path = format!("/api/v1/producers/{producer}/reject");
    json_ok(app.post(&path, Some(&dinas.token), reject).await, 200).await;
    assert_eq!(fetch(None).await.0, 404, "gone with the business");
    assert_eq!(fetch(Some(owner.token.clone())).await.0, 200, "the owner still sees it");
}
