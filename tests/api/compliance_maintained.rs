//! The maintained compliance table (issue 17): the dashboard reads each store's level from it,
//! the transactions that change agreements keep it current, the drift check finds and repairs
//! rows changed behind the application's back, and other dates still aggregate live.

use etalase_db::repo::compliance::maintained;
use etalase_domain::roles::Role;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::compliance_world::{today, world};
use crate::helpers::*;

/// `(code, level, agreements, products, producers)` of every store in the list.
fn levels(list: &Value) -> Vec<(String, String, i64, i64, i64)> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|s| {
            (
                s["code"].as_str().unwrap_or_default().to_string(),
                s["level"].as_str().unwrap_or_default().to_string(),
                s["agreements"].as_i64().unwrap_or(-1),
                s["products"].as_i64().unwrap_or(-1),
                s["producers"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

async fn level_of(app: &TestApp, token: &str, code: &str) -> String {
    let list = app.read("/api/v1/compliance/stores", Some(token)).await;
    levels(&list).into_iter().find(|r| r.0 == code).map(|r| r.1).expect("store listed")
}

#[tokio::test]
async fn the_table_gives_the_same_figures_as_the_live_aggregation() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let t = w.dinas.token.as_str();
    // Setting the policy through the API built the table for today.
    let held = maintained::state(&app.state.db).await.unwrap().expect("built");
    assert_eq!(held.1, today());
    let from_table = app.read("/api/v1/compliance/stores", Some(t)).await;
    let summary_table = app.read("/api/v1/compliance/summary?group_by=kecamatan", Some(t)).await;
    maintained::forget(&app.state.db).await.unwrap();
    let live = app.read("/api/v1/compliance/stores", Some(t)).await;
    let summary_live = app.read("/api/v1/compliance/summary?group_by=kecamatan", Some(t)).await;
    assert_eq!(levels(&from_table), levels(&live));
    let lv = levels(&live);
    assert_eq!(
        lv.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
        ["tidak_patuh", "patuh", "berisiko"],
        "MS-1, SM-1, SM-2 (by code) as the world sets them up"
    );
    assert_eq!(summary_table["groups"], summary_live["groups"]);
    assert_eq!(summary_table["totals"], summary_live["totals"]);
}

#[tokio::test]
async fn the_dashboard_reads_the_table_and_the_drift_check_repairs_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let t = w.dinas.token.as_str();
    let d = app.read("/api/v1/compliance/drift", Some(t)).await;
    assert_eq!(d["current"], true);
    assert_eq!(d["drifted"], json!([]));
    assert_eq!(d["as_of"], today().to_string());

    // A row changed behind the application's back shows on today's dashboard (it reads the
    // table), not on another date's (aggregated live)…
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE store_compliance SET level = 'patuh' WHERE store_id = {}",
            w.stores[2]
        ))
        .await
        .unwrap();
    assert_eq!(level_of(&app, t, "MS-1").await, "patuh");
    let tomorrow = today().succ_opt().unwrap();
    let past = app.read(&format!("/api/v1/compliance/stores?date={tomorrow}"), Some(t)).await;
    let ms1 = levels(&past).into_iter().find(|r| r.0 == "MS-1").unwrap();
    assert_eq!(ms1.1, "tidak_patuh");

    // …and the drift check names it; only an admin repairs.
    let d = app.read("/api/v1/compliance/drift", Some(t)).await;
    assert_eq!(d["drifted"], json!([w.stores[2]]));
    assert_eq!(d["repaired"], false);
    let r = app.post_empty("/api/v1/compliance/drift/repair", Some(t)).await;
    assert_eq!(r.status(), 403);
    for role in [Role::Store, Role::Umkm, Role::Chain] {
        let u = app.user(role).await;
        let r = app.get("/api/v1/compliance/drift", Some(&u.token)).await;
        assert_eq!(r.status(), 403, "{role:?} may not read the drift check");
    }
    let admin = app.user(Role::Admin).await;
    let d =
        json_ok(app.post_empty("/api/v1/compliance/drift/repair", Some(&admin.token)).await, 200)
            .await;
    assert_eq!(d["drifted"], json!([w.stores[2]]));
    assert_eq!(d["repaired"], true);
    assert_eq!(level_of(&app, t, "MS-1").await, "tidak_patuh");
    assert_eq!(app.read("/api/v1/compliance/drift", Some(t)).await["drifted"], json!([]));
}

#[tokio::test]
async fn an_agreement_suspended_through_the_api_changes_the_level_at_once() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let t = w.dinas.token.as_str();
    assert_eq!(level_of(&app, t, "SM-1").await, "patuh");
    let chain_id = etalase_db::repo::stores::find(&app.state.db, w.stores[0])
        .await
        .unwrap()
        .and_then(|s| s.chain_id)
        .unwrap();
    let manager = crate::stores::manager(&app, chain_id, w.stores[0]).await;
    let path = format!("/api/v1/agreements/{}/suspend", w.agreements[0][0]);
    json_ok(app.post(&path, Some(&manager.token), json!({"note": "Rak diperbaiki"})).await, 200)
        .await;
    // SM-1 falls below 3 agreements: the table followed in the same transaction.
    assert_eq!(level_of(&app, t, "SM-1").await, "tidak_patuh");
    assert_eq!(app.read("/api/v1/compliance/drift", Some(t)).await["drifted"], json!([]));
    let path = format!("/api/v1/agreements/{}/resume", w.agreements[0][0]);
    json_ok(app.post_empty(&path, Some(&manager.token)).await, 200).await;
    assert_eq!(level_of(&app, t, "SM-1").await, "patuh");
}

#[tokio::test]
async fn a_new_day_is_aggregated_live_until_the_table_is_rebuilt() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let t = w.dinas.token.as_str();
    // Corrupt a row: while the table is for yesterday, no reader uses it.
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE store_compliance SET level = 'patuh' WHERE store_id = {}",
            w.stores[2]
        ))
        .await
        .unwrap();
    app.advance(chrono::Duration::days(1));
    assert_eq!(level_of(&app, t, "MS-1").await, "tidak_patuh");
    let d = app.read("/api/v1/compliance/drift", Some(t)).await;
    assert_eq!(d["current"], false);
    assert_eq!(d["as_of"], today().to_string());
    // The upkeep rebuilds it for the new day.
    let d = etalase_server::service::compliance::check_drift(&app.state, true).await.unwrap();
    assert!(d.current && d.drifted.is_empty());
    assert_eq!(d.as_of, today().succ_opt());
    assert_eq!(level_of(&app, t, "MS-1").await, "tidak_patuh");
}
