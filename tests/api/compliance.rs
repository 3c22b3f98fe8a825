//! Compliance monitoring: levels at their edges through the API (the same numbers on SQLite
//! and PostgreSQL — this suite runs on both), who sees which stores, policies, snapshots that
//! do not move, exports that parse back, inspections and notices.

use chrono::Duration;
use etalase_db::entities::agreement;
use etalase_domain::roles::Role;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

use crate::compliance_world::{policy_from, today, world};
use crate::helpers::*;

fn level_of(list: &Value, code: &str) -> String {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == code)
        .map(|s| s["level"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn levels_follow_the_policy_at_its_edges_and_the_detail_agrees_with_the_aggregation() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let t = Some(w.dinas.token.as_str());

    let list = app.read("/api/v1/compliance/stores", t).await;
    assert_eq!(list["total"], 3);
    assert_eq!(level_of(&list, "SM-1"), "patuh", "exactly 3 agreements, 4 products, 3 producers");
    assert_eq!(level_of(&list, "SM-2"), "berisiko", "one agreement ends tomorrow");
    assert_eq!(level_of(&list, "MS-1"), "tidak_patuh");
    let sm1 = list["items"].as_array().unwrap().iter().find(|s| s["code"] == "SM-1").unwrap();
    assert_eq!(
        (sm1["agreements"].as_i64(), sm1["products"].as_i64(), sm1["producers"].as_i64()),
        (Some(3), Some(4), Some(3))
    );

    for (i, code) in ["SM-1", "SM-2", "MS-1"].iter().enumerate() {
        let d = app.read(&format!("/api/v1/compliance/stores/{}", w.stores[i]), t).await;
        assert_eq!(
            d["store"]["level"].as_str().unwrap(),
            level_of(&list, code),
            "detail of {code}"
        );
    }
    let ms1 = app.read(&format!("/api/v1/compliance/stores/{}", w.stores[2]), t).await;
    let kinds: Vec<&str> =
        ms1["shortfalls"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["agreements", "products", "producers"]);
    let sm2 = app.read(&format!("/api/v1/compliance/stores/{}", w.stores[1]), t).await;
    assert_eq!(sm2["figures_in_30_days"]["agreements"], 2);
    assert!(
        sm2["agreements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == w.agreements[1][0] && a["ending_soon"] == true)
    );

    let s = app.read("/api/v1/compliance/summary?group_by=chain", t).await;
    assert_eq!(
        (
            s["totals"]["patuh"].as_i64(),
            s["totals"]["berisiko"].as_i64(),
            s["totals"]["tidak_patuh"].as_i64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(s["producers_placed"], 3);
    let groups = s["groups"].as_array().unwrap();
    let sm = groups.iter().find(|g| g["label"] == "Serang Mart").unwrap();
    assert_eq!(
        (sm["stores"].as_i64(), sm["patuh"].as_i64(), sm["berisiko"].as_i64()),
        (Some(2), Some(1), Some(1))
    );
    let k = app.read("/api/v1/compliance/summary?group_by=kecamatan", t).await;
    let serang = k["groups"].as_array().unwrap().iter().find(|g| g["key"] == "36.73.01").unwrap();
    assert_eq!(
        (serang["label"].as_str(), serang["stores"].as_i64(), serang["tidak_patuh"].as_i64()),
        (Some("Serang"), Some(2), Some(1))
    );

    let only_risky = app.read("/api/v1/compliance/stores?level=berisiko&chain=SM", t).await;
    assert_eq!(only_risky["total"], 1);
    assert_eq!(only_risky["items"][0]["code"], "SM-2");

    // Tomorrow the agreement has ended: SM-2 falls below; yesterday's date still shows it at risk.
    app.clock.set(test_now() + Duration::days(1));
    let list = app.read("/api/v1/compliance/stores", t).await;
    assert_eq!(level_of(&list, "SM-2"), "tidak_patuh");
    let list = app.read(&format!("/api/v1/compliance/stores?date={}", today()), t).await;
    assert_eq!(level_of(&list, "SM-2"), "berisiko");
}

#[tokio::test]
async fn a_chain_office_never_sees_another_chains_stores_and_others_are_refused() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let ms = Some(w.ms_office.token.as_str());

    let list = app.read("/api/v1/compliance/stores", ms).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["code"], "MS-1");
    assert_eq!(app.read("/api/v1/compliance/stores?chain=SM", ms).await["total"], 0);
    expect_problem(
        app.get(&format!("/api/v1/compliance/stores/{}", w.stores[0]), ms).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.read("/api/v1/compliance/summary", ms).await["totals"]["stores"], 1);
    let csv = app.get("/api/v1/compliance/export.csv", ms).await.text().await.unwrap();
    assert!(csv.contains("MS-1") && !csv.contains("SM-1") && !csv.contains("SM-2"), "{csv}");
    assert_eq!(app.read("/api/v1/compliance/stores", Some(&w.sm_office.token)).await["total"], 2);

    for role in [Role::Umkm, Role::Store] {
        let u = app.user(role).await;
        for path in [
            "/api/v1/compliance/stores",
            "/api/v1/compliance/summary",
            "/api/v1/compliance/trend",
            "/api/v1/compliance/export.csv",
        ] {
            expect_problem(app.get(path, Some(&u.token)).await, 403, "forbidden").await;
        }
    }
    assert_eq!(app.get("/api/v1/compliance/stores", None).await.status(), 401);
}

#[tokio::test]
async fn only_the_dinas_sets_policies_and_the_one_in_force_is_marked() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let body = json!({"min_agreements": 1, "min_products": 1, "min_producers": 1, "effective_from": today() + Duration::days(10)});
    expect_problem(
        app.post("/api/v1/compliance/policies", Some(&w.ms_office.token), body.clone()).await,
        403,
        "forbidden",
    )
    .await;
    let past = json!({"min_agreements": 1, "min_products": 1, "min_producers": 1, "effective_from": today() - Duration::days(1)});
    expect_invalid(
        app.post("/api/v1/compliance/policies", Some(&w.dinas.token), past).await,
        &[("effective_from", "in_past")],
    )
    .await;
    let bad = json!({"min_agreements": 0, "min_products": 1, "min_producers": 1, "effective_from": today(), "extra": 1});
    expect_unknown_field(
        app.post("/api/v1/compliance/policies", Some(&w.dinas.token), bad).await,
        "extra",
    )
    .await;
    assert_eq!(
        app.post("/api/v1/compliance/policies", Some(&w.dinas.token), body).await.status(),
        201
    );
    let all = app.read("/api/v1/compliance/policies", Some(&w.ms_office.token)).await;
    assert_eq!(
        all.as_array().unwrap().len(),
        2,
        "the chain office's refused policy was not stored"
    );
    assert_eq!(all[0]["in_force"], false);
    assert_eq!(all[1]["in_force"], true);
    // In 10 days the looser policy applies.
    app.clock.set(test_now() + Duration::days(10));
    let s = app.read("/api/v1/compliance/summary", Some(&w.dinas.token)).await;
    assert_eq!(s["policy"]["min_agreements"], 1);
}

#[tokio::test]
async fn snapshots_do_not_change_when_old_agreements_are_edited() {
    let app = spawn_app().await;
    let w = world(&app).await;
    policy_from(&app, today() - Duration::days(365), 3, 4, 3).await;
    let may = today() - Duration::days(10);
    assert_eq!(
        etalase_server::service::compliance::snapshot_month(&app.state, may).await.unwrap(),
        3
    );
    let t = Some(w.dinas.token.as_str());
    let before = app.read("/api/v1/compliance/trend?from=2026-05&to=2026-05", t).await;
    assert_eq!(before["points"][0]["patuh"], 1);
    assert_eq!(
        before["points"][0]["berisiko"], 1,
        "SM-2's agreement ends 2 June, within 30 days of 31 May"
    );

    // Someone ends SM-1's agreements early, back-dated: May's figures must not move.
    for id in &w.agreements[0] {
        agreement::ActiveModel {
            id: Set(*id),
            status: Set(etalase_domain::agreement::AgreementStatus::Terminated),
            ..Default::default()
        }
        .update(&app.state.db)
        .await
        .unwrap();
    }
    assert_eq!(
        etalase_server::service::compliance::snapshot_month(&app.state, may).await.unwrap(),
        0
    );
    let after = app.read("/api/v1/compliance/trend?from=2026-05&to=2026-05", t).await;
    assert_eq!(before, after);
    let hist = app.read(&format!("/api/v1/compliance/stores/{}", w.stores[0]), t).await;
    assert_eq!(hist["history"][0]["level"], "patuh");
    assert_eq!(hist["store"]["level"], "tidak_patuh");
    // The edit bypassed the application, so the maintained table missed it: the drift check
    // finds exactly that store and repairs it.
    let drift = etalase_server::service::compliance::check_drift(&app.state, true).await.unwrap();
    assert_eq!(drift.drifted, vec![w.stores[0]]);
    assert!(drift.repaired && drift.current);
    // The current month is refreshed and shows the change.
    assert_eq!(
        etalase_server::service::compliance::snapshot_month(&app.state, today()).await.unwrap(),
        3
    );
    let june = app.read("/api/v1/compliance/trend?from=2026-06&to=2026-06", t).await;
    assert_eq!(june["points"][0]["patuh"], 0);
    // A chain office's trend counts only its own stores.
    assert_eq!(
        app.read("/api/v1/compliance/trend?from=2026-05&to=2026-05", Some(&w.ms_office.token))
            .await["points"][0]["stores"],
        1
    );
}

#[tokio::test]
async fn exports_parse_back_to_the_same_figures() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let t = Some(w.dinas.token.as_str());
    let list = app.read("/api/v1/compliance/stores", t).await;
    let expected: Vec<(String, String, i64, i64, i64)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["code"].as_str().unwrap().into(),
                s["level"].as_str().unwrap().into(),
                s["agreements"].as_i64().unwrap(),
                s["products"].as_i64().unwrap(),
                s["producers"].as_i64().unwrap(),
            )
        })
        .collect();

    let r = app.get("/api/v1/compliance/export.csv", t).await;
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = r.text().await.unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next().unwrap(),
        "kode,nama,jaringan,kecamatan,kelurahan,status,perjanjian,produk,umkm,lat,lon"
    );
    let csv: Vec<(String, String, i64, i64, i64)> = lines
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (
                c[0].into(),
                c[5].into(),
                c[6].parse().unwrap(),
                c[7].parse().unwrap(),
                c[8].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(csv, expected);

    use calamine::{Data, Reader, Xlsx};
    let bytes = app.get("/api/v1/compliance/export.xlsx", t).await.bytes().await.unwrap();
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range("Kepatuhan").unwrap();
    let num = |d: &Data| match d {
        Data::Float(f) => *f as i64,
        Data::Int(i) => *i,
        other => panic!("not a number: {other:?}"),
    };
    let xlsx: Vec<(String, String, i64, i64, i64)> = range
        .rows()
        .skip(1)
        .map(|r| (r[0].to_string(), r[5].to_string(), num(&r[6]), num(&r[7]), num(&r[8])))
        .collect();
    assert_eq!(xlsx, expected);
}

#[tokio::test]
async fn products_not_seen_on_two_consecutive_inspections_flag_the_agreement() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let s1 = w.stores[0];
    let body = |d: i64| json!({"store_id": s1, "date": today() - Duration::days(d), "seen": [w.products[1]], "not_seen": [w.products[0]], "notes": "Rak produk lokal di dekat kasir"});
    let r =
        json_ok(app.post("/api/v1/inspections", Some(&w.dinas.token), body(20)).await, 201).await;
    assert!(r["flagged"].as_array().unwrap().is_empty());
    let r =
        json_ok(app.post("/api/v1/inspections", Some(&w.dinas.token), body(5)).await, 201).await;
    assert_eq!(r["flagged"], json!([w.agreements[0][0]]));
    let d = app.read(&format!("/api/v1/compliance/stores/{s1}"), Some(&w.dinas.token)).await;
    assert_eq!(d["inspections"].as_array().unwrap().len(), 2);
    assert_eq!(d["flagged"], json!([w.agreements[0][0]]));

    // The chain office and a UMKM cannot record one; nothing is stored.
    expect_problem(
        app.post("/api/v1/inspections", Some(&w.sm_office.token), body(1)).await,
        403,
        "forbidden",
    )
    .await;
    let umkm = app.user(Role::Umkm).await;
    expect_problem(
        app.post("/api/v1/inspections", Some(&umkm.token), body(1)).await,
        403,
        "forbidden",
    )
    .await;
    let d = app.read(&format!("/api/v1/compliance/stores/{s1}"), Some(&w.dinas.token)).await;
    assert_eq!(d["inspections"].as_array().unwrap().len(), 2);
    // Products of another store's agreements, or a future date, are refused.
    let bad =
        json!({"store_id": w.stores[1], "date": today() + Duration::days(1), "seen": [999_999]});
    expect_invalid(
        app.post("/api/v1/inspections", Some(&w.dinas.token), bad).await,
        &[("date", "in_future"), ("seen[0]", "not_agreed")],
    )
    .await;
}

#[tokio::test]
async fn a_notice_goes_to_a_non_compliant_store_and_only_its_chain_sees_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let dinas = Some(w.dinas.token.as_str());
    expect_invalid(
        app.post("/api/v1/notices", dinas, json!({"store_id": w.stores[0]})).await,
        &[("store_id", "compliant")],
    )
    .await;
    expect_problem(
        app.post("/api/v1/notices", Some(&w.ms_office.token), json!({"store_id": w.stores[2]}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let n = json_ok(
        app.post(
            "/api/v1/notices",
            dinas,
            json!({"store_id": w.stores[2], "note": "Mohon segera ditindaklanjuti."}),
        )
        .await,
        201,
    )
    .await;
    let body = n["body"].as_str().unwrap();
    assert!(body.contains("Perjanjian penempatan aktif: 1 (minimal 3)"), "{body}");
    assert!(body.contains("Pasal 10 ayat (1) huruf b"));
    assert_eq!(n["issued_on"], today().to_string());

    let mine = app.read("/api/v1/notices", Some(&w.ms_office.token)).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert!(
        app.read("/api/v1/notices", Some(&w.sm_office.token)).await.as_array().unwrap().is_empty()
    );
    let pdf_url = n["pdf_url"].as_str().unwrap();
    let r = app.get(pdf_url, Some(&w.ms_office.token)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-1.4"));
    assert!(String::from_utf8_lossy(&bytes).contains("SURAT TEGURAN"));
    expect_problem(app.get(pdf_url, Some(&w.sm_office.token)).await, 404, "not_found").await;
    let d = app.read(&format!("/api/v1/compliance/stores/{}", w.stores[2]), dinas).await;
    assert_eq!(d["notices"].as_array().unwrap().len(), 1);
}
