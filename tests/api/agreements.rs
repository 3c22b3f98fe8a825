//! Placement agreements through the API: proposing, answering by the other side only,
//! the concurrent-accept race, suspend/resume/end, the calendar, and who may see what.

use chrono::{NaiveDate, TimeZone, Utc};
use etalase_domain::roles::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::stores::{chain, manager, office, store};

pub fn terms(product_id: i64) -> Value {
    json!({"items": [{"product_id": product_id, "price": 22000, "facings": 2}], "scheme": "konsinyasi",
        "store_margin_percent": 20, "payment_term_days": 45, "start_date": "2026-06-10", "end_date": "2026-12-31",
        "delivery_schedule": "Setiap Senin pagi", "listing_fee": 75000})
}

/// A store with its manager and chain office, a published product and its owner.
pub struct World {
    pub store: i64,
    pub other_store: i64,
    pub manager: Caller,
    pub office: Caller,
    pub umkm: Caller,
    pub product: i64,
}

pub async fn world(app: &TestApp) -> World {
    let ms = chain(app, "MS").await;
    chain(app, "SM").await;
    let s = store(app, "MS-1", "MS").await;
    let other = store(app, "SM-1", "SM").await;
    let manager = manager(app, ms, s).await;
    let office = office(app, ms).await;
    let (umkm, product) = app.published_product().await;
    World { store: s, other_store: other, manager, office, umkm, product }
}

pub async fn propose(app: &TestApp, token: &str, store: i64, product: i64) -> Value {
    json_ok(
        app.post(
            "/api/v1/agreements",
            Some(token),
            json!({"store_id": store, "terms": terms(product), "note": "Mohon dipertimbangkan"}),
        )
        .await,
        201,
    )
    .await
}

fn path(id: i64, action: &str) -> String {
    format!("/api/v1/agreements/{id}/{action}")
}

async fn status(app: &TestApp, id: i64) -> String {
    let dinas = app.user(Role::Dinas).await;
    app.read(&format!("/api/v1/agreements/{id}"), Some(&dinas.token)).await["status"]
        .as_str()
        .expect("status")
        .to_string()
}

#[tokio::test]
async fn store_proposes_and_only_the_umkm_can_accept() {
    let app = spawn_app().await;
    let w = world(&app).await;

    let a = propose(&app, &w.manager.token, w.store, w.product).await;
    let id = a["id"].as_i64().expect("id");
    assert_eq!((a["status"].as_str(), a["offer_by"].as_str()), (Some("proposed"), Some("store")));
    assert_eq!(a["payment_term_label"], "Tempo bayar 45 hari");
    let flags: Vec<&str> =
        a["flags"].as_array().expect("flags").iter().filter_map(|f| f["code"].as_str()).collect();
    assert_eq!(flags, ["margin_above_limit", "listing_fee_above_limit", "long_payment_term"]);

    expect_problem(
        app.post_empty(&path(id, "accept"), Some(&w.manager.token)).await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.post_empty(&path(id, "accept"), Some(&w.office.token)).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(status(&app, id).await, "proposed");

    let v = json_ok(
        app.post(&path(id, "accept"), Some(&w.umkm.token), json!({"version": 1, "note": "Setuju"}))
            .await,
        200,
    )
    .await;
    assert_eq!(v["status"], "accepted");
    let ev = app.read(&format!("/api/v1/agreements/{id}/events"), Some(&w.umkm.token)).await;
    let actions: Vec<(&str, &str)> = ev
        .as_array()
        .expect("events")
        .iter()
        .map(|e| (e["action"].as_str().unwrap_or(""), e["actor_side"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(actions, [("propose", "store"), ("accept", "producer")]);
    assert_eq!(ev[0]["note"], "Mohon dipertimbangkan");
    assert_eq!(ev[1]["terms"]["payment_term_days"], 45);
}

#[tokio::test]
async fn umkm_proposes_store_counters_and_the_umkm_accepts_the_counter() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let id = propose(&app, &w.umkm.token, w.store, w.product).await["id"].as_i64().expect("id");

    let mut t = terms(w.product);
    t["payment_term_days"] = json!(14);
    t["store_margin_percent"] = json!(10);
    let v = json_ok(
        app.post(
            &path(id, "counter"),
            Some(&w.office.token),
            json!({"version": 1, "terms": t, "note": "Tempo 14 hari"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (v["status"].as_str(), v["offer_by"].as_str(), v["payment_term_days"].as_i64()),
        (Some("countered"), Some("store"), Some(14))
    );
    expect_problem(
        app.post_empty(&path(id, "withdraw"), Some(&w.umkm.token)).await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.post_empty(&path(id, "accept"), Some(&w.manager.token)).await,
        403,
        "forbidden",
    )
    .await;
    let v = json_ok(app.post_empty(&path(id, "accept"), Some(&w.umkm.token)).await, 200).await;
    assert_eq!(v["status"], "accepted");
}

#[tokio::test]
async fn two_people_accepting_at_once_cannot_both_succeed() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let id = propose(&app, &w.umkm.token, w.store, w.product).await["id"].as_i64().expect("id");

    let results = app
        .concurrently(
            Method::POST,
            &path(id, "accept"),
            &w.manager.token,
            vec![json!({"version": 1}), json!({"version": 1}), json!({"version": 1})],
        )
        .await;
    let more = app
        .concurrently(
            Method::POST,
            &path(id, "reject"),
            &w.office.token,
            vec![json!({"version": 1, "note": "Rak sudah penuh"})],
        )
        .await;

    let mut codes: Vec<u16> = results.iter().chain(more.iter()).map(|(s, _)| *s).collect();
    codes.sort_unstable();
    assert_eq!(codes.iter().filter(|c| **c == 200).count(), 1, "{results:?} {more:?}");
    assert!(codes.iter().all(|c| *c == 200 || *c == 409), "{codes:?}");
    let events = app.read(&format!("/api/v1/agreements/{id}/events"), Some(&w.manager.token)).await;
    assert_eq!(events.as_array().expect("events").len(), 2);
    assert!(matches!(status(&app, id).await.as_str(), "accepted" | "rejected"));
    let stale = app
        .post(&path(id, "end"), Some(&w.manager.token), json!({"version": 1, "note": "batal saja"}))
        .await;
    expect_problem(stale, 409, "version_conflict").await;
}

#[tokio::test]
async fn the_calendar_starts_and_ends_agreements_by_itself() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let id = propose(&app, &w.umkm.token, w.store, w.product).await["id"].as_i64().expect("id");
    json_ok(app.post_empty(&path(id, "accept"), Some(&w.manager.token)).await, 200).await;
    let state = &app.state;
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");

    assert_eq!(
        etalase_server::service::agreements::advance_by_date(state, d("2026-06-09"))
            .await
            .expect("ok"),
        0
    );
    assert_eq!(status(&app, id).await, "accepted");
    app.clock.set(Utc.with_ymd_and_hms(2026, 6, 10, 1, 0, 0).single().expect("t"));
    assert_eq!(
        etalase_server::service::agreements::advance_by_date(state, app.state.clock.today_wib())
            .await
            .expect("ok"),
        1
    );
    assert_eq!(status(&app, id).await, "active");

    json_ok(
        app.post(
            &path(id, "suspend"),
            Some(&w.manager.token),
            json!({"note": "Stok kedaluwarsa di rak"}),
        )
        .await,
        200,
    )
    .await;
    expect_problem(
        app.post_empty(&path(id, "resume"), Some(&w.umkm.token)).await,
        403,
        "forbidden",
    )
    .await;
    json_ok(app.post_empty(&path(id, "resume"), Some(&w.manager.token)).await, 200).await;

    assert_eq!(
        etalase_server::service::agreements::advance_by_date(state, d("2026-12-31"))
            .await
            .expect("ok"),
        1
    );
    assert_eq!(status(&app, id).await, "ended");
    let ev = app.read(&format!("/api/v1/agreements/{id}/events"), Some(&w.umkm.token)).await;
    let actions: Vec<&str> =
        ev.as_array().expect("events").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["propose", "accept", "activate", "suspend", "resume", "expire"]);
    assert_eq!(ev[2]["actor_side"], "system");
}

#[tokio::test]
async fn ending_early_is_a_termination_with_a_reason() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let id = propose(&app, &w.manager.token, w.store, w.product).await["id"].as_i64().expect("id");
    json_ok(app.post_empty(&path(id, "accept"), Some(&w.umkm.token)).await, 200).await;
    expect_invalid(
        app.post_empty(&path(id, "end"), Some(&w.umkm.token)).await,
        &[("note", "required")],
    )
    .await;
    let v = json_ok(
        app.post(
            &path(id, "end"),
            Some(&w.umkm.token),
            json!({"note": "Produksi berhenti sementara"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (v["status"].as_str(), v["status_reason"].as_str()),
        (Some("terminated"), Some("Produksi berhenti sementara"))
    );
}

#[tokio::test]
async fn each_party_sees_and_acts_only_for_its_own() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let id = propose(&app, &w.umkm.token, w.store, w.product).await["id"].as_i64().expect("id");
    let sm_chain = etalase_db::repo::chains::find_by_code(&app.state.db, "SM")
        .await
        .expect("db")
        .expect("SM")
        .id;
    let other_manager = manager(&app, sm_chain, w.other_store).await;
    let other_office = office(&app, sm_chain).await;
    let (other_umkm, other_product) = app.published_product().await;

    for c in [&other_manager, &other_office, &other_umkm] {
        expect_problem(
            app.get(&format!("/api/v1/agreements/{id}"), Some(&c.token)).await,
            404,
            "not_found",
        )
        .await;
        expect_problem(app.post_empty(&path(id, "accept"), Some(&c.token)).await, 404, "not_found")
            .await;
        assert_eq!(app.total("/api/v1/agreements", Some(&c.token)).await, 0);
    }
    let dinas = app.user(Role::Dinas).await;
    assert_eq!(app.total("/api/v1/agreements", Some(&dinas.token)).await, 1);
    expect_problem(app.post_empty(&path(id, "accept"), Some(&dinas.token)).await, 403, "forbidden")
        .await;
    assert_eq!(status(&app, id).await, "proposed");

    // A manager cannot propose for another store; a UMKM cannot offer another's product.
    let r = app
        .post(
            "/api/v1/agreements",
            Some(&w.manager.token),
            json!({"store_id": w.other_store, "terms": terms(w.product)}),
        )
        .await;
    expect_problem(r, 403, "forbidden").await;
    let r = app
        .post(
            "/api/v1/agreements",
            Some(&w.umkm.token),
            json!({"store_id": w.store, "terms": terms(other_product)}),
        )
        .await;
    expect_invalid(r, &[("items[0].product_id", "other_producer")]).await;
    assert_eq!(app.total("/api/v1/agreements", Some(&dinas.token)).await, 1);
    assert_eq!(app.total("/api/v1/agreements", Some(&w.manager.token)).await, 1);
    assert_eq!(app.total("/api/v1/agreements", Some(&w.office.token)).await, 1);
    let _ = other_umkm;
}
