//! The one write path: a listing change commits with exactly one outbox row per product it
//! touches, certificate and photo changes move the product's version on like field edits, and
//! a re-evaluation that fails after a saved write leaves the write saved and is retried by the
//! search relay. The background relay is off here, so the tests drain the outbox themselves.

use etalase_domain::roles::Role;
use image::ImageFormat;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::*;
use crate::photos::{photo, upload};
use crate::standards::{create_standard, stored, wait_job};

async fn app_without_relay() -> TestApp {
    spawn_app_with(|c| c.search_relay = false, None).await
}

/// Runs the relay until nothing is due; returns the rows it settled.
async fn drain(app: &TestApp) -> usize {
    let mut n = 0;
    loop {
        match etalase_server::service::search_sync::relay_once(&app.state, "test").await {
            Ok(0) => return n,
            Ok(k) => n += k,
            Err(e) => panic!("relay failed: {e}"),
        }
    }
}

/// Outbox rows waiting for this product: (reevaluate, attempts).
async fn rows_for(app: &TestApp, product: i64) -> Vec<(bool, i64)> {
    etalase_db::repo::outbox::pending_for(&app.state.db, product)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.reevaluate, r.attempts))
        .collect()
}

/// Time passes for the relay's backoff: every waiting row is due now, whichever clock it reads.
async fn make_retries_due(app: &TestApp) {
    use etalase_db::entities::outbox::{Column, Entity};
    use sea_orm::EntityTrait;
    use sea_orm::sea_query::Expr;
    let past = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    Entity::update_many()
        .col_expr(Column::NextAttemptAt, Expr::value(past))
        .exec(&app.state.db)
        .await
        .unwrap();
}

/// A standard in force (its evaluation job finished) and a UMKM with a draft product.
async fn world(app: &TestApp, requirements: serde_json::Value) -> (Caller, i64, i64) {
    let dinas = app.user(Role::Dinas).await;
    let (standard, job) = create_standard(app, &dinas.token, requirements).await;
    if let Some(job) = job {
        assert_eq!(wait_job(app, &dinas.token, job).await["status"], "done");
    }
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    drain(app).await;
    (owner, id, standard)
}

#[tokio::test]
async fn one_product_change_makes_exactly_one_outbox_row_while_a_standard_is_in_force() {
    let app = app_without_relay().await;
    let (owner, id, _) = world(&app, json!([{"kind": "price"}])).await;
    assert!(rows_for(&app, id).await.is_empty(), "drained");

    let r = app
        .patch(
            &format!("/api/v1/products/{id}"),
            Some(&owner.token),
            json!({"version": 1, "name": "Emping Baru"}),
        )
        .await;
    json_ok(r, 200).await;
    assert_eq!(rows_for(&app, id).await, vec![(true, 0)], "one row, asking for re-evaluation");
    assert_eq!(drain(&app).await, 1);

    let r = app
        .post(
            &format!("/api/v1/products/{id}/certificates"),
            Some(&owner.token),
            json!({"kind": "pirt", "number": "2013673010234-29"}),
        )
        .await;
    json_ok(r, 201).await;
    assert_eq!(rows_for(&app, id).await, vec![(true, 0)], "a certificate: one row too");
    assert_eq!(drain(&app).await, 1);

    let r = upload(&app, &owner.token, id, vec![("a.jpg", photo(1200, 900, 1, ImageFormat::Jpeg))])
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(rows_for(&app, id).await, vec![(true, 0)], "a photo: one row too");
}

#[tokio::test]
async fn certificate_and_photo_changes_move_the_product_version_on_like_field_edits() {
    let app = app_without_relay().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let version = |v: &serde_json::Value| v["version"].as_i64().unwrap();
    let path = format!("/api/v1/products/{id}");
    assert_eq!(version(&app.read(&path, Some(&owner.token)).await), 1);

    let r = app
        .post(
            &format!("{path}/certificates"),
            Some(&owner.token),
            json!({"kind": "pirt", "number": "2013673010234-29"}),
        )
        .await;
    let cert = json_ok(r, 201).await;
    assert_eq!(version(&app.read(&path, Some(&owner.token)).await), 2);
    // An edit form opened before the certificate was added is stale now.
    let r =
        app.patch(&path, Some(&owner.token), json!({"version": 1, "name": "Emping Lama"})).await;
    expect_problem(r, 409, "version_conflict").await;

    let r = upload(&app, &owner.token, id, vec![("a.jpg", photo(1200, 900, 2, ImageFormat::Jpeg))])
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(version(&app.read(&path, Some(&owner.token)).await), 3);

    let r = app.delete(&format!("{path}/certificates/{}", cert["id"]), Some(&owner.token)).await;
    assert_eq!(r.status(), 204);
    assert_eq!(version(&app.read(&path, Some(&owner.token)).await), 4);
    let r =
        app.patch(&path, Some(&owner.token), json!({"version": 4, "name": "Emping Baru"})).await;
    assert_eq!(json_ok(r, 200).await["version"], 5);
}

#[tokio::test]
async fn a_reevaluation_failure_after_a_saved_write_leaves_it_saved_and_the_relay_retries_it() {
    let app = app_without_relay().await;
    // The demo product keeps 180 days; this standard wants a year.
    let (owner, id, standard) = world(&app, json!([{"kind": "shelf_life", "min_days": 365}])).await;
    assert_eq!(stored(&app, id).await.iter().map(|e| e.2).collect::<Vec<_>>(), vec![false]);
    let db = &app.state.db;
    let good: String = etalase_db::repo::standards::all_versions(db)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.standard_id == standard)
        .unwrap()
        .requirements;
    let set_requirements = |text: String| {
        let sql = format!(
            "UPDATE standard_versions SET requirements = '{}' WHERE standard_id = {standard}",
            text.replace('\'', "''")
        );
        async move { db.execute_unprepared(&sql).await.unwrap() }
    };
    set_requirements("{rusak".into()).await;

    let r = app
        .patch(
            &format!("/api/v1/products/{id}"),
            Some(&owner.token),
            json!({"version": 1, "shelf_life_days": 400}),
        )
        .await;

    let v = json_ok(r, 200).await;
    assert_eq!(v["shelf_life_days"], 400, "the write answers as saved");
    let again = app.read(&format!("/api/v1/products/{id}"), Some(&owner.token)).await;
    assert_eq!(again["shelf_life_days"], 400, "and is saved");
    assert_eq!(stored(&app, id).await.iter().map(|e| e.2).collect::<Vec<_>>(), vec![false]);
    assert_eq!(rows_for(&app, id).await, vec![(true, 0)], "the re-evaluation need is recorded");

    // The relay cannot re-evaluate either: the row stays, with an attempt counted.
    let err = etalase_server::service::search_sync::relay_once(&app.state, "test").await;
    assert!(err.is_err(), "relay reports the failure");
    assert_eq!(rows_for(&app, id).await, vec![(true, 1)]);

    // Repaired; once the retry is due the relay re-evaluates and settles the row.
    set_requirements(good).await;
    make_retries_due(&app).await;
    assert_eq!(drain(&app).await, 1);
    assert!(rows_for(&app, id).await.is_empty());
    assert_eq!(stored(&app, id).await.iter().map(|e| e.2).collect::<Vec<_>>(), vec![true]);
}
