//! Government demand on a phone: the Dinas opens "Pengadaan daerah" from the menu and reads
//! each Perangkat Daerah/BUMD's months with a marker that says in words whether 40% is met,
//! the Pasal 11 categories and the download links; a buyer records a purchase with an empty
//! field first (the error is named, nothing saved), then correctly (the message, the row, the
//! month's share).

use etalase_domain::roles::Role;
use serde_json::json;

use crate::helpers::*;
use crate::webdriver::Driver;

/// A buyer registered by `dinas` with a budget for 2026; returns (id, email).
async fn buyer(app: &TestApp, dinas: &Caller, name: &str) -> (i64, String) {
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
            Some(json!({"year": 2026, "amount": 20_000_000})),
        )
        .await;
    json_ok(r, 200).await;
    let email = format!("pengadaan-{}@uji.etalase.id", unique());
    let r = app
        .post(
            &format!("/api/v1/procurement/buyers/{id}/accounts"),
            Some(&dinas.token),
            json!({"email": email, "password": PASSWORD, "display_name": "Pejabat Pengadaan"}),
        )
        .await;
    json_ok(r, 201).await;
    (id, email)
}

async fn record(app: &TestApp, token: &str, date: &str, value: i64, category: &str, local: bool) {
    let body = json!({"date": date, "value": value, "description": "Belanja uji", "category": category,
                      "supplier_name": "Penyedia Uji", "supplier_local_umkm": local});
    json_ok(app.post("/api/v1/procurement/purchases", Some(token), body).await, 201).await;
}

async fn purchases(app: &TestApp, buyer_id: i64) -> usize {
    use etalase_db::entities::procurement_purchase as p;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    p::Entity::find()
        .filter(p::Column::BuyerId.eq(buyer_id))
        .all(&app.state.db)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn the_dinas_reads_the_procurement_dashboard_on_a_phone() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (a, a_email) = buyer(&app, &dinas, "Dinas Pendidikan Uji").await;
    let (b_id, b_email) = buyer(&app, &dinas, "Perumda Pasar Uji").await;
    let ta = app.login(&a_email, PASSWORD).await;
    let tb = app.login(&b_email, PASSWORD).await;
    // January exactly 40%; February 39.99%.
    record(&app, &ta, "2026-01-31", 400_000, "makanan_rapat", true).await;
    record(&app, &ta, "2026-01-02", 600_000, "lainnya", false).await;
    record(&app, &tb, "2026-02-01", 3_999, "cenderamata", true).await;
    record(&app, &tb, "2026-02-28", 6_001, "lainnya", false).await;

    let mut br = Driver::start().await;
    br.shots_in("procurement_dashboard");
    br.phone().await;
    br.sign_in(&app.url("/masuk"), &dinas.email, &dinas.password).await;
    assert_eq!(br.text("header nav a[href='/dinas/pengadaan']").await, "Pengadaan daerah");
    br.click("header nav a[href='/dinas/pengadaan']").await;
    let url = br.wait_for_url(|u| u.contains("/dinas/pengadaan")).await;
    assert!(url.ends_with("/dinas/pengadaan"), "{url}");
    assert!(br.wait_for_text("id=\"shares\"").await, "the table of shares is shown");
    assert!(!br.overflows_sideways().await, "the dashboard fits a phone");
    let jan_a = br.text(&format!("tr[data-buyer='{a}'] td[data-month='1']")).await;
    assert!(
        jan_a.contains("40,00%") && jan_a.contains("Memenuhi") && jan_a.contains('✔'),
        "{jan_a}"
    );
    let feb_b = br.text(&format!("tr[data-buyer='{b_id}'] td[data-month='2']")).await;
    assert!(
        feb_b.contains("39,99%") && feb_b.contains("Belum memenuhi") && feb_b.contains('✘'),
        "{feb_b}"
    );
    let mar_a = br.text(&format!("tr[data-buyer='{a}'] td[data-month='3']")).await;
    assert!(mar_a.contains("Belum ada data"), "{mar_a}");
    br.script("document.getElementById('per-bulan').scrollIntoView();").await;
    br.screenshot("bulan").await;
    let food = br.text("#categories tr[data-category='makanan_rapat']").await;
    assert!(food.contains("Rp400.000") && food.contains("100,00%"), "{food}");
    let href =
        br.script("return document.getElementById('download-xlsx').getAttribute('href');").await;
    assert_eq!(href, json!("/dinas/pengadaan.xlsx?tahun=2026"));
    // The download answers with the XLSX file through the signed-in session.
    br.script("document.getElementById('kategori').scrollIntoView();").await;
    br.screenshot("kategori").await;
    // Filtered to one buyer: only its row.
    br.goto(&app.url(&format!("/dinas/pengadaan?tahun=2026&pembeli={b_id}"))).await;
    assert!(br.wait_for_text("id=\"shares\"").await);
    let rows = br.script("return document.querySelectorAll('#shares tbody tr').length;").await;
    assert_eq!(rows, json!(1));
    br.quit().await;
}

#[tokio::test]
async fn a_buyer_adds_a_purchase_after_an_empty_field_is_named() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (id, email) = buyer(&app, &dinas, "Kecamatan Curug Uji").await;

    let mut br = Driver::start().await;
    br.shots_in("procurement_buyer");
    br.phone().await;
    br.sign_in(&app.url("/masuk"), &email, PASSWORD).await;
    let url = br.wait_for_url(|u| u.contains("/pengadaan")).await;
    assert!(url.ends_with("/pengadaan"), "a buyer lands on its own page: {url}");
    assert!(br.wait_for_text("Kecamatan Curug Uji").await);
    assert!(br.exists("#no-purchases").await);
    assert!(!br.overflows_sideways().await, "the buyer's page fits a phone");

    // Everything but the description.
    br.fill("#date", "").await;
    br.script("document.getElementById('date').value = '2026-05-31';").await;
    br.fill("#value", "2.500.000").await;
    br.select("#category", "makanan_rapat").await;
    br.fill("#supplier_name", "Katering Bu Imas").await;
    br.click("input[name=supplier_local_umkm][value=ya]").await;
    br.click("#purchase-save").await;
    assert!(br.wait_for_text("Uraian belanja wajib diisi.").await, "the empty field is named");
    assert!(br.exists("#description[aria-invalid=true]").await);
    assert_eq!(purchases(&app, id).await, 0, "nothing saved");
    let kept = br.script("return document.getElementById('value').value;").await;
    assert_eq!(kept, json!("2.500.000"), "what was typed is kept");
    assert!(!br.overflows_sideways().await);
    br.screenshot("uraian-kosong").await;

    br.fill("#description", "Nasi kotak rapat koordinasi").await;
    br.click("#purchase-save").await;
    assert!(br.wait_for_text("dicatat untuk Mei 2026").await, "the message says what was saved");
    let flash = br.text(".alert.ok").await;
    assert!(flash.contains("Rp2.500.000") && flash.contains("Katering Bu Imas"), "{flash}");
    assert_eq!(purchases(&app, id).await, 1);
    let row = br.text("#purchases tbody tr").await;
    assert!(
        row.contains("31 Mei 2026") && row.contains("Rp2.500.000") && row.contains("UMKM lokal"),
        "{row}"
    );
    let may = br.text("#months tr[data-month='5']").await;
    assert!(may.contains("100,00%") && may.contains("Memenuhi"), "{may}");
    assert!(br.text("#budget").await.contains("12,50%"), "2.5 of 20 million used");
    br.screenshot("tercatat").await;
    br.quit().await;
}
