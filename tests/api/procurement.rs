//! Government demand (Pasal 11(b)–(e)): a Perangkat Daerah records its purchases; the Pasal
//! 11(e) report counts exactly 40% as met and 39.99% as not, keeps a month without purchases as
//! "no data", puts a purchase of the last day of a month in that month, shows the Pasal
//! 11(b)–(d) categories apart and the budget used; CSV and XLSX carry the report row by row; a
//! buyer sees only its own organisation; wrong roles and bad input are refused.

use calamine::{Data, Reader, Xlsx};
use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::helpers::*;

/// A buyer organisation registered by the Dinas, with a budget for 2026 and a signed-in account.
async fn buyer(app: &TestApp, dinas: &Caller, name: &str, budget: i64) -> (i64, String) {
    let r = app
        .post(
            "/api/v1/procurement/buyers",
            Some(&dinas.token),
            json!({"name": name, "kind": "perangkat_daerah"}),
        )
        .await;
    let id = json_ok(r, 201).await["id"].as_i64().unwrap();
    let r = app
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/procurement/buyers/{id}/budget"),
            Some(&dinas.token),
            Some(json!({"year": 2026, "amount": budget})),
        )
        .await;
    json_ok(r, 200).await;
    let email = format!("pengadaan-{id}-{}@uji.etalase.id", rand::random::<u32>());
    let r = app
        .post(
            &format!("/api/v1/procurement/buyers/{id}/accounts"),
            Some(&dinas.token),
            json!({"email": email, "password": PASSWORD, "display_name": "Pejabat Pengadaan"}),
        )
        .await;
    let u = json_ok(r, 201).await;
    assert_eq!(u["role"], "buyer");
    (id, app.login(&email, PASSWORD).await)
}

fn other(date: &str, value: i64, category: &str, local: bool) -> Value {
    json!({"date": date, "value": value, "description": "Belanja uji", "category": category,
           "supplier_name": "CV Penyedia Uji", "supplier_local_umkm": local})
}

async fn record(app: &TestApp, token: &str, body: Value) -> Value {
    json_ok(app.post("/api/v1/procurement/purchases", Some(token), body).await, 201).await
}

/// A verified catalog business; returns its id and name.
async fn catalog_umkm(app: &TestApp) -> (i64, String) {
    let (_, producer) = app.umkm_with_producer().await;
    app.verify_producer(producer).await;
    let pr = etalase_db::repo::producers::find(&app.state.db, producer).await.unwrap().unwrap();
    (producer, pr.name)
}

/// RFC 4180: fields separated by commas, quoted when they hold a comma or quote, CRLF lines.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[tokio::test]
async fn the_report_counts_forty_percent_as_met_and_a_rupiah_less_as_not() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (id, token) = buyer(&app, &dinas, "Dinas Pendidikan Uji", 10_000_000).await;
    let (producer, producer_name) = catalog_umkm(&app).await;

    // January: 400,000 of 1,000,000 on local UMKM (a catalog business) — exactly 40%.
    let p = record(
        &app,
        &token,
        json!({"date": "2026-01-31", "value": 400_000, "description": "Nasi kotak rapat",
               "category": "makanan_rapat", "producer_id": producer}),
    )
    .await;
    assert_eq!(
        (p["supplier_name"].as_str(), p["local_umkm"].as_bool()),
        (Some(producer_name.as_str()), Some(true))
    );
    record(&app, &token, other("2026-01-05", 600_000, "lainnya", false)).await;
    // February: 3,999 of 10,000 — 39.99%; the 1 February purchase is not January's.
    record(&app, &token, other("2026-02-01", 3_999, "cenderamata", true)).await;
    record(&app, &token, other("2026-02-28", 6_001, "mebel_kantor", false)).await;
    // May: the last day of the month, a local UMKM that is not in the catalog.
    record(&app, &token, other("2026-05-31", 1_000, "mebel_kantor", true)).await;

    let v = app.read("/api/v1/procurement/report?year=2026", Some(&token)).await;
    assert_eq!((v["year"].as_i64(), v["target_percent"].as_i64()), (Some(2026), Some(40)));
    assert_eq!(v["through_month"], 6, "the test clock is in June 2026");
    let b = &v["buyers"].as_array().unwrap()[0];
    assert_eq!(b["buyer"]["id"], id);
    let m = b["months"].as_array().unwrap();
    assert_eq!(m.len(), 12);
    let at = |i: usize| {
        (
            m[i]["total"].as_i64().unwrap(),
            m[i]["local"].as_i64().unwrap(),
            m[i]["status"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(at(0), (1_000_000, 400_000, "meets".into()));
    assert_eq!(m[0]["share_text"], "40,00%");
    assert_eq!(at(1), (10_000, 3_999, "below".into()));
    assert_eq!(m[1]["share_text"], "39,99%");
    assert_eq!(at(2), (0, 0, "no_data".into()), "March had no purchases: no data, not failing");
    assert!(m[2]["share_bp"].is_null());
    assert_eq!(at(4), (1_000, 1_000, "meets".into()), "31 May counts in May");
    let ytd = &b["year_to_date"];
    assert_eq!((ytd["total"].as_i64(), ytd["local"].as_i64()), (Some(1_011_000), Some(404_999)));
    assert_eq!(ytd["status"], "meets", "404,999 / 1,011,000 = 40.05%");
    let budget = &b["budget"];
    assert_eq!(
        (budget["budget"].as_i64(), budget["spent"].as_i64()),
        (Some(10_000_000), Some(1_011_000))
    );
    assert_eq!(
        (budget["used_text"].as_str(), budget["over_budget"].as_bool()),
        (Some("10,11%"), Some(false))
    );
    let cats: Vec<(String, i64, i64)> = b["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["category"].as_str().unwrap().into(),
                c["total"].as_i64().unwrap(),
                c["local"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        cats,
        [
            ("makanan_rapat".into(), 400_000, 400_000),
            ("mebel_kantor".into(), 7_001, 1_000),
            ("cenderamata".into(), 3_999, 3_999),
            ("lainnya".into(), 600_000, 0),
        ]
    );
    // The Dinas sees the same figures.
    let d = app
        .read(&format!("/api/v1/procurement/report?year=2026&buyer_id={id}"), Some(&dinas.token))
        .await;
    assert_eq!(d["buyers"][0]["months"], b["months"]);
}

#[tokio::test]
async fn csv_and_xlsx_carry_the_report_row_by_row() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (_, a) = buyer(&app, &dinas, "Dinas Kesehatan Uji", 5_000_000).await;
    let (_, b) = buyer(&app, &dinas, "Perumda Air Uji, \"Tirta\"", 8_000_000).await;
    record(&app, &a, other("2026-03-10", 250_000, "makanan_rapat", true)).await;
    record(&app, &a, other("2026-03-11", 750_000, "lainnya", false)).await;
    record(&app, &b, other("2026-04-30", 90_000, "cenderamata", true)).await;

    let v = app.read("/api/v1/procurement/report?year=2026", Some(&dinas.token)).await;
    let mut expected: Vec<Vec<String>> = Vec::new();
    for b in v["buyers"].as_array().unwrap() {
        for m in b["months"].as_array().unwrap() {
            let month = m["month"].as_u64().unwrap() as usize;
            let share = if m["share_bp"].is_null() {
                String::new()
            } else {
                m["share_text"].as_str().unwrap().into()
            };
            let cat = |code: &str| -> (i64, i64) {
                // Only one purchase per category and month in this test.
                let name = b["buyer"]["name"].as_str().unwrap();
                match (name, code, month) {
                    ("Dinas Kesehatan Uji", "makanan_rapat", 3) => (250_000, 250_000),
                    (n, "cenderamata", 4) if n.starts_with("Perumda") => (90_000, 90_000),
                    _ => (0, 0),
                }
            };
            let (b11, c11, d11) = (cat("makanan_rapat"), cat("mebel_kantor"), cat("cenderamata"));
            expected.push(vec![
                b["buyer"]["name"].as_str().unwrap().into(),
                "Perangkat Daerah".into(),
                "2026".into(),
                format!("2026-{month:02}"),
                m["total"].to_string(),
                m["local"].to_string(),
                share,
                "40%".into(),
                m["status_label"].as_str().unwrap().into(),
                b11.0.to_string(),
                b11.1.to_string(),
                c11.0.to_string(),
                c11.1.to_string(),
                d11.0.to_string(),
                d11.1.to_string(),
            ]);
        }
    }
    assert_eq!(expected.len(), 24, "12 months for each of the two buyers");
    assert!(
        expected.iter().any(|r| r[3] == "2026-03" && r[8] == "Belum memenuhi" && r[6] == "25,00%")
    );
    assert!(expected.iter().any(|r| r[3] == "2026-04" && r[8] == "Memenuhi" && r[6] == "100,00%"));

    let r = app.get("/api/v1/procurement/report.csv?year=2026", Some(&dinas.token)).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"].to_str().unwrap().contains("pengadaan-umkm-2026.csv")
    );
    let text = r.text().await.unwrap();
    let text = text.strip_prefix('\u{feff}').expect("UTF-8 with BOM");
    let mut lines = parse_csv(text);
    let header = lines.remove(0);
    assert_eq!(header[..4], ["pembeli", "jenis", "tahun", "bulan"]);
    assert_eq!(header.len(), 15);
    let got = lines;
    assert_eq!(got, expected, "CSV rows, quoted name included");

    let r = app.get("/api/v1/procurement/report.xlsx?year=2026", Some(&dinas.token)).await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range("Per bulan").unwrap();
    let cell = |c: &Data| match c {
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    };
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(cell).collect()).collect();
    assert_eq!(rows[0], header);
    assert_eq!(rows[1..], expected[..], "XLSX rows equal the CSV's");
    let summary = wb.worksheet_range("Rekap tahun").unwrap();
    let s: Vec<Vec<String>> = summary.rows().map(|r| r.iter().map(cell).collect()).collect();
    assert_eq!(s.len(), 3);
    let kes = s.iter().find(|r| r[0] == "Dinas Kesehatan Uji").unwrap();
    assert_eq!(kes[3..8], ["6", "1000000", "250000", "25,00%", "Belum memenuhi"]);
    assert_eq!(kes[8..], ["5000000", "20,00%"]);
}

#[tokio::test]
async fn a_buyer_sees_corrects_and_deletes_only_its_own_purchases() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (a_id, a) = buyer(&app, &dinas, "Dinas Perhubungan Uji", 1_000_000).await;
    let (b_id, b) = buyer(&app, &dinas, "Kecamatan Taktakan Uji", 1_000_000).await;
    let mine = record(&app, &a, other("2026-04-01", 50_000, "lainnya", false)).await["id"]
        .as_i64()
        .unwrap();
    let theirs = record(&app, &b, other("2026-04-02", 70_000, "lainnya", true)).await["id"]
        .as_i64()
        .unwrap();

    // Another organisation's purchase is not found, for reading, correcting and deleting.
    let path = format!("/api/v1/procurement/purchases/{theirs}");
    expect_problem(app.get(&path, Some(&a)).await, 404, "not_found").await;
    let r = app
        .send(reqwest::Method::PUT, &path, Some(&a), Some(other("2026-04-02", 1, "lainnya", true)))
        .await;
    expect_problem(r, 404, "not_found").await;
    expect_problem(app.delete(&path, Some(&a)).await, 404, "not_found").await;
    let still = app.read(&path, Some(&b)).await;
    assert_eq!(
        (still["value"].as_i64(), still["local_umkm"].as_bool()),
        (Some(70_000), Some(true)),
        "unchanged"
    );
    // Its report and list are not found either; its own list holds only its purchase.
    let r = app.get(&format!("/api/v1/procurement/report?buyer_id={b_id}"), Some(&a)).await;
    expect_problem(r, 404, "not_found").await;
    let r = app.get(&format!("/api/v1/procurement/report.csv?buyer_id={b_id}"), Some(&a)).await;
    expect_problem(r, 404, "not_found").await;
    let r = app.get(&format!("/api/v1/procurement/purchases?buyer_id={b_id}"), Some(&a)).await;
    expect_problem(r, 404, "not_found").await;
    assert_eq!(app.ids("/api/v1/procurement/purchases", Some(&a)).await, [mine]);
    let buyers = app.read("/api/v1/procurement/buyers", Some(&a)).await;
    assert_eq!(buyers.as_array().unwrap().len(), 1);
    assert_eq!(buyers[0]["id"], a_id);
    let rep = app.read("/api/v1/procurement/report?year=2026", Some(&a)).await;
    assert_eq!(rep["buyers"].as_array().unwrap().len(), 1);
    // The Dinas sees both.
    let all = app.ids("/api/v1/procurement/purchases?year=2026", Some(&dinas.token)).await;
    assert_eq!(all.len(), 2);
    assert!(all.contains(&mine) && all.contains(&theirs));

    // Its own: corrected, then deleted, each in the audit log.
    let path = format!("/api/v1/procurement/purchases/{mine}");
    let r = app
        .send(
            reqwest::Method::PUT,
            &path,
            Some(&a),
            Some(other("2026-04-03", 55_000, "makanan_rapat", true)),
        )
        .await;
    let c = json_ok(r, 200).await;
    assert_eq!(
        (c["value"].as_i64(), c["category"].as_str(), c["date"].as_str()),
        (Some(55_000), Some("makanan_rapat"), Some("2026-04-03"))
    );
    let r = app.delete(&path, Some(&a)).await;
    assert_eq!(r.status(), 204);
    expect_problem(app.get(&path, Some(&a)).await, 404, "not_found").await;
    use etalase_db::entities::audit;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let log: Vec<String> = audit::Entity::find()
        .filter(audit::Column::Entity.eq("procurement_purchase"))
        .filter(audit::Column::EntityId.eq(mine))
        .order_by_asc(audit::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(log, ["purchase_recorded", "purchase_corrected", "purchase_deleted"]);
}

#[tokio::test]
async fn wrong_roles_are_refused() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (id, buyer_token) = buyer(&app, &dinas, "Dinas Pariwisata Uji", 1_000_000).await;
    let umkm = app.user(Role::Umkm).await;
    let store = app.user(Role::Store).await;
    for t in [&umkm.token, &store.token] {
        expect_problem(app.get("/api/v1/procurement/report", Some(t)).await, 403, "forbidden")
            .await;
        expect_problem(app.get("/api/v1/procurement/report.xlsx", Some(t)).await, 403, "forbidden")
            .await;
        expect_problem(app.get("/api/v1/procurement/purchases", Some(t)).await, 403, "forbidden")
            .await;
        let r = app
            .post("/api/v1/procurement/purchases", Some(t), other("2026-05-01", 1, "lainnya", true))
            .await;
        expect_problem(r, 403, "forbidden").await;
    }
    // The Dinas reads but does not record a buyer's purchases.
    let r = app
        .post(
            "/api/v1/procurement/purchases",
            Some(&dinas.token),
            other("2026-05-01", 1, "lainnya", true),
        )
        .await;
    expect_problem(r, 403, "forbidden").await;
    // A buyer registers no buyers, budgets or accounts.
    let r = app
        .post(
            "/api/v1/procurement/buyers",
            Some(&buyer_token),
            json!({"name": "Dinas Baru", "kind": "bumd"}),
        )
        .await;
    expect_problem(r, 403, "forbidden").await;
    let r = app
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/procurement/buyers/{id}/budget"),
            Some(&buyer_token),
            Some(json!({"year": 2026, "amount": 9})),
        )
        .await;
    expect_problem(r, 403, "forbidden").await;
    // Anonymous: 401.
    assert_eq!(app.get("/api/v1/procurement/report", None).await.status(), 401);
    // A buyer account cannot be made without its organisation through the generic admin path.
    let admin = app.user(Role::Admin).await;
    let r = app.post("/api/v1/users", Some(&admin.token), json!({"email": "x@uji.etalase.id", "password": PASSWORD, "display_name": "X", "role": "buyer"})).await;
    expect_invalid(r, &[("role", "buyer_needs_organisation")]).await;
}

#[tokio::test]
async fn bad_input_names_the_field_and_saves_nothing() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (id, t) = buyer(&app, &dinas, "Dinas Sosial Uji", 1_000_000).await;
    let post = |b: Value| app.post("/api/v1/procurement/purchases", Some(&t), b);

    let r = post(json!({})).await;
    expect_invalid(
        r,
        &[
            ("date", "required"),
            ("value", "required"),
            ("description", "required"),
            ("category", "required"),
            ("supplier_name", "required"),
        ],
    )
    .await;
    expect_invalid(
        post(other("2026-06-02", 1_000, "lainnya", true)).await,
        &[("date", "in_future")],
    )
    .await;
    expect_invalid(
        post(other("2026-02-30", 1_000, "lainnya", true)).await,
        &[("date", "invalid_format")],
    )
    .await;
    expect_invalid(
        post(other("2026-05-01", 1_000_000_000_001, "lainnya", true)).await,
        &[("value", "out_of_range")],
    )
    .await;
    expect_invalid(
        post(other("2026-05-01", 0, "lainnya", true)).await,
        &[("value", "out_of_range")],
    )
    .await;
    expect_invalid(
        post(other("2026-05-01", 10, "atk", true)).await,
        &[("category", "invalid_choice")],
    )
    .await;
    let mut b = other("2026-05-01", 10, "lainnya", true);
    b["description"] = json!("x".repeat(5_000));
    expect_invalid(post(b).await, &[("description", "too_long")]).await;
    let r = post(json!({"date": "2026-05-01", "value": 10, "description": "Kursi", "category": "mebel_kantor", "producer_id": 987_654})).await;
    expect_invalid(r, &[("producer_id", "not_found")]).await;
    // An unverified business is not a catalog supplier.
    let (_, unverified) = app.umkm_with_producer().await;
    let r = post(json!({"date": "2026-05-01", "value": 10, "description": "Kursi", "category": "mebel_kantor", "producer_id": unverified})).await;
    expect_invalid(r, &[("producer_id", "not_found")]).await;
    let mut b = other("2026-05-01", 10, "lainnya", true);
    b["value"] = json!("10");
    expect_problem(post(b).await, 422, "validation_failed").await;
    let mut b = other("2026-05-01", 10, "lainnya", true);
    b["owner"] = json!(1);
    expect_unknown_field(post(b).await, "owner").await;
    // Huge query values are refused naming the parameter.
    let r = app.get("/api/v1/procurement/report?year=99999999999", Some(&t)).await;
    assert_eq!(r.status(), 400);
    let r = app.get("/api/v1/procurement/report?year=1900", Some(&t)).await;
    expect_invalid(r, &[("year", "out_of_range")]).await;
    // Budgets and buyers too.
    let budget_path = format!("/api/v1/procurement/buyers/{id}/budget");
    let put = |b: Value| app.send(reqwest::Method::PUT, &budget_path, Some(&dinas.token), Some(b));
    expect_invalid(put(json!({"year": 2026, "amount": -1})).await, &[("amount", "out_of_range")])
        .await;
    expect_invalid(put(json!({"year": 3000, "amount": 5})).await, &[("year", "out_of_range")])
        .await;
    let r = app
        .post(
            "/api/v1/procurement/buyers",
            Some(&dinas.token),
            json!({"name": "", "kind": "kementerian"}),
        )
        .await;
    expect_invalid(r, &[("name", "required"), ("kind", "invalid_choice")]).await;
    let r = app
        .post(
            "/api/v1/procurement/buyers",
            Some(&dinas.token),
            json!({"name": "Dinas Sosial Uji", "kind": "bumd"}),
        )
        .await;
    expect_problem(r, 409, "already_exists").await;

    // Nothing was saved: no purchase, and the budget is unchanged.
    assert_eq!(app.total("/api/v1/procurement/purchases", Some(&t)).await, 0);
    let v = app.read("/api/v1/procurement/report?year=2026", Some(&t)).await;
    assert_eq!(v["buyers"][0]["budget"]["budget"], 1_000_000);
}
