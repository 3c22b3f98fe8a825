//! Chains and stores: registering, importing through the older `/stores/import` (every bad row
//! reported, nothing saved; the same file again changes nothing), and who sees which store. Also the retail helpers the other retail modules use.

use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::helpers::*;

/// Centroid of kelurahan 36.73.01.1001 (inside Kota Serang).
pub fn centroid() -> (f64, f64) {
    let k = etalase_domain::wilayah::kota_serang()
        .kelurahan_by_code("36.73.01.1001")
        .expect("kelurahan");
    (k.lat, k.lon)
}

/// The older English header of a store list, still accepted by the store import.
pub const STORE_HEADER: &str =
    "code,name,chain_code,format,address,kelurahan_code,lat,lon,local_facings";

pub fn store_body(code: &str, chain: &str) -> Value {
    let (lat, lon) = centroid();
    json!({"code": code, "name": format!("Gerai {code}"), "chain_code": chain, "format": "minimarket",
        "address": "Jl. Ciceri Permai No. 3", "kelurahan_code": "36.73.01.1001", "lat": lat, "lon": lon, "local_facings": 10})
}

/// Registers chain `code` as a Dinas officer; returns its id.
pub async fn chain(app: &TestApp, code: &str) -> i64 {
    let dinas = app.user(Role::Dinas).await;
    let v = json_ok(
        app.post(
            "/api/v1/chains",
            Some(&dinas.token),
            json!({"code": code, "name": format!("Jaringan {code}"), "kind": "national"}),
        )
        .await,
        201,
    )
    .await;
    v["id"].as_i64().expect("id")
}

/// Registers a store as a Dinas officer; returns its id.
pub async fn store(app: &TestApp, code: &str, chain: &str) -> i64 {
    let dinas = app.user(Role::Dinas).await;
    json_ok(app.post("/api/v1/stores", Some(&dinas.token), store_body(code, chain)).await, 201)
        .await["id"]
        .as_i64()
        .expect("id")
}

/// A store manager of `store_id` (in `chain_id`).
pub async fn manager(app: &TestApp, chain_id: i64, store_id: i64) -> Caller {
    let c = app.user(Role::Store).await;
    etalase_db::repo::users::set_affiliation(
        &app.state.db,
        c.user_id,
        Some(chain_id),
        Some(store_id),
    )
    .await
    .expect("linked");
    c
}

/// A chain office of `chain_id`.
pub async fn office(app: &TestApp, chain_id: i64) -> Caller {
    let c = app.user(Role::Chain).await;
    etalase_db::repo::users::set_affiliation(&app.state.db, c.user_id, Some(chain_id), None)
        .await
        .expect("linked");
    c
}

async fn store_count(app: &TestApp) -> u64 {
    etalase_db::repo::stores::count(&app.state.db).await.expect("count")
}

#[tokio::test]
async fn dinas_registers_a_store_and_a_chain_office_only_its_own() {
    let app = spawn_app().await;
    let ms = chain(&app, "MS").await;
    chain(&app, "SM").await;
    let id = store(&app, "ms-001", "MS").await;
    let dinas = app.user(Role::Dinas).await;
    let v = app.read(&format!("/api/v1/stores/{id}"), Some(&dinas.token)).await;
    assert_eq!(
        (v["code"].as_str(), v["chain_code"].as_str(), v["kecamatan_code"].as_str()),
        (Some("MS-001"), Some("MS"), Some("36.73.01"))
    );

    let ms_office = office(&app, ms).await;
    let before = store_count(&app).await;
    let p = expect_problem(
        app.post("/api/v1/stores", Some(&ms_office.token), store_body("SM-9", "SM")).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(field_code(&p, "chain_code").as_deref(), Some("not_your_chain"));
    assert_eq!(store_count(&app).await, before);
    json_ok(
        app.post("/api/v1/stores", Some(&ms_office.token), store_body("MS-002", "MS")).await,
        201,
    )
    .await;

    let umkm = app.user(Role::Umkm).await;
    expect_problem(
        app.post("/api/v1/stores", Some(&umkm.token), store_body("X-1", "MS")).await,
        403,
        "forbidden",
    )
    .await;
    let outside = json!({"code": "MS-3", "name": "Gerai luar", "chain_code": "MS", "format": "minimarket", "address": "Jl. Jauh sekali", "kelurahan_code": "36.73.01.1001", "lat": -6.4, "lon": 106.8, "local_facings": 5});
    expect_invalid(
        app.post("/api/v1/stores", Some(&dinas.token), outside).await,
        &[("lat", "not_in_kota_serang")],
    )
    .await;
}

#[tokio::test]
async fn import_reports_every_bad_row_and_saves_nothing_until_clean() {
    let app = spawn_app().await;
    chain(&app, "MS").await;
    let dinas = app.user(Role::Dinas).await;
    let (lat, lon) = centroid();
    let header = STORE_HEADER;
    let good1 = format!(
        "MS-10,Mitra Swalayan Ciceri,MS,minimarket,Jl. Ciceri 1,36.73.01.1001,{lat},{lon},8"
    );
    let good2 = format!(
        "MS-11,Mitra Swalayan Cipare,MS,supermarket,\"Jl. Cipare, No. 2\",36.73.01.1001,{lat},{lon},20"
    );
    let bad = format!(
        "{header}\n{good1}\nMS-12,Toko,MS,warung,Jl. A 3,36.73.01.1001,{lat},{lon},5\nMS-13,Toko Jauh,MS,minimarket,Jl. B 4,36.73.01.1001,-6.9,107.6,5\n{good2}\nMS-14,Toko X,ZZ,minimarket,Jl. C 5,36.73.01.1001,{lat},{lon},5\n"
    );
    let before = store_count(&app).await;

    let r = app
        .client
        .post(app.url("/api/v1/stores/import"))
        .bearer_auth(&dinas.token)
        .header("content-type", "text/csv")
        .body(bad)
        .send()
        .await
        .expect("sent");

    let p = expect_problem(r, 422, "validation_failed").await;
    let fields: Vec<String> = fields(&p);
    // The columns are named as the store import names them (`jaringan` for chain_code).
    assert_eq!(fields, ["rows[3].format", "rows[4].lat", "rows[6].jaringan"], "{p}");
    assert!(p["errors"][0]["message"].as_str().expect("msg").contains("\"warung\""), "{p}");
    assert_eq!(store_count(&app).await, before, "nothing saved");

    let clean = format!("{header}\n{good1}\n{good2}\n");
    let r = app
        .client
        .post(app.url("/api/v1/stores/import"))
        .bearer_auth(&dinas.token)
        .body(clean.clone())
        .send()
        .await
        .expect("sent");
    assert_eq!(json_ok(r, 201).await["imported"], 2);
    assert_eq!(store_count(&app).await, before + 2);
    let r = app
        .client
        .post(app.url("/api/v1/stores/import"))
        .bearer_auth(&dinas.token)
        .body(clean)
        .send()
        .await
        .expect("sent");
    // Since the store import became the shared import (issue 15), the same file again is an
    // idempotent no-op (stores found by their code), no longer an "already_exists" error.
    let again = json_ok(r, 201).await;
    assert_eq!((again["imported"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(2)));
    assert_eq!(store_count(&app).await, before + 2);
}

#[tokio::test]
async fn store_side_sees_only_its_own_stores() {
    let app = spawn_app().await;
    let ms = chain(&app, "MS").await;
    chain(&app, "SM").await;
    let a = store(&app, "MS-1", "MS").await;
    let b = store(&app, "MS-2", "MS").await;
    let c = store(&app, "SM-1", "SM").await;
    let m = manager(&app, ms, a).await;
    let o = office(&app, ms).await;

    assert_eq!(app.ids("/api/v1/stores", Some(&m.token)).await, vec![a]);
    let mut chain_ids = app.ids("/api/v1/stores", Some(&o.token)).await;
    chain_ids.sort_unstable();
    assert_eq!(chain_ids, vec![a, b]);
    expect_problem(app.get(&format!("/api/v1/stores/{b}"), Some(&m.token)).await, 404, "not_found")
        .await;
    expect_problem(app.get(&format!("/api/v1/stores/{c}"), Some(&o.token)).await, 404, "not_found")
        .await;
    let dinas = app.user(Role::Dinas).await;
    assert_eq!(app.total("/api/v1/stores", Some(&dinas.token)).await, 3);
}

/// An XLSX workbook with the import header and `rows` (text cells; lat/lon/facings as numbers).
fn xlsx(rows: &[[&str; 9]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in STORE_HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).expect("header");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell.parse::<f64>() {
                Ok(n) if c >= 6 => ws.write_number(r, c, n).map(|_| ()),
                _ => ws.write_string(r, c, *cell).map(|_| ()),
            }
            .expect("cell");
        }
    }
    wb.save_to_buffer().expect("xlsx")
}

#[tokio::test]
async fn xlsx_import_reports_the_bad_row_by_line_and_saves_nothing_until_clean() {
    let app = spawn_app().await;
    chain(&app, "MS").await;
    let dinas = app.user(Role::Dinas).await;
    let (lat, lon) = centroid();
    let (lat, lon) = (lat.to_string(), lon.to_string());
    let good = [
        "MS-20",
        "Mitra Swalayan Kaligandu",
        "MS",
        "minimarket",
        "Jl. Kaligandu 7",
        "36.73.01.1001",
        &lat,
        &lon,
        "12",
    ];
    let bad = [
        "MS-21",
        "Mitra Swalayan Jauh",
        "MS",
        "minimarket",
        "Jl. Luar Kota 1",
        "36.73.01.1001",
        "-6.9",
        "107.6",
        "5",
    ];
    let before = store_count(&app).await;
    let send = |bytes: Vec<u8>| {
        app.client
            .post(app.url("/api/v1/stores/import"))
            .bearer_auth(&dinas.token)
            .header(
                "content-type",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            .body(bytes)
            .send()
    };

    let r = send(xlsx(&[bad, good])).await.expect("sent");

    let p = expect_problem(r, 422, "validation_failed").await;
    assert_eq!(fields(&p), ["rows[2].lat"], "line 2 is the first data row of the sheet: {p}");
    assert_eq!(p["errors"][0]["code"], "not_in_kota_serang", "{p}");
    assert_eq!(store_count(&app).await, before, "the good row was not saved either");

    let r = send(xlsx(&[good])).await.expect("sent");
    assert_eq!(json_ok(r, 201).await["imported"], 1);
    assert_eq!(store_count(&app).await, before + 1);
    let listed = app.read("/api/v1/stores?q=Kaligandu", Some(&dinas.token)).await;
    assert_eq!(listed["items"][0]["code"], "MS-20");
    assert_eq!(listed["items"][0]["local_facings"], 12);
}
