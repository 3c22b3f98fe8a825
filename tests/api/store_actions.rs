//! The store manager's and the UMKM's daily actions through the pages, as a browser sends
//! them: the shortlist from a product page (only the store's own side, only its own list),
//! the warning when a product fails the store's own standard, the store's own compliance
//! status, and the steps that ask first (submit without photo or certificate, delete a
//! certificate or a photo).

use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::agreements::world;
use crate::helpers::*;
use crate::standards::{baseline_requirements, create_standard};

async fn page(web: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let r = web.get(app.url(path)).send().await.expect("sent");
    (r.status().as_u16(), r.text().await.expect("html"))
}

async fn post(
    web: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, String)],
) -> (u16, String, String) {
    let r = web.post(app.url(path)).form(form).send().await.expect("sent");
    let to = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (r.status().as_u16(), to, r.text().await.expect("body"))
}

fn shortlist_form(csrf: &str, store: i64, product: i64, op: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_string()),
        ("store_id", store.to_string()),
        ("product_id", product.to_string()),
        ("op", op.to_string()),
        ("kembali", format!("/katalog/{product}")),
    ]
}

#[tokio::test]
async fn a_manager_shortlists_from_the_product_page_and_no_one_else_sees_or_touches_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (web, csrf) = app.web_login(&w.manager).await;
    let (status, html) = page(&web, &app, &format!("/katalog/{}", w.product)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Simpan ke daftar pendek"), "{html}");
    assert!(
        html.contains(&format!("/perjanjian/baru?toko={}&amp;produk={}", w.store, w.product)),
        "Ajukan penempatan goes to the form with this store and product: {html}"
    );

    let (status, to, _) = post(
        &web,
        &app,
        "/toko/rekomendasi/pilih",
        &shortlist_form(&csrf, w.store, w.product, "tambah"),
    )
    .await;
    assert_eq!((status, to.as_str()), (303, format!("/katalog/{}", w.product).as_str()));
    let (_, html) = page(&web, &app, &format!("/katalog/{}", w.product)).await;
    assert!(html.contains("Produk disimpan ke daftar pendek."), "flash after shortlisting");
    assert!(html.contains("Hapus dari daftar pendek"), "the button turns into remove");
    let (_, html) = page(&web, &app, "/toko").await;
    assert!(html.contains(&format!("id=\"pendek-{}\"", w.product)), "on the store's shortlist");

    // Another chain's manager neither sees this list nor can add to it.
    let other =
        crate::stores::manager(&app, crate::stores::chain(&app, "LN").await, w.other_store).await;
    let (web2, csrf2) = app.web_login(&other).await;
    let (_, html) = page(&web2, &app, "/toko").await;
    assert!(!html.contains(&format!("id=\"pendek-{}\"", w.product)), "not on another store's list");
    let (status, _, body) = post(
        &web2,
        &app,
        "/toko/rekomendasi/pilih",
        &shortlist_form(&csrf2, w.store, w.product, "tambah"),
    )
    .await;
    assert_eq!(status, 403, "another store's shortlist is not its to change: {body}");
    let r = app.get(&format!("/api/v1/stores/{}/shortlist", w.store), Some(&other.token)).await;
    assert_eq!(r.status(), 404, "another store's shortlist is not even visible");

    // A UMKM has no shortlist.
    let (web3, csrf3) = app.web_login(&w.umkm).await;
    let (status, _, _) = post(
        &web3,
        &app,
        "/toko/rekomendasi/pilih",
        &shortlist_form(&csrf3, w.store, w.product, "tambah"),
    )
    .await;
    assert_eq!(status, 403);
    let (_, html) = page(&web3, &app, &format!("/katalog/{}", w.product)).await;
    assert!(!html.contains("Simpan ke daftar pendek"), "no store buttons for a UMKM");

    let (status, _, _) = post(
        &web,
        &app,
        "/toko/rekomendasi/pilih",
        &shortlist_form(&csrf, w.store, w.product, "hapus"),
    )
    .await;
    assert_eq!(status, 303);
    let (_, html) = page(&web, &app, "/toko").await;
    assert!(html.contains("Produk dihapus dari daftar pendek."), "flash after removing");
    assert!(!html.contains(&format!("id=\"pendek-{}\"", w.product)), "removed from the list");
}

#[tokio::test]
async fn a_product_failing_the_stores_standard_is_flagged_on_the_product_page_form_and_toko_potensial()
 {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    create_standard(&app, &dinas.token, baseline_requirements()).await;
    app.drain_jobs().await;
    let w = world(&app).await;
    let (web, _) = app.web_login(&w.manager).await;

    let (_, html) = page(&web, &app, &format!("/katalog/{}", w.product)).await;
    assert!(html.contains("Belum memenuhi standar toko Anda"), "{html}");
    assert!(html.contains("Belum ada Izin edar (P-IRT atau BPOM MD)"), "what is missing: {html}");

    let (status, html) =
        page(&web, &app, &format!("/perjanjian/baru?toko={}&produk={}", w.store, w.product)).await;
    assert_eq!(status, 200);
    let warning = html.split("id=\"standard-warning\"").nth(1).expect("the standard warning");
    assert!(warning.contains("belum memenuhi standar produk gerai"), "{warning}");
    assert!(warning.contains("Belum ada Izin edar (P-IRT atau BPOM MD)"), "{warning}");
    assert!(html.contains("Kirim pengajuan"), "the proposal may still be sent");

    let (web_u, _) = app.web_login(&w.umkm).await;
    let (status, html) =
        page(&web_u, &app, &format!("/produk-saya/{}/toko-potensial", w.product)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Belum memenuhi standar gerai ini"), "{html}");
    // Both stores fail the city baseline: none is offered, both are listed with what is missing.
    assert!(html.contains("Belum ada gerai yang cocok."), "{html}");
    let failing = html.split("id=\"belum-memenuhi\"").nth(1).expect("the failing section");
    assert!(failing.contains(&format!("id=\"toko-{}\"", w.store)), "{failing}");
    assert!(!failing.contains("Ajukan penempatan"));
}

#[tokio::test]
async fn the_manager_sees_the_stores_own_compliance_status_with_its_shortfalls() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let dinas = app.user(Role::Dinas).await;
    let (web, _) = app.web_login(&w.manager).await;
    let (_, html) = page(&web, &app, "/toko").await;
    assert!(!html.contains("id=\"compliance-level\""), "no status before the Dinas sets a policy");

    let body = json!({"min_agreements": 2, "min_products": 3, "min_producers": 2, "effective_from": "2026-06-01"});
    json_ok(app.post("/api/v1/compliance/policies", Some(&dinas.token), body).await, 201).await;
    let (_, html) = page(&web, &app, "/toko").await;
    let status = html.split("id=\"compliance-level\">").nth(1).expect("status badge");
    assert!(status.starts_with("Tidak patuh"), "{status}");
    assert!(html.contains("0 dari minimal 2"), "figures against the policy: {html}");
    assert!(html.contains("href=\"/kepatuhan/teguran\""), "a link to its notices");
    let (status, _) = page(&web, &app, "/kepatuhan/teguran").await;
    assert_eq!(status, 200, "the manager may open its notices");
}

/// A UMKM's draft product (no photo, no certificate) and its web session.
async fn draft(app: &TestApp) -> (Caller, i64, reqwest::Client, String) {
    let (c, _) = app.umkm_with_producer().await;
    let p = app.draft_product(&c).await;
    let id = p["id"].as_i64().expect("id");
    let (web, csrf) = app.web_login(&c).await;
    (c, id, web, csrf)
}

async fn stored(app: &TestApp, c: &Caller, id: i64) -> Value {
    app.read(&format!("/api/v1/products/{id}"), Some(&c.token)).await
}

#[tokio::test]
async fn submitting_without_photo_or_certificate_asks_first_and_changes_nothing_until_confirmed() {
    let app = spawn_app().await;
    let (c, id, web, csrf) = draft(&app).await;
    let version = stored(&app, &c, id).await["version"].to_string();
    let form = vec![("csrf", csrf.clone()), ("action", "submit".into()), ("version", version)];
    let (status, _, html) = post(&web, &app, &format!("/produk-saya/{id}/aksi"), &form).await;
    assert_eq!(status, 200, "the page asks instead of submitting");
    assert!(html.contains("Produk belum punya foto dan sertifikat — tetap ajukan?"), "{html}");
    assert_eq!(stored(&app, &c, id).await["status"], "draft", "nothing changed");

    let mut confirmed = form.clone();
    confirmed.push(("confirm", "1".into()));
    let (status, to, _) = post(&web, &app, &format!("/produk-saya/{id}/aksi"), &confirmed).await;
    assert_eq!((status, to), (303, format!("/produk-saya/{id}")));
    assert_eq!(stored(&app, &c, id).await["status"], "submitted");
    let (_, html) = page(&web, &app, &format!("/produk-saya/{id}")).await;
    assert!(html.contains("Produk diajukan ke Dinas untuk ditinjau."), "flash after submitting");
}

#[tokio::test]
async fn deleting_a_certificate_asks_first_and_changes_nothing_until_confirmed() {
    let app = spawn_app().await;
    let (c, id, web, csrf) = draft(&app).await;
    let cert = json_ok(
        app.post(
            &format!("/api/v1/products/{id}/certificates"),
            Some(&c.token),
            json!({"kind": "halal", "number": "ID36110000123456", "issuer": "BPJPH"}),
        )
        .await,
        201,
    )
    .await;
    let cid = cert["id"].as_i64().expect("id");
    let path = format!("/produk-saya/{id}/sertifikat/{cid}/hapus");
    let (status, _, html) = post(&web, &app, &path, &[("csrf", csrf.clone())]).await;
    assert_eq!(status, 200);
    assert!(html.contains("Hapus sertifikat Halal (BPJPH) ID36110000123456?"), "{html}");
    assert_eq!(stored(&app, &c, id).await["certificates"].as_array().map(Vec::len), Some(1));

    let (status, _, _) =
        post(&web, &app, &path, &[("csrf", csrf.clone()), ("confirm", "1".into())]).await;
    assert_eq!(status, 303);
    assert_eq!(stored(&app, &c, id).await["certificates"].as_array().map(Vec::len), Some(0));
    let (_, html) = page(&web, &app, &format!("/produk-saya/{id}")).await;
    assert!(html.contains("Sertifikat dihapus."), "flash after deleting");
}

#[tokio::test]
async fn a_refused_certificate_keeps_what_was_typed_and_focuses_the_refused_field() {
    let app = spawn_app().await;
    let (_, id, web, csrf) = draft(&app).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("kind", "pirt")
        .text("number", "12345")
        .text("issuer", "Dinkes Kota Serang");
    let r = web
        .post(app.url(&format!("/produk-saya/{id}/sertifikat")))
        .multipart(form)
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("html");
    assert!(html.contains("id=\"cert-errors\""), "the error summary at the top of the form");
    assert!(
        html.contains("action=\"/produk-saya/") && html.contains("/sertifikat#tambah-sertifikat\"")
    );
    let number = html.split("id=\"number\"").nth(1).expect("number field");
    let number = number.split('>').next().unwrap_or_default();
    assert!(number.contains("value=\"12345\"") && number.contains("autofocus"), "{number}");
    assert!(html.contains("value=\"Dinkes Kota Serang\""), "the issuer is kept");
}

#[tokio::test]
async fn deleting_a_photo_asks_first_and_changes_nothing_until_confirmed() {
    let app = spawn_app().await;
    let (c, id, web, csrf) = draft(&app).await;
    let jpeg = crate::photos::photo(1200, 900, 3, image::ImageFormat::Jpeg);
    let r = crate::photos::upload(&app, &c.token, id, vec![("emping.jpg", jpeg)]).await;
    assert!(r.status().is_success(), "uploaded: {}", r.status());
    let photos = || async { stored(&app, &c, id).await["photos"].as_array().cloned().unwrap() };
    let pid = photos().await[0]["id"].as_i64().expect("photo id");
    let path = format!("/produk-saya/{id}/foto/{pid}");
    let form = vec![("csrf", csrf.clone()), ("action", "delete".into()), ("position", "0".into())];
    let (status, _, html) = post(&web, &app, &path, &form).await;
    assert_eq!(status, 200, "the page asks instead of deleting");
    assert!(html.contains("Hapus foto ini?") && html.contains("id=\"confirm-yes\""), "{html}");
    assert_eq!(photos().await.len(), 1, "nothing deleted yet");

    let mut confirmed = form.clone();
    confirmed.push(("confirm", "1".into()));
    let (status, _, _) = post(&web, &app, &path, &confirmed).await;
    assert_eq!(status, 303);
    assert_eq!(photos().await.len(), 0, "deleted after confirming");
    let (_, html) = page(&web, &app, &format!("/produk-saya/{id}")).await;
    assert!(html.contains("Foto dihapus."), "flash after deleting");
}
