//! Business profiles: registration, who reads and edits them (optimistic versions), and the
//! Dinas verification queue.

use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::helpers::*;

fn path(id: i64) -> String {
    format!("/api/v1/producers/{id}")
}

/// The producer as the Dinas sees it (the source of truth for "unchanged" checks).
async fn stored(app: &TestApp, id: i64) -> Value {
    let dinas = app.user(Role::Dinas).await;
    app.read(&path(id), Some(&dinas.token)).await
}

#[tokio::test]
async fn umkm_registers_its_business_as_registered_with_version_1_and_derived_kecamatan() {
    let app = spawn_app().await;
    let c = app.user(Role::Umkm).await;
    let nib = random_nib();

    let r = app.post("/api/v1/producers", Some(&c.token), producer_body(&nib)).await;

    let v = json_ok(r, 201).await;
    assert_eq!(v["status"], "registered");
    assert_eq!(v["version"], 1);
    assert_eq!(v["nib"], nib);
    assert_eq!(v["kelurahan_code"], "36.73.06.1001");
    assert_eq!(v["kecamatan_code"], "36.73.06");
    assert_eq!(v["kecamatan"], "Taktakan");
    assert_eq!(v["whatsapp"], "+6281234567890", "phone normalised");
    assert_eq!(
        (v["lat"].as_f64(), v["lon"].as_f64()),
        (Some(-6.11045), Some(106.10592)),
        "kelurahan centre"
    );
    let me = app.read("/api/v1/me", Some(&c.token)).await;
    assert_eq!(me["producer"]["id"], v["id"]);
}

#[tokio::test]
async fn a_second_business_for_the_same_account_is_producer_exists() {
    let app = spawn_app().await;
    let (c, id) = app.umkm_with_producer().await;

    let r = app.post("/api/v1/producers", Some(&c.token), producer_body(&random_nib())).await;

    expect_problem(r, 409, "producer_exists").await;
    assert_eq!(app.ids("/api/v1/producers", Some(&c.token)).await, vec![id]);
}

/// Six registrations by one account at once (a double-tapped button): (answers, owner).
async fn register_six_at_once(app: &TestApp) -> (Vec<(u16, Value)>, Caller) {
    let c = app.user(Role::Umkm).await;
    let bodies = (0..6).map(|_| producer_body(&random_nib())).collect();
    (app.concurrently(reqwest::Method::POST, "/api/v1/producers", &c.token, bodies).await, c)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_six_times_at_once_creates_exactly_one_business() {
    let app = spawn_app().await;

    let (answers, c) = register_six_at_once(&app).await;

    assert_eq!(
        answers.iter().filter(|a| a.0 == 201).count(),
        1,
        "exactly one business: {answers:?}"
    );
    assert!(
        answers.iter().filter(|a| a.0 != 201).all(|a| a.0 == 409),
        "the others conflict: {answers:?}"
    );
    assert_eq!(app.total("/api/v1/producers", Some(&c.token)).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_twice_at_once_answers_producer_exists_not_nib_taken() {
    let app = spawn_app().await;

    let (answers, _) = register_six_at_once(&app).await;

    for (status, body) in answers.iter().filter(|a| a.0 != 201) {
        assert_eq!((*status, body["code"].as_str()), (409, Some("producer_exists")), "{body}");
    }
}

#[tokio::test]
async fn a_nib_registered_by_another_account_is_nib_taken() {
    let app = spawn_app().await;
    let (first, id) = app.umkm_with_producer().await;
    let nib =
        app.read(&path(id), Some(&first.token)).await["nib"].as_str().expect("nib").to_string();
    let second = app.user(Role::Umkm).await;

    let r = app.post("/api/v1/producers", Some(&second.token), producer_body(&nib)).await;

    expect_problem(r, 409, "nib_taken").await;
    assert!(app.read("/api/v1/me", Some(&second.token)).await["producer"].is_null());
}

#[tokio::test]
async fn store_and_dinas_accounts_cannot_register_a_business() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;

    for role in [Role::Store, Role::Dinas, Role::Chain] {
        let c = app.user(role).await;

        let r = app.post("/api/v1/producers", Some(&c.token), producer_body(&random_nib())).await;

        expect_problem(r, 403, "forbidden").await;
    }
    assert_eq!(app.total("/api/v1/producers", Some(&dinas.token)).await, 0);
}

#[tokio::test]
async fn an_invalid_profile_lists_every_bad_field_at_once() {
    let app = spawn_app().await;
    let c = app.user(Role::Umkm).await;
    let mut body = producer_body("12345");
    body["name"] = json!("");
    body["scale"] = json!("besar");
    body["capital_range"] = json!("sedang");
    body["kelurahan_code"] = json!("31.71.01.1001");
    body["whatsapp"] = json!(null);

    let r = app.post("/api/v1/producers", Some(&c.token), body).await;

    expect_invalid(
        r,
        &[
            ("name", "required"),
            ("nib", "invalid_format"),
            ("scale", "invalid_choice"),
            ("capital_range", "invalid_choice"),
            ("kelurahan_code", "unknown_kelurahan"),
            ("whatsapp", "required"),
        ],
    )
    .await;
    assert!(app.read("/api/v1/me", Some(&c.token)).await["producer"].is_null(), "nothing saved");
}

#[tokio::test]
async fn coordinates_in_jakarta_are_refused_on_lat() {
    let app = spawn_app().await;
    let c = app.user(Role::Umkm).await;
    let mut body = producer_body(&random_nib());
    body["lat"] = json!(-6.2);
    body["lon"] = json!(106.8);

    let r = app.post("/api/v1/producers", Some(&c.token), body).await;

    let p = expect_invalid(r, &[("lat", "not_in_kota_serang")]).await;
    assert_eq!(fields(&p), vec!["lat"]);
    assert!(app.read("/api/v1/me", Some(&c.token)).await["producer"].is_null());
}

#[tokio::test]
async fn an_unverified_business_is_visible_to_its_owner_and_the_dinas_only() {
    let app = spawn_app().await;
    let (owner, id) = app.umkm_with_producer().await;
    let other = app.user(Role::Umkm).await;
    let store = app.user(Role::Store).await;
    let dinas = app.user(Role::Dinas).await;

    assert_eq!(app.read(&path(id), Some(&owner.token)).await["id"], id);
    assert_eq!(app.read(&path(id), Some(&dinas.token)).await["id"], id);
    expect_problem(app.get(&path(id), Some(&other.token)).await, 404, "not_found").await;
    expect_problem(app.get(&path(id), Some(&store.token)).await, 404, "not_found").await;
    assert_eq!(app.total("/api/v1/producers", Some(&store.token)).await, 0);

    app.verify_producer(id).await;

    assert_eq!(app.read(&path(id), Some(&store.token)).await["status"], "verified");
    assert_eq!(app.ids("/api/v1/producers", Some(&store.token)).await, vec![id]);
    expect_problem(app.get(&path(id), Some(&other.token)).await, 404, "not_found").await;
}

#[tokio::test]
async fn owner_edits_with_the_current_version_and_the_version_goes_up() {
    let app = spawn_app().await;
    let (c, id) = app.umkm_with_producer().await;

    let r = app.patch(&path(id), Some(&c.token), json!({"version": 1, "name": "Emping Bu Sari Taktakan", "kelurahan_code": "36.73.05.1001"})).await;

    let v = json_ok(r, 200).await;
    assert_eq!(v["version"], 2);
    assert_eq!(v["name"], "Emping Bu Sari Taktakan");
    assert_eq!(v["kecamatan_code"], "36.73.05", "kecamatan follows the kelurahan");
    assert_eq!(v["owner_name"], "Sari Wulandari", "fields not sent are kept");
    assert_eq!(stored(&app, id).await, v);
}

#[tokio::test]
async fn moving_to_another_kelurahan_without_coordinates_moves_the_default_point() {
    let app = spawn_app().await;
    let (c, id) = app.umkm_with_producer().await;

    let r = app
        .patch(&path(id), Some(&c.token), json!({"version": 1, "kelurahan_code": "36.73.05.1001"}))
        .await;

    let v = json_ok(r, 200).await;
    assert_eq!(v["kecamatan_code"], "36.73.05");
    assert_eq!(
        (v["lat"].as_f64(), v["lon"].as_f64()),
        (Some(-6.13868), Some(106.17410)),
        "centre of Cipocok Jaya, not Taktakan"
    );
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_changes_nothing() {
    let app = spawn_app().await;
    let (c, id) = app.umkm_with_producer().await;
    json_ok(
        app.patch(&path(id), Some(&c.token), json!({"version": 1, "name": "Nama Pertama"})).await,
        200,
    )
    .await;
    let before = stored(&app, id).await;

    let r = app.patch(&path(id), Some(&c.token), json!({"version": 1, "name": "Nama Kedua"})).await;

    expect_problem(r, 409, "version_conflict").await;
    let after = stored(&app, id).await;
    assert_eq!(after, before);
    assert_eq!(
        (after["name"].as_str(), after["version"].as_i64()),
        (Some("Nama Pertama"), Some(2))
    );
}

#[tokio::test]
async fn an_edit_without_version_is_refused_naming_version() {
    let app = spawn_app().await;
    let (c, id) = app.umkm_with_producer().await;
    let before = stored(&app, id).await;

    let r = app.patch(&path(id), Some(&c.token), json!({"name": "Tanpa Versi"})).await;

    expect_invalid(r, &[("version", "required")]).await;
    assert_eq!(stored(&app, id).await, before);
}

#[tokio::test]
async fn another_umkm_cannot_edit_my_business() {
    let app = spawn_app().await;
    let (_owner, id) = app.umkm_with_producer().await;
    let (other, _) = app.umkm_with_producer().await;
    let before = stored(&app, id).await;

    let r = app
        .patch(&path(id), Some(&other.token), json!({"version": 1, "name": "Diambil Alih"}))
        .await;

    expect_problem(r, 404, "not_found").await;
    assert_eq!(stored(&app, id).await, before);
}

#[tokio::test]
async fn dinas_cannot_edit_a_business() {
    let app = spawn_app().await;
    let (_owner, id) = app.umkm_with_producer().await;
    let dinas = app.user(Role::Dinas).await;
    let before = stored(&app, id).await;

    let r = app
        .patch(&path(id), Some(&dinas.token), json!({"version": 1, "name": "Diubah Dinas"}))
        .await;

    expect_problem(r, 403, "forbidden").await;
    assert_eq!(stored(&app, id).await, before);
}

#[tokio::test]
async fn dinas_finds_a_new_business_in_the_verification_queue_and_verifies_it() {
    let app = spawn_app().await;
    let (_owner, id) = app.umkm_with_producer().await;
    let dinas = app.user(Role::Dinas).await;
    assert_eq!(app.ids("/api/v1/producers?status=registered", Some(&dinas.token)).await, vec![id]);

    let r = app.post_empty(&format!("{}/verify", path(id)), Some(&dinas.token)).await;

    let v = json_ok(r, 200).await;
    assert_eq!((v["status"].as_str(), v["version"].as_i64()), (Some("verified"), Some(2)));
    assert!(app.ids("/api/v1/producers?status=registered", Some(&dinas.token)).await.is_empty());
    assert_eq!(app.ids("/api/v1/producers?status=verified", Some(&dinas.token)).await, vec![id]);
}

#[tokio::test]
async fn umkm_and_store_cannot_verify_a_business() {
    let app = spawn_app().await;
    let (owner, id) = app.umkm_with_producer().await;
    let store = app.user(Role::Store).await;

    for token in [&owner.token, &store.token] {
        let r = app.post_empty(&format!("{}/verify", path(id)), Some(token)).await;

        expect_problem(r, 403, "forbidden").await;
    }
    let after = stored(&app, id).await;
    assert_eq!(
        (after["status"].as_str(), after["version"].as_i64()),
        (Some("registered"), Some(1))
    );
}

#[tokio::test]
async fn rejecting_without_a_reason_is_refused_naming_reason() {
    let app = spawn_app().await;
    let (_owner, id) = app.umkm_with_producer().await;
    let dinas = app.user(Role::Dinas).await;
    let before = stored(&app, id).await;

    for body in [json!({}), json!({"reason": "   "}), json!({"reason": "abc"})] {
        let r = app.post(&format!("{}/reject", path(id)), Some(&dinas.token), body).await;

        expect_invalid(r, &[("reason", "required")]).await;
    }
    assert_eq!(stored(&app, id).await, before);
}

#[tokio::test]
async fn a_rejected_business_shows_the_reason_and_returns_to_the_queue_when_edited() {
    let app = spawn_app().await;
    let (owner, id) = app.umkm_with_producer().await;
    let dinas = app.user(Role::Dinas).await;
    let reason = "NIB tidak cocok dengan data OSS; periksa kembali.";

    let r = app
        .post(&format!("{}/reject", path(id)), Some(&dinas.token), json!({"reason": reason}))
        .await;

    assert_eq!(json_ok(r, 200).await["status"], "rejected");
    let seen = app.read(&path(id), Some(&owner.token)).await;
    assert_eq!(
        (seen["status"].as_str(), seen["status_reason"].as_str()),
        (Some("rejected"), Some(reason))
    );
    assert!(app.ids("/api/v1/producers?status=registered", Some(&dinas.token)).await.is_empty());

    let r = app
        .patch(
            &path(id),
            Some(&owner.token),
            json!({"version": seen["version"], "address": "Jl. Raya Taktakan No. 14"}),
        )
        .await;

    let v = json_ok(r, 200).await;
    assert_eq!(v["status"], "registered");
    assert_eq!(app.ids("/api/v1/producers?status=registered", Some(&dinas.token)).await, vec![id]);
}

#[tokio::test]
async fn verifying_an_already_verified_business_is_an_invalid_transition() {
    let app = spawn_app().await;
    let (_owner, id) = app.umkm_with_producer().await;
    app.verify_producer(id).await;
    let dinas = app.user(Role::Dinas).await;
    let before = stored(&app, id).await;

    let r = app.post_empty(&format!("{}/verify", path(id)), Some(&dinas.token)).await;

    expect_problem(r, 409, "invalid_transition").await;
    assert_eq!(stored(&app, id).await, before);
}
