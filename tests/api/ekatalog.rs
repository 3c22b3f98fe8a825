//! The local e-katalog export (Pasal 10(1)(f)): a complete product is a row whose every column
//! is read back against the database; products missing something are listed with every reason
//! and never exported; CSV and XLSX carry the same rows; only the Dinas and admins see it.

use calamine::{Data, Reader, Xlsx};
use etalase_domain::roles::Role;
use image::ImageFormat;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::photos::{photo, upload};

/// A verified business's product with a photo and a P-IRT, published: ready for the e-katalog.
pub async fn ready_product(app: &TestApp) -> (Caller, i64, i64) {
    let (owner, producer) = app.umkm_with_producer().await;
    app.verify_producer(producer).await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let r =
        upload(app, &owner.token, id, vec![("a.jpg", photo(900, 700, 3, ImageFormat::Jpeg))]).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
    let r = app
        .post(
            &format!("/api/v1/products/{id}/certificates"),
            Some(&owner.token),
            json!({"kind": "pirt", "number": "2013673010234-29"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
    app.act(id, "submit", &owner.token).await;
    let dinas = app.user(Role::Dinas).await;
    app.act(id, "publish", &dinas.token).await;
    (owner, producer, id)
}

fn codes(b: &Value) -> Vec<&str> {
    b["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn a_complete_product_is_exported_column_by_column_and_the_rest_say_what_they_lack() {
    let app = spawn_app().await;
    let (_, producer, ready) = ready_product(&app).await;
    // Published, but no photo and no food permit.
    let (_, bare) = app.published_product().await;
    // A draft of an unverified business.
    let (owner, _) = app.umkm_with_producer().await;
    let draft = app.draft_product(&owner).await["id"].as_i64().unwrap();

    let dinas = app.user(Role::Dinas).await;
    let v = app.read("/api/v1/ekatalog", Some(&dinas.token)).await;
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{v}");
    let r = &rows[0];
    // Every column against the database.
    let p = etalase_db::repo::products::find(&app.state.db, ready).await.unwrap().unwrap();
    let pr = etalase_db::repo::producers::find(&app.state.db, producer).await.unwrap().unwrap();
    assert_eq!(r["product_id"], ready);
    assert_eq!(r["kode_produk"], format!("ETL-{ready}"));
    assert_eq!(r["nama_produk"], p.name.as_str());
    assert_eq!(r["kategori"], "Makanan ringan");
    assert_eq!(r["satuan"], "kemasan 250 g");
    assert_eq!(r["harga_satuan"].as_i64(), p.retail_price);
    assert_eq!(r["harga_grosir"].as_i64(), p.wholesale_price);
    assert_eq!(r["minimal_pesanan"].as_i64(), p.min_order);
    assert_eq!(r["kapasitas_per_bulan"].as_i64(), p.monthly_capacity);
    assert_eq!(r["nib_penyedia"], pr.nib.as_deref().unwrap());
    assert_eq!(r["nama_penyedia"], pr.name.as_str());
    assert_eq!(r["produk_dalam_negeri"], "Ya");
    let spec = r["spesifikasi"].as_str().unwrap();
    assert!(spec.starts_with(p.description.trim()) && spec.contains("Isi bersih 250 g"), "{spec}");
    assert!(spec.contains("Masa simpan 180 hari"), "{spec}");
    assert!(!r["kelurahan"].as_str().unwrap().is_empty() && r["kecamatan"] != "");
    let foto = r["foto"].as_array().unwrap();
    assert_eq!(foto.len(), 1);
    let url = foto[0].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:") && url.contains("/media/"), "{url}");
    let got = app.client.get(url).send().await.unwrap();
    assert_eq!(got.status(), 200, "the photo address works outside the site");
    let certs = r["sertifikat"].as_array().unwrap();
    assert_eq!(certs.len(), 1);
    assert!(certs[0].as_str().unwrap().contains("2013673010234-29"), "{certs:?}");

    let blocked = v["blocked"].as_array().unwrap();
    let of = |id: i64| blocked.iter().find(|b| b["product_id"] == id).unwrap();
    assert_eq!(codes(of(bare)), ["no_photo", "no_food_permit"]);
    assert_eq!(
        codes(of(draft)),
        ["not_published", "producer_not_verified", "no_photo", "no_food_permit"]
    );
    assert!(blocked.iter().all(|b| b["product_id"] != ready));
    assert!(of(draft)["reasons"][0]["message"].as_str().unwrap().contains("belum tayang"));
}

#[tokio::test]
async fn csv_and_xlsx_carry_the_same_rows_and_the_xlsx_lists_what_the_rest_lack() {
    let app = spawn_app().await;
    let (_, _, a) = ready_product(&app).await;
    let (_, _, b) = ready_product(&app).await;
    let (_, bare) = app.published_product().await;
    let dinas = app.user(Role::Dinas).await;

    let r = app.get("/api/v1/ekatalog/export.csv", Some(&dinas.token)).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("e-katalog-lokal-"));
    let text = r.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 with BOM");
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!((header[0], header.len()), ("kode_produk", 18));
    // (The test products' texts hold no line breaks: one line per row.)
    let codes_csv: Vec<String> = lines.map(|l| l.split(',').next().unwrap().to_string()).collect();
    assert_eq!(codes_csv, [format!("ETL-{a}"), format!("ETL-{b}")]);

    let r = app.get("/api/v1/ekatalog/export.xlsx", Some(&dinas.token)).await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let ready = wb.worksheet_range("E-Katalog Lokal").unwrap();
    let col0: Vec<String> = ready.rows().skip(1).map(|row| row[0].to_string()).collect();
    assert_eq!(col0, codes_csv, "the same rows as the CSV");
    assert_eq!(ready.rows().nth(1).unwrap()[5], Data::Float(28_000.0), "prices are numbers");
    let rest = wb.worksheet_range("Belum bisa diekspor").unwrap();
    let lacking: Vec<(String, String)> =
        rest.rows().skip(1).map(|row| (row[0].to_string(), row[4].to_string())).collect();
    assert_eq!(lacking.len(), 1);
    assert_eq!(lacking[0].0, bare.to_string());
    assert!(lacking[0].1.contains("foto"), "{lacking:?}");
}

#[tokio::test]
async fn only_the_dinas_and_admins_see_the_export() {
    let app = spawn_app().await;
    ready_product(&app).await;
    for role in [Role::Umkm, Role::Store, Role::Chain] {
        let c = app.user(role).await;
        for path in
            ["/api/v1/ekatalog", "/api/v1/ekatalog/export.csv", "/api/v1/ekatalog/export.xlsx"]
        {
            expect_problem(app.get(path, Some(&c.token)).await, 403, "forbidden").await;
        }
    }
    expect_problem(app.get("/api/v1/ekatalog", None).await, 401, "unauthenticated").await;
    let admin = app.user(Role::Admin).await;
    assert_eq!(
        app.read("/api/v1/ekatalog", Some(&admin.token)).await["rows"].as_array().unwrap().len(),
        1
    );
}

#[tokio::test]
async fn the_dinas_page_counts_pages_and_downloads() {
    let app = spawn_app().await;
    let (_, _, ready) = ready_product(&app).await;
    let (_, bare) = app.published_product().await;
    let dinas = app.user(Role::Dinas).await;
    let (web, _) = app.web_login(&dinas).await;
    let html = web.get(app.url("/dinas/ekatalog")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<strong id=\"ready-count\">1</strong>"), "{html}");
    assert!(html.contains("<strong id=\"blocked-count\">1</strong>"));
    assert!(html.contains(&format!("data-product=\"{ready}\"")));
    assert!(
        html.contains(&format!("data-product=\"{bare}\""))
            && html.contains("data-code=\"no_photo\"")
    );
    assert!(html.contains("href=\"/dinas/ekatalog\">E-Katalog</a>"), "in the menu");
    let csv = web.get(app.url("/dinas/ekatalog.csv")).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.text().await.unwrap().contains(&format!("ETL-{ready}")));
    let xlsx = web.get(app.url("/dinas/ekatalog.xlsx")).send().await.unwrap();
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    // A store manager's session gets the 403 page, not the list.
    let store = app.user(Role::Store).await;
    let (web, _) = app.web_login(&store).await;
    let r = web.get(app.url("/dinas/ekatalog")).send().await.unwrap();
    assert_eq!(r.status(), 403);
}
