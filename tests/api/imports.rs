//! The Dinas' imports of businesses and products: every problem of every row reported at once
//! (CSV and XLSX) and nothing saved; names matched forgivingly and shown; a clean file saved in
//! one go; the same file again changes nothing; a changed row updates and is audited; products
//! of a business in pendampingan cannot be published until its NIB is verified; templates
//! explain their columns; only the Dinas imports.

use calamine::{Reader, Xlsx};
use etalase_db::entities::{audit, producer, product};
use etalase_domain::ProducerStatus;
use etalase_domain::roles::Role;
use reqwest::Response;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::*;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub async fn post_file(
    app: &TestApp,
    path: &str,
    token: &str,
    bytes: Vec<u8>,
    ct: &str,
) -> Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", ct)
        .body(bytes)
        .send()
        .await
        .expect("sent")
}

pub async fn preview(app: &TestApp, kind: &str, token: &str, csv: &str) -> Value {
    let r =
        post_file(app, &format!("/api/v1/imports/{kind}/preview"), token, csv.into(), "text/csv")
            .await;
    json_ok(r, 200).await
}

pub async fn save(app: &TestApp, kind: &str, token: &str, csv: &str) -> Response {
    post_file(app, &format!("/api/v1/imports/{kind}"), token, csv.into(), "text/csv").await
}

async fn producers(app: &TestApp) -> u64 {
    producer::Entity::find().count(&app.state.db).await.unwrap()
}

pub const BUSINESSES: &str = "\
id_eksternal,nama_usaha,nama_pemilik,nib,skala,tingkat_risiko,alamat,kelurahan,whatsapp
BIN-1,Emping Bu Sari,Sari Wulandari,9120001234567,mikro,Menengah Rendah,Jl. Raya Taktakan 1,Kel. Banjarsari,081234567890
BIN-2,Kopi Pak Ujang,Ujang Sutisna,,Kecil,rendah,Jl. Kopi 2,cipocok,081234567891
";

const BAD_BUSINESSES: &str = "\
id_eksternal,nama_usaha,nama_pemilik,nib,skala,tingkat_risiko,alamat,kelurahan,whatsapp
BIN-1,Emping Bu Sari,Sari Wulandari,9120001234567,mikro,rendah,Jl. Raya 1,Banjarsari,081234567890
,X,,12345,raksasa,sedang,,Atlantis,
BIN-1,Emping Lagi,Ani,,mikro,rendah,Jl. Raya 2,Banjarsari,081234567890
";

fn assert_bad_rows(errors: &[Value]) {
    let at = |line: i64| -> Vec<&str> {
        errors.iter().filter(|e| e["line"] == line).map(|e| e["field"].as_str().unwrap()).collect()
    };
    for col in [
        "nama_usaha",
        "nama_pemilik",
        "nib",
        "skala",
        "tingkat_risiko",
        "alamat",
        "kelurahan",
        "whatsapp",
    ] {
        assert!(at(3).contains(&col), "line 3 names {col}: {errors:?}");
    }
    assert_eq!(at(4), ["id_eksternal"], "the repeated id on line 4: {errors:?}");
    assert!(errors.iter().all(|e| !e["message"].as_str().unwrap().is_empty()));
    assert!(errors.iter().any(|e| e["message"].as_str().unwrap().contains("Atlantis")));
}

#[tokio::test]
async fn every_problem_of_a_csv_is_reported_at_once_and_nothing_is_saved() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let before = producers(&app).await;

    let p = preview(&app, "usaha", &dinas.token, BAD_BUSINESSES).await;
    assert_eq!(p["clean"], false);
    assert_bad_rows(p["errors"].as_array().unwrap());
    assert_eq!(p["total_rows"], 3);

    let r = save(&app, "usaha", &dinas.token, BAD_BUSINESSES).await;
    let problem = expect_problem(r, 422, "validation_failed").await;
    let f = fields(&problem);
    assert!(
        f.contains(&"rows[3].kelurahan".to_string())
            && f.contains(&"rows[4].id_eksternal".to_string()),
        "{f:?}"
    );
    assert_eq!(producers(&app).await, before, "nothing saved, not even the good line 2");
}

#[tokio::test]
async fn the_same_problems_are_reported_from_an_xlsx() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, line) in BAD_BUSINESSES.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            if !cell.is_empty() {
                ws.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    let r = post_file(&app, "/api/v1/imports/usaha/preview", &dinas.token, bytes, XLSX).await;
    let p = json_ok(r, 200).await;
    assert_bad_rows(p["errors"].as_array().unwrap());
    assert_eq!(producers(&app).await, 0);
}

#[tokio::test]
async fn a_clean_list_is_saved_with_names_matched_and_saving_it_again_changes_nothing() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;

    let p = preview(&app, "usaha", &dinas.token, BUSINESSES).await;
    assert_eq!((p["clean"].as_bool(), p["new"].as_u64()), (Some(true), Some(2)), "{p}");
    let matched: Vec<String> = p["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["matched"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string())
        })
        .collect();
    assert!(
        matched.iter().any(|m| m.contains("Kel. Banjarsari") && m.contains("Banjarsari (36.73")),
        "{matched:?}"
    );
    assert!(
        matched.iter().any(|m| m.contains("\"cipocok\"") && m.contains("Cipocok Jaya")),
        "{matched:?}"
    );
    assert_eq!(producers(&app).await, 0, "a preview writes nothing");

    let saved = json_ok(save(&app, "usaha", &dinas.token, BUSINESSES).await, 201).await;
    assert_eq!((saved["new"].as_u64(), saved["updated"].as_u64()), (Some(2), Some(0)));
    let rows = producer::Entity::find().all(&app.state.db).await.unwrap();
    let sari = rows.iter().find(|p| p.external_id.as_deref() == Some("BIN-1")).unwrap();
    assert_eq!(sari.status, ProducerStatus::Verified, "with a NIB: verified by the importer");
    assert_eq!((sari.reviewed_by, sari.owner_user_id), (Some(dinas.user_id), None));
    assert_eq!(sari.kelurahan_code, "36.73.05.1005", "Kel. Banjarsari");
    let ujang = rows.iter().find(|p| p.external_id.as_deref() == Some("BIN-2")).unwrap();
    assert_eq!((ujang.status, ujang.nib.as_deref()), (ProducerStatus::Pendampingan, None));
    assert_eq!(ujang.companion_user_id, Some(dinas.user_id));
    assert_eq!(ujang.kelurahan_code, "36.73.05.1001", "cipocok → Cipocok Jaya");

    let again = json_ok(save(&app, "usaha", &dinas.token, BUSINESSES).await, 201).await;
    assert_eq!(
        (again["new"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(0), Some(2))
    );
    let after = producer::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(after, rows, "the same file again changes nothing, not even a version");

    // A changed row: an update, audited with what changed; the NIB entered for BIN-2 ends its
    // pendampingan.
    let changed = BUSINESSES
        .replace("Jl. Kopi 2,", "Jl. Kopi Baru 20,")
        .replace(",,Kecil,", ",9120007654321,Kecil,");
    let p = preview(&app, "usaha", &dinas.token, &changed).await;
    let row = p["rows"].as_array().unwrap().iter().find(|r| r["line"] == 3).unwrap().clone();
    assert_eq!(row["action"], "update");
    assert_eq!(row["changes"], json!(["NIB", "alamat"]));
    json_ok(save(&app, "usaha", &dinas.token, &changed).await, 201).await;
    let u = producer::Entity::find_by_id(ujang.id).one(&app.state.db).await.unwrap().unwrap();
    assert_eq!(
        (u.address.as_str(), u.nib.as_deref(), u.status),
        ("Jl. Kopi Baru 20", Some("9120007654321"), ProducerStatus::Verified)
    );
    assert_eq!(u.version, ujang.version + 1);
    let trail = audit::Entity::find()
        .filter(audit::Column::Action.eq("producer_import_update"))
        .filter(audit::Column::EntityId.eq(ujang.id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].actor_user_id, Some(dinas.user_id));
    assert!(trail[0].detail.as_deref().unwrap().contains("NIB, alamat"), "{:?}", trail[0].detail);
}

const PRODUCTS: &str = "\
usaha,kode_produk,nama_produk,kategori,isi_bersih,satuan,harga_grosir,harga_eceran,no_pirt
9120001234567,E-250,Emping Melinjo Pedas,MAKANAN RINGAN,250,gram,Rp 12.000,15.000,2013673010234-29
BIN-2,,Kopi Bubuk Robusta,minuman,200,g,20000,25000,
";

#[tokio::test]
async fn products_are_imported_as_drafts_idempotently_and_pendampingan_keeps_them_unpublished() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    json_ok(save(&app, "usaha", &dinas.token, BUSINESSES).await, 201).await;

    let unknown = PRODUCTS.replace("BIN-2,", "BIN-9,");
    let p = preview(&app, "produk", &dinas.token, &unknown).await;
    let e = &p["errors"][0];
    assert_eq!((e["line"].as_i64(), e["field"].as_str()), (Some(3), Some("usaha")), "{p}");

    let saved = json_ok(save(&app, "produk", &dinas.token, PRODUCTS).await, 201).await;
    assert_eq!(saved["new"], 2);
    let all = product::Entity::find().all(&app.state.db).await.unwrap();
    let emping = all.iter().find(|p| p.external_id.as_deref() == Some("E-250")).unwrap();
    assert_eq!(
        (emping.wholesale_price, emping.retail_price, emping.category.as_str()),
        (Some(12_000), Some(15_000), "makanan-ringan")
    );
    let certs =
        etalase_db::repo::certificates::for_product(&app.state.db, emping.id).await.unwrap();
    assert_eq!(certs.len(), 1);
    assert_eq!(certs[0].checked_by, None, "an imported certificate waits for the Dinas' check");

    let again = json_ok(save(&app, "produk", &dinas.token, PRODUCTS).await, 201).await;
    assert_eq!((again["new"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(2)));
    assert_eq!(product::Entity::find().count(&app.state.db).await.unwrap(), 2);
    assert_eq!(
        etalase_db::repo::certificates::for_product(&app.state.db, emping.id).await.unwrap().len(),
        1
    );

    // The coffee belongs to a business in pendampingan: it cannot be verified without a NIB,
    // and its product cannot be published.
    let kopi = all.iter().find(|p| p.name == "Kopi Bubuk Robusta").unwrap();
    let r = app
        .post(
            &format!("/api/v1/producers/{}/verify", kopi.producer_id),
            Some(&dinas.token),
            json!({}),
        )
        .await;
    expect_problem(r, 409, "nib_missing").await;
    let r = app
        .post(&format!("/api/v1/products/{}/publish", kopi.id), Some(&dinas.token), json!({}))
        .await;
    assert!(
        r.status().is_client_error(),
        "a pendampingan product is not published: {}",
        r.status()
    );
    let now = product::Entity::find_by_id(kopi.id).one(&app.state.db).await.unwrap().unwrap();
    assert_eq!(now.status, etalase_domain::ListingStatus::Draft);
}

#[tokio::test]
async fn a_business_its_owner_manages_is_not_changed_by_an_import() {
    let app = spawn_app().await;
    let (_, id) = app.umkm_with_producer().await;
    let dinas = app.user(Role::Dinas).await;
    let m = producer::Entity::find_by_id(id).one(&app.state.db).await.unwrap().unwrap();
    let csv = format!(
        "nama_usaha,nama_pemilik,nib,skala,tingkat_risiko,alamat,kelurahan,whatsapp\nNama Lain Sekali,{},{},mikro,rendah,{},{},081234567890\n",
        m.owner_name,
        m.nib.clone().unwrap(),
        m.address,
        m.kelurahan_code
    );
    let p = preview(&app, "usaha", &dinas.token, &csv).await;
    assert_eq!(p["errors"][0]["code"], "owned_business", "{p}");
    expect_problem(save(&app, "usaha", &dinas.token, &csv).await, 422, "validation_failed").await;
    let after = producer::Entity::find_by_id(id).one(&app.state.db).await.unwrap().unwrap();
    assert_eq!(after.name, m.name);
}

#[tokio::test]
async fn only_the_dinas_imports_and_downloads_templates() {
    let app = spawn_app().await;
    for role in [Role::Umkm, Role::Store, Role::Chain] {
        let c = app.user(role).await;
        expect_problem(save(&app, "usaha", &c.token, BUSINESSES).await, 403, "forbidden").await;
        let r = app.get("/api/v1/imports/usaha/template.xlsx", Some(&c.token)).await;
        assert_eq!(r.status(), 403);
    }
    assert_eq!(save(&app, "usaha", "", BUSINESSES).await.status(), 401);
    let dinas = app.user(Role::Dinas).await;
    let r = save(&app, "lainnya", &dinas.token, BUSINESSES).await;
    assert_eq!(r.status(), 400);
    assert_eq!(producers(&app).await, 0);
}

#[tokio::test]
async fn templates_explain_every_column_and_their_example_previews_clean() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    for kind in ["usaha", "produk"] {
        let r = app.get(&format!("/api/v1/imports/{kind}/template.xlsx"), Some(&dinas.token)).await;
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap().to_vec();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        assert_eq!(wb.sheet_names().len(), 2);
        let explain = wb.worksheet_range("Penjelasan").unwrap();
        let header = wb.worksheet_range(&wb.sheet_names()[0].clone()).unwrap();
        let columns: Vec<String> =
            header.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        for (i, col) in columns.iter().enumerate() {
            let line: Vec<String> =
                explain.rows().nth(i + 1).unwrap().iter().map(|c| c.to_string()).collect();
            assert_eq!(&line[0], col);
            assert!(line[2].len() > 10, "{col} is explained: {line:?}");
        }
        // The XLSX template itself, posted back, reads as a file of one data row.
        let p = json_ok(
            post_file(&app, &format!("/api/v1/imports/{kind}/preview"), &dinas.token, bytes, XLSX)
                .await,
            200,
        )
        .await;
        assert_eq!(p["total_rows"], 1, "{p}");
        if kind == "usaha" {
            assert_eq!(p["clean"], true, "the business example is a valid row: {p}");
        } else {
            // The product example names a business that is not there yet, and only that.
            let errs = p["errors"].as_array().unwrap();
            assert_eq!(errs.len(), 1, "{p}");
            assert_eq!(errs[0]["field"], "usaha");
        }
        let csv = app
            .get(&format!("/api/v1/imports/{kind}/template.csv"), Some(&dinas.token))
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(csv.lines().next().unwrap().split(',').count(), columns.len());
    }
}
