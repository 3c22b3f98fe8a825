//! Standards and eligibility through the API: who writes which standard, what a product is
//! missing and where to fix it, re-evaluation after every kind of change, a version taking
//! effect on its date, daily expiry checks and the Dinas summary.

use chrono::{TimeZone, Utc};
use etalase_domain::roles::Role;
use image::ImageFormat;
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, Set};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::photos::{photo, upload};

pub fn baseline_requirements() -> Value {
    json!([
        {"kind": "certificate", "certificate": "izin_edar"},
        {"kind": "net_content"},
        {"kind": "shelf_life", "min_days": 30},
        {"kind": "photos", "min_count": 1, "min_long_side": 1000},
        {"kind": "price"},
        {"kind": "producer_verified"}
    ])
}

/// Creates a standard as `token` effective today; returns (standard id, job id).
pub async fn create_standard(
    app: &TestApp,
    token: &str,
    requirements: Value,
) -> (i64, Option<i64>) {
    let r = app.post("/api/v1/standards", Some(token), json!({"name": "Standar Uji", "requirements": requirements, "effective_from": "2026-06-01"})).await;
    let v = json_ok(r, 201).await;
    (v["standard"]["id"].as_i64().unwrap(), v["job"]["id"].as_i64())
}

/// Lets the app's background jobs finish, then reads job `job` as `token` (no longer running).
pub async fn wait_job(app: &TestApp, token: &str, job: i64) -> Value {
    app.drain_jobs().await;
    let v = app.read(&format!("/api/v1/standard-jobs/{job}"), Some(token)).await;
    assert_ne!(v["status"], "running", "job {job} finished: {v}");
    v
}

/// A chain and a chain-office account linked to it.
pub async fn chain_account(app: &TestApp, code: &str) -> (Caller, i64) {
    let now = app.clock.now_utc();
    let chain = etalase_db::entities::chain::ActiveModel {
        id: NotSet,
        code: Set(code.into()),
        name: Set(format!("Jaringan {code}")),
        kind: Set(etalase_domain::store::ChainKind::National),
        created_at: Set(now),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    let c = app.user(Role::Chain).await;
    etalase_db::entities::user::ActiveModel {
        id: Set(c.user_id),
        chain_id: Set(Some(chain.id)),
        ..Default::default()
    }
    .update(&app.state.db)
    .await
    .unwrap();
    (c, chain.id)
}

/// Stored evaluations of a product: (standard id, eligible) — read without recomputing.
pub async fn stored(app: &TestApp, product: i64) -> Vec<(i64, i64, bool)> {
    let mut v: Vec<(i64, i64, bool)> =
        etalase_db::repo::evaluations::for_product(&app.state.db, product)
            .await
            .unwrap()
            .iter()
            .map(|e| (e.standard_id, e.version_id, e.eligible))
            .collect();
    v.sort_unstable();
    v
}

pub async fn eligible_ids(app: &TestApp, product: i64) -> Vec<i64> {
    etalase_server::service::standards::eligible_standard_ids(&app.state, &[product])
        .await
        .unwrap()
        .remove(&product)
        .unwrap()
}

trait NowUtc {
    fn now_utc(&self) -> chrono::DateTime<Utc>;
}
impl NowUtc for TestClock {
    fn now_utc(&self) -> chrono::DateTime<Utc> {
        etalase_domain::ports::Clock::now(self)
    }
}

fn item<'a>(standard: &'a Value, kind: &str) -> &'a Value {
    standard["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .unwrap_or_else(|| panic!("item {kind}: {standard}"))
}

#[tokio::test]
async fn the_owner_sees_each_missing_requirement_with_a_reason_and_a_fix_link() {
    let app = spawn_app().await;
    let (owner, id) = app.published_product().await;
    let dinas = app.user(Role::Dinas).await;
    let (sid, job) = create_standard(&app, &dinas.token, baseline_requirements()).await;
    let job = wait_job(&app, &dinas.token, job.expect("in force today: a job")).await;
    assert_eq!(job["status"], "done");
    assert!(job["total"].as_i64().unwrap() >= 1);
    assert_eq!(job["done"], job["total"]);

    let v = app.read(&format!("/api/v1/products/{id}/eligibility"), Some(&owner.token)).await;
    let s = &v["standards"][0];
    assert_eq!(s["standard_id"], sid);
    assert_eq!(s["eligible"], false);
    assert_eq!(s["score"], 66);
    let cert = item(s, "certificate");
    assert_eq!(cert["status"], "fail");
    assert_eq!(cert["fix_url"], format!("/produk-saya/{id}#sertifikat"));
    assert!(cert["message"].as_str().unwrap().contains("Belum ada Izin edar"));
    assert_eq!(item(s, "photos")["fix_url"], format!("/produk-saya/{id}#foto"));
    assert_eq!(item(s, "net_content")["status"], "pass");
    assert_eq!(item(s, "producer_verified")["status"], "pass");
}

#[tokio::test]
async fn certificates_added_and_deleted_re_evaluate_the_product() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let dinas = app.user(Role::Dinas).await;
    // A P-IRT counts as soon as it is added (a halal certificate waits for the officer).
    let pirt = json!([{"kind": "certificate", "certificate": "pirt"}]);
    let (sid, job) = create_standard(&app, &dinas.token, pirt).await;
    wait_job(&app, &dinas.token, job.unwrap()).await;
    assert!(eligible_ids(&app, id).await.is_empty());

    let r = app
        .post(
            &format!("/api/v1/products/{id}/certificates"),
            Some(&owner.token),
            json!({"kind": "pirt", "number": "2013673010234-29"}),
        )
        .await;
    let cert = json_ok(r, 201).await;
    assert_eq!(eligible_ids(&app, id).await, vec![sid]);

    let r = app
        .delete(&format!("/api/v1/products/{id}/certificates/{}", cert["id"]), Some(&owner.token))
        .await;
    assert_eq!(r.status(), 204);
    assert!(eligible_ids(&app, id).await.is_empty());
}

#[tokio::test]
async fn product_edits_and_photos_re_evaluate_the_product() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let p = app.draft_product(&owner).await;
    let id = p["id"].as_i64().unwrap();
    let dinas = app.user(Role::Dinas).await;
    let (sid, job) =
        create_standard(&app, &dinas.token, json!([{"kind": "shelf_life", "min_days": 200}])).await;
    wait_job(&app, &dinas.token, job.unwrap()).await;
    let (photo_std, job) = {
        let (c, _) = chain_account(&app, "PH").await;
        create_standard(
            &app,
            &c.token,
            json!([{"kind": "photos", "min_count": 1, "min_long_side": 1000}]),
        )
        .await
    };
    wait_job(&app, &dinas.token, job.unwrap()).await;
    assert!(eligible_ids(&app, id).await.is_empty());

    let r = app
        .patch(
            &format!("/api/v1/products/{id}"),
            Some(&owner.token),
            json!({"version": p["version"], "shelf_life_days": 200}),
        )
        .await;
    json_ok(r, 200).await;
    assert_eq!(eligible_ids(&app, id).await, vec![sid]);

    let r = upload(
        &app,
        &owner.token,
        id,
        vec![("depan.jpg", photo(1600, 1200, 3, ImageFormat::Jpeg))],
    )
    .await;
    let photos: Value = json_ok(r, 201).await;
    assert_eq!(eligible_ids(&app, id).await, vec![sid, photo_std]);

    let r = app
        .delete(&format!("/api/v1/products/{id}/photos/{}", photos[0]["id"]), Some(&owner.token))
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(eligible_ids(&app, id).await, vec![sid]);
}

#[tokio::test]
async fn a_new_version_takes_effect_on_its_date_and_old_versions_stay() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let dinas = app.user(Role::Dinas).await;
    let (sid, job) =
        create_standard(&app, &dinas.token, json!([{"kind": "shelf_life", "min_days": 30}])).await;
    wait_job(&app, &dinas.token, job.unwrap()).await;
    assert_eq!(eligible_ids(&app, id).await, vec![sid]);

    let r = app.post(&format!("/api/v1/standards/{sid}/versions"), Some(&dinas.token), json!({"requirements": [{"kind": "shelf_life", "min_days": 365}], "effective_from": "2026-06-10", "note": "lebih ketat"})).await;
    let v = json_ok(r, 201).await;
    assert!(v["job"].is_null(), "not in force yet: no job");
    let v2 = v["version"]["id"].as_i64().unwrap();
    assert_eq!(v["version"]["number"], 2);
    assert_eq!(v["version"]["upcoming"], true);
    let s = app.read(&format!("/api/v1/standards/{sid}"), Some(&owner.token)).await;
    assert_eq!(s["current_version"]["number"], 1);

    // The day before: nothing changes.
    app.clock.set(Utc.with_ymd_and_hms(2026, 6, 9, 5, 0, 0).unwrap());
    let r = etalase_server::service::standards::daily_tick(&app.state).await.unwrap();
    assert!(r.versions_started.is_empty());
    assert_eq!(eligible_ids(&app, id).await, vec![sid]);

    app.clock.set(Utc.with_ymd_and_hms(2026, 6, 10, 0, 30, 0).unwrap());
    let r = etalase_server::service::standards::daily_tick(&app.state).await.unwrap();
    assert_eq!(r.versions_started, vec![v2]);
    assert!(eligible_ids(&app, id).await.is_empty());
    let rows = stored(&app, id).await;
    assert_eq!(rows.len(), 2, "the old version's evaluation is kept: {rows:?}");
    assert!(rows.contains(&(sid, v2, false)));
    let s = app.read(&format!("/api/v1/standards/{sid}"), Some(&owner.token)).await;
    assert_eq!(s["current_version"]["number"], 2);
    let v1 = s["versions"][1]["id"].as_i64().unwrap();
    let kept = etalase_server::service::standards::current_version_for(
        &app.state,
        sid,
        chrono::NaiveDate::from_ymd_opt(2026, 6, 5).unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(kept.id, v1);
    let again = etalase_server::service::standards::daily_tick(&app.state).await.unwrap();
    assert!(again.versions_started.is_empty() && again.products_refreshed == 0);
}

#[tokio::test]
async fn an_expiring_certificate_warns_then_fails_the_day_after_its_expiry() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let dinas = app.user(Role::Dinas).await;
    let pirt = json!([{"kind": "certificate", "certificate": "pirt"}]);
    let (sid, job) = create_standard(&app, &dinas.token, pirt).await;
    wait_job(&app, &dinas.token, job.unwrap()).await;
    let r = app
        .post(
            &format!("/api/v1/products/{id}/certificates"),
            Some(&owner.token),
            json!({"kind": "pirt", "number": "2013673010234-26", "expires_on": "2026-06-20"}),
        )
        .await;
    json_ok(r, 201).await;
    assert_eq!(eligible_ids(&app, id).await, vec![sid]);
    let v = app.read(&format!("/api/v1/products/{id}/eligibility"), Some(&owner.token)).await;
    assert_eq!(v["standards"][0]["items"][0]["status"], "warning");
    assert_eq!(v["standards"][0]["warnings"], 1);

    // On the expiry date itself it still counts.
    app.clock.set(Utc.with_ymd_and_hms(2026, 6, 20, 5, 0, 0).unwrap());
    etalase_server::service::standards::daily_tick(&app.state).await.unwrap();
    assert_eq!(eligible_ids(&app, id).await, vec![sid]);

    app.clock.set(Utc.with_ymd_and_hms(2026, 6, 21, 5, 0, 0).unwrap());
    let r = etalase_server::service::standards::daily_tick(&app.state).await.unwrap();
    assert_eq!(r.products_refreshed, 1);
    assert!(eligible_ids(&app, id).await.is_empty());
    let v = app.read(&format!("/api/v1/products/{id}/eligibility"), Some(&owner.token)).await;
    assert_eq!(
        v["standards"][0]["items"][0]["message"],
        "P-IRT (SPP-IRT) kedaluwarsa sejak 21 Juni 2026 — unggah sertifikat baru"
    );
}

/// A slow re-evaluation (another instance's relay) computed from an older product version
/// never overwrites the result of a later change; the same version may be recomputed (dates).
#[tokio::test]
async fn an_evaluation_of_an_older_product_version_never_overwrites_a_newer_one() {
    use etalase_db::repo::evaluations;
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let dinas = app.user(Role::Dinas).await;
    let pirt = json!([{"kind": "certificate", "certificate": "pirt"}]);
    let (_, job) = create_standard(&app, &dinas.token, pirt).await;
    wait_job(&app, &dinas.token, job.unwrap()).await;
    let stored = evaluations::for_product(&app.state.db, id).await.unwrap().remove(0);
    assert!(!stored.eligible);
    let write = |version: i64, eligible: bool| {
        let mut am: etalase_db::entities::evaluation::ActiveModel = stored.clone().into();
        am.id = NotSet;
        am.product_version = Set(version);
        am.eligible = Set(eligible);
        evaluations::upsert_many(&app.state.db, vec![am])
    };
    write(stored.product_version + 1, false).await.unwrap();
    write(stored.product_version, true).await.unwrap();
    let now = evaluations::for_product(&app.state.db, id).await.unwrap().remove(0);
    assert_eq!((now.eligible, now.product_version), (false, stored.product_version + 1));
    write(stored.product_version + 1, true).await.unwrap();
    assert!(evaluations::for_product(&app.state.db, id).await.unwrap()[0].eligible);
}

/// A certificate stored with an impossible year before dates were bounded is clamped by the
/// repair (run as a migration); the daily tick and the product's evaluation then run on it.
#[tokio::test]
async fn an_impossible_stored_certificate_date_is_clamped_and_the_tick_runs() {
    use etalase_db::entities::certificate;
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let dinas = app.user(Role::Dinas).await;
    let (_, job) = create_standard(&app, &dinas.token, json!([{"kind": "halal"}])).await;
    wait_job(&app, &dinas.token, job.unwrap()).await;
    let far = chrono::NaiveDate::from_ymd_opt(262_142, 1, 1).unwrap();
    let row = certificate::ActiveModel {
        id: NotSet,
        product_id: Set(id),
        kind: Set(etalase_domain::CertificateKind::Halal),
        number: Set("ID31110000123450821".into()),
        issuer: Set(None),
        issued_on: Set(Some(chrono::NaiveDate::from_ymd_opt(1200, 5, 1).unwrap())),
        expires_on: Set(Some(far)),
        document_key: Set(None),
        document_type: Set(None),
        document_name: Set(None),
        created_at: Set(app.clock.now_utc()),
        checked_by: Set(None),
        checked_at: Set(Some(app.clock.now_utc())),
    }
    .insert(&app.state.db)
    .await
    .unwrap();

    let fixed = etalase_db::repo::certificates::clamp_implausible_dates(&app.state.db).await;
    assert_eq!(fixed.unwrap(), 2, "one expiry and one issue date clamped");
    let c = etalase_db::repo::certificates::find(&app.state.db, row.id).await.unwrap().unwrap();
    assert_eq!(c.expires_on, chrono::NaiveDate::from_ymd_opt(2100, 12, 31));
    assert_eq!(c.issued_on, chrono::NaiveDate::from_ymd_opt(1950, 1, 1));
    etalase_server::service::standards::daily_tick(&app.state).await.expect("the tick runs");
    etalase_server::service::standards::refresh_evaluations(&app.state, &[id]).await.unwrap();
    assert_eq!(eligible_ids(&app, id).await.len(), 1, "the checked halal counts until 2100");
}
