//! Government demand (Pasal 11(b)–(e)): a Perangkat Daerah records its purchases; the Pasal
//! 11(e) report counts exactly 40% as met and 39.99% as not, keeps a month without purchases as
//! "no data", puts a purchase of the last day of a month in that month, shows the Pasal
//! 11(b)–(d) categories apart and the budget used; CSV and XLSX carry the report row by row.
//! Access and bad input: `procurement_access`.

use calamine::{Data, Reader, Xlsx};
use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::helpers::*;

/// A buyer organisation registered by the Dinas, with a budget for 2026 and a signed-in account.
pub async fn buyer(app: &TestApp, dinas: &Caller, name: &str, budget: i64) -> (i64, String) {
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

pub fn other(date: &str, value: i64, category: &str, local: bool) -> Value {
    json!({"date": date, "value": value, "description": "Belanja uji", "category": category,
           "supplier_name": "CV Penyedia Uji", "supplier_local_umkm": local})
}

pub async fn record(app: &TestApp, token: &str, body: Value) -> Value {
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
