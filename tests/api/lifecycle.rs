//! The listing lifecycle through the API: draft → submitted → published, rejected (with a
//! reason), archived, revised; who may do each step.

use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::helpers::*;

fn action(id: i64, what: &str) -> String {
    format!("/api/v1/products/{id}/{what}")
}

async fn stored(app: &TestApp, id: i64) -> Value {
    let dinas = app.user(Role::Dinas).await;
    app.read(&format!("/api/v1/products/{id}"), Some(&dinas.token)).await
}

async fn status_and_version(app: &TestApp, id: i64) -> (String, i64) {
    let v = stored(app, id).await;
    (
        v["status"].as_str().unwrap_or_default().to_string(),
        v["version"].as_i64().unwrap_or_default(),
    )
}

#[tokio::test]
async fn owner_submits_a_draft_into_the_review_queue() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");
    let dinas = app.user(Role::Dinas).await;

    let v = app.act(id, "submit", &c.token).await;

    assert_eq!((v["status"].as_str(), v["version"].as_i64()), (Some("submitted"), Some(2)));
    assert_eq!(app.ids("/api/v1/products?status=submitted", Some(&dinas.token)).await, vec![id]);
}

#[tokio::test]
async fn dinas_cannot_submit_a_product() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");
    let dinas = app.user(Role::Dinas).await;

    let r = app.post_empty(&action(id, "submit"), Some(&dinas.token)).await;

    expect_problem(r, 403, "forbidden").await;
    assert_eq!(status_and_version(&app, id).await, ("draft".into(), 1));
}

#[tokio::test]
async fn owner_cannot_publish_its_own_product() {
    let app = spawn_app().await;
    let (c, producer_id, id) = app.submitted_product().await;
    app.verify_producer(producer_id).await;

    let r = app.post_empty(&action(id, "publish"), Some(&c.token)).await;

    expect_problem(r, 403, "forbidden").await;
    assert_eq!(status_and_version(&app, id).await, ("submitted".into(), 2));
    assert_eq!(app.total("/api/v1/catalog", None).await, 0);
}

#[tokio::test]
async fn publishing_before_the_business_is_verified_is_refused() {
    let app = spawn_app().await;
    let (_c, _producer_id, id) = app.submitted_product().await;
    let dinas = app.user(Role::Dinas).await;

    let r = app.post_empty(&action(id, "publish"), Some(&dinas.token)).await;

    expect_problem(r, 409, "producer_not_verified").await;
    assert_eq!(status_and_version(&app, id).await, ("submitted".into(), 2));
    assert_eq!(app.total("/api/v1/catalog", None).await, 0);
}

#[tokio::test]
async fn publishing_after_verification_shows_the_product_with_its_publication_time() {
    let app = spawn_app().await;
    let (_c, producer_id, id) = app.submitted_product().await;
    app.verify_producer(producer_id).await;
    let dinas = app.user(Role::Dinas).await;

    let v = app.act(id, "publish", &dinas.token).await;

    assert_eq!(v["status"], "published");
    let at: chrono::DateTime<chrono::Utc> =
        v["published_at"].as_str().expect("published_at").parse().expect("time");
    assert_eq!(at, test_now());
    assert_eq!(v["producer"]["verified"], true);
    assert_eq!(app.ids("/api/v1/catalog", None).await, vec![id]);
}

#[tokio::test]
async fn publishing_a_draft_is_an_invalid_transition() {
    let app = spawn_app().await;
    let (c, producer_id) = app.umkm_with_producer().await;
    app.verify_producer(producer_id).await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");
    let dinas = app.user(Role::Dinas).await;

    let r = app.post_empty(&action(id, "publish"), Some(&dinas.token)).await;

    expect_problem(r, 409, "invalid_transition").await;
    assert_eq!(status_and_version(&app, id).await, ("draft".into(), 1));
}

#[tokio::test]
async fn rejecting_a_product_needs_a_reason() {
    let app = spawn_app().await;
    let (_c, _, id) = app.submitted_product().await;
    let dinas = app.user(Role::Dinas).await;

    for body in [json!({}), json!({"reason": ""}), json!({"reason": "x"})] {
        let r = app.post(&action(id, "reject"), Some(&dinas.token), body).await;

        expect_invalid(r, &[("reason", "required")]).await;
    }
    assert_eq!(status_and_version(&app, id).await, ("submitted".into(), 2));
}

#[tokio::test]
async fn a_rejected_product_shows_the_reason_and_can_be_edited_and_resubmitted() {
    let app = spawn_app().await;
    let (c, _, id) = app.submitted_product().await;
    let dinas = app.user(Role::Dinas).await;
    let reason = "Foto kemasan buram dan tanggal kedaluwarsa tidak terlihat.";

    let r = app.post(&action(id, "reject"), Some(&dinas.token), json!({"reason": reason})).await;

    assert_eq!(json_ok(r, 200).await["status"], "rejected");
    let seen = app.read(&format!("/api/v1/products/{id}"), Some(&c.token)).await;
    assert_eq!(
        (seen["status"].as_str(), seen["status_reason"].as_str()),
        (Some("rejected"), Some(reason))
    );

    let r = app
        .patch(
            &format!("/api/v1/products/{id}"),
            Some(&c.token),
            json!({"version": seen["version"], "shelf_life_days": 120}),
        )
        .await;
    let edited = json_ok(r, 200).await;
    assert_eq!(
        (edited["status"].as_str(), edited["shelf_life_days"].as_i64()),
        (Some("rejected"), Some(120))
    );

    let again = app.act(id, "submit", &c.token).await;
    assert_eq!(again["status"], "submitted");
    assert!(again["status_reason"].is_null(), "the old reason is cleared on resubmission: {again}");
}

#[tokio::test]
async fn owner_archives_a_product_and_it_cannot_be_submitted_again() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");

    let v = app.act(id, "archive", &c.token).await;

    assert_eq!(v["status"], "archived");
    let r = app.post_empty(&action(id, "submit"), Some(&c.token)).await;
    expect_problem(r, 409, "invalid_transition").await;
    let r = app
        .patch(
            &format!("/api/v1/products/{id}"),
            Some(&c.token),
            json!({"version": v["version"], "name": "Dihidupkan Lagi"}),
        )
        .await;
    expect_problem(r, 409, "not_editable").await;
    assert_eq!(status_and_version(&app, id).await, ("archived".into(), 2));
}

#[tokio::test]
async fn dinas_archives_a_published_product_and_it_leaves_the_catalog() {
    let app = spawn_app().await;
    let (_c, id) = app.published_product().await;
    let dinas = app.user(Role::Dinas).await;

    let v = app.act(id, "archive", &dinas.token).await;

    assert_eq!(v["status"], "archived");
    assert_eq!(app.total("/api/v1/catalog", None).await, 0);
    expect_problem(app.get(&format!("/api/v1/catalog/{id}"), None).await, 404, "not_found").await;
}

#[tokio::test]
async fn owner_revises_a_published_product_back_to_draft() {
    let app = spawn_app().await;
    let (c, id) = app.published_product().await;

    let r = app
        .patch(
            &format!("/api/v1/products/{id}"),
            Some(&c.token),
            json!({"version": 3, "retail_price": 29000}),
        )
        .await;
    expect_problem(r, 409, "not_editable").await;

    let v = app.act(id, "revise", &c.token).await;

    assert_eq!(v["status"], "draft");
    assert_eq!(app.total("/api/v1/catalog", None).await, 0);
    let r = app
        .patch(
            &format!("/api/v1/products/{id}"),
            Some(&c.token),
            json!({"version": v["version"], "retail_price": 29000}),
        )
        .await;
    assert_eq!(json_ok(r, 200).await["retail_price"], 29000, "a revised product is editable");
}

#[tokio::test]
async fn another_umkm_cannot_submit_my_draft() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let (other, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().expect("id");

    let r = app.post_empty(&action(id, "submit"), Some(&other.token)).await;

    expect_problem(r, 404, "not_found").await;
    assert_eq!(status_and_version(&app, id).await, ("draft".into(), 1));
}

#[tokio::test]
async fn an_action_with_a_stale_version_is_a_conflict() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");
    json_ok(
        app.patch(
            &format!("/api/v1/products/{id}"),
            Some(&c.token),
            json!({"version": 1, "brand": "Bu Sari"}),
        )
        .await,
        200,
    )
    .await;

    let stale = app.post(&action(id, "submit"), Some(&c.token), json!({"version": 1})).await;

    expect_problem(stale, 409, "version_conflict").await;
    assert_eq!(status_and_version(&app, id).await, ("draft".into(), 2));
    let current = app.post(&action(id, "submit"), Some(&c.token), json!({"version": 2})).await;
    assert_eq!(json_ok(current, 200).await["status"], "submitted");
}

#[tokio::test]
async fn an_action_body_with_an_unknown_field_is_refused() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");

    let r = app.post(&action(id, "submit"), Some(&c.token), json!({"status": "published"})).await;

    expect_unknown_field(r, "status").await;
    assert_eq!(status_and_version(&app, id).await, ("draft".into(), 1));
}

#[tokio::test]
async fn dinas_takes_down_a_published_product_with_a_reason() {
    let app = spawn_app().await;
    let (c, id) = app.published_product().await;
    let dinas = app.user(Role::Dinas).await;

    let r = app
        .post(
            &action(id, "reject"),
            Some(&dinas.token),
            json!({"reason": "Izin P-IRT sudah kedaluwarsa."}),
        )
        .await;

    assert_eq!(json_ok(r, 200).await["status"], "rejected");
    assert_eq!(app.total("/api/v1/catalog", None).await, 0);
    let own = app.read(&format!("/api/v1/products/{id}"), Some(&c.token)).await;
    assert_eq!(own["status_reason"], "Izin P-IRT sudah kedaluwarsa.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submitting_twice_at_once_moves_the_product_once() {
    let app = spawn_app().await;
    let (c, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");

    let answers = app
        .concurrently(reqwest::Method::POST, &action(id, "submit"), &c.token, vec![json!({}); 4])
        .await;

    assert_eq!(answers.iter().filter(|a| a.0 == 200).count(), 1, "{answers:?}");
    for (status, body) in answers.iter().filter(|a| a.0 != 200) {
        assert_eq!(*status, 409, "{body}");
        assert!(
            matches!(body["code"].as_str(), Some("version_conflict" | "invalid_transition")),
            "{body}"
        );
    }
    assert_eq!(status_and_version(&app, id).await, ("submitted".into(), 2));
}
