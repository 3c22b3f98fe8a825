//! The two daily flows on a phone. A UMKM adds a product, uploads a photo, adds a certificate
//! (first with a mistake, whose message must be in view), reads its kelayakan and submits it.
//! A store manager searches the catalog by distance and "layak untuk standar toko saya",
//! opens a product that fails the store's standard, shortlists it, proposes a placement and
//! sees the warning with what is missing, then sends it.

use std::io::Cursor;

use etalase_domain::roles::Role;
use image::{ImageFormat, Rgb, RgbImage};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::webdriver::Driver;

/// A 1200×900 JPEG with a striped "product" in the middle (sharp edges, light background).
fn jpeg_file() -> std::path::PathBuf {
    let img = RgbImage::from_fn(1200, 900, |x, y| {
        let inside = x.abs_diff(600) < 300 && y.abs_diff(450) < 300;
        match (inside, (y / 6) % 2 == 0) {
            (true, true) => Rgb([190, 60, 30]),
            (true, false) => Rgb([250, 200, 40]),
            _ => Rgb([246, 245, 241]),
        }
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Jpeg).expect("encode");
    let path = std::env::temp_dir().join(format!("etalase-emping-{}.jpg", unique()));
    std::fs::write(&path, out.into_inner()).expect("write photo");
    path
}

/// The standard the tests use: an izin edar (P-IRT or BPOM MD) and the net content.
async fn baseline(app: &TestApp) {
    let dinas = app.user(Role::Dinas).await;
    let body = json!({"name": "Standar Dasar Kota Serang", "effective_from": "2026-06-01",
        "requirements": [{"kind": "certificate", "certificate": "izin_edar"}, {"kind": "net_content"}]});
    json_ok(app.post("/api/v1/standards", Some(&dinas.token), body).await, 201).await;
    app.drain_jobs().await;
}

/// Top and bottom of the first element matching `css` against the window height.
async fn in_view(b: &Driver, css: &str) -> bool {
    let v = b
        .script(&format!(
            "var e = document.querySelector({css:?}); if (!e) return false; \
             var r = e.getBoundingClientRect(); \
             return r.top >= -2 && r.top < window.innerHeight && r.right <= document.documentElement.clientWidth;"
        ))
        .await;
    v.as_bool().unwrap_or(false)
}

#[tokio::test]
async fn umkm_on_a_phone_adds_a_product_with_photo_and_certificate_and_submits_it() {
    let app = spawn_app().await;
    baseline(&app).await;
    let (umkm, _) = app.umkm_with_producer().await;
    let mut b = Driver::start().await;
    b.shots_in("store_flow_umkm");
    b.phone().await;
    b.sign_in(&app.url("/masuk"), &umkm.email, &umkm.password).await;

    b.goto(&app.url("/produk-saya/baru")).await;
    b.fill("#name", "Emping Melinjo Original").await;
    b.select("#category", "makanan-ringan").await;
    b.fill("#description", "Emping melinjo Taktakan tanpa bumbu.").await;
    b.fill("#net_content", "250").await;
    b.select("#net_unit", "g").await;
    b.fill("#retail_price", "25.000").await;
    b.click("#save-product").await;
    let url =
        b.wait_for_url(|u| u.rsplit('/').next().is_some_and(|s| s.parse::<i64>().is_ok())).await;
    let id: i64 = url.rsplit('/').next().and_then(|s| s.parse().ok()).expect("product page");
    assert!(b.wait_for_text("Produk disimpan.").await, "feedback after saving");
    assert!(in_view(&b, ".alert.ok").await, "the message is in view");
    b.screenshot("produk-disimpan").await;

    b.attach("#photos", &jpeg_file()).await;
    b.click("#upload-photos").await;
    assert!(b.wait_for_text("1 foto diunggah").await, "feedback after the upload");
    assert!(b.source().await.contains("Foto produk (1/8)"), "one photo listed");
    b.screenshot("foto-diunggah").await;

    // A P-IRT number with too few digits: the refusal must be in view on the phone.
    b.select("#kind", "pirt").await;
    b.fill("#number", "12345").await;
    b.click("#add-certificate").await;
    assert!(b.wait_for_text("Sertifikat belum tersimpan").await, "the certificate is refused");
    let top = b
        .script("return document.querySelector('.field-error, #cert-errors').getBoundingClientRect().top")
        .await
        .as_f64()
        .expect("top");
    let height = b.script("return window.innerHeight").await.as_f64().expect("height");
    assert!((0.0..height).contains(&top), "the error at {top}px is in the {height}px window");
    assert_eq!(
        b.script("return document.getElementById('number').value").await,
        "12345",
        "what was typed is kept"
    );
    b.screenshot("sertifikat-salah").await;

    b.fill("#number", "2013673010234-29").await;
    b.click("#add-certificate").await;
    assert!(b.wait_for_text("Sertifikat ditambahkan.").await, "feedback after adding");
    assert!(b.source().await.contains("2013673010234-29"), "certificate listed");
    b.script("document.querySelector('[id^=hapus-sertifikat-]').scrollIntoView()").await;
    let rect = b
        .script("var r = document.querySelector('[id^=hapus-sertifikat-]').getBoundingClientRect(); return [r.top, r.right, window.innerHeight, document.documentElement.clientWidth];")
        .await;
    assert!(
        in_view(&b, "[id^=hapus-sertifikat-]").await,
        "the certificate's Hapus fits the phone: {rect}"
    );
    assert!(!b.overflows_sideways().await, "no sideways scrolling on the product page");
    b.screenshot("sertifikat-ditambahkan").await;

    // Deleting the photo asks first; saying no keeps it.
    b.click(&format!("#foto-{} button[value='delete']", photo_id(&b).await)).await;
    let asked = b.answer_dialog(false).await;
    assert_eq!(asked, "Hapus foto ini?");
    assert!(b.source().await.contains("Foto produk (1/8)"), "the photo is still there");

    b.click("#kelayakan-link").await;
    assert!(b.wait_for_text("Kelayakan: Emping Melinjo Original").await);
    let verdict = b.text("article.card p .badge").await;
    assert_eq!(verdict, "Layak", "P-IRT and net content meet the city standard");
    b.screenshot("kelayakan").await;
    b.back().await;

    b.click("#submit-product").await;
    assert!(
        b.wait_for_text("Produk diajukan ke Dinas untuk ditinjau.").await,
        "no question: it has both"
    );
    assert!(in_view(&b, ".alert.ok").await, "the message is in view");
    assert!(b.source().await.contains("Produk sedang ditinjau Dinas"));
    let status: Value = app.read(&format!("/api/v1/products/{id}"), Some(&umkm.token)).await;
    assert_eq!(status["status"], "submitted");
    b.screenshot("produk-diajukan").await;
    b.quit().await;
}

async fn photo_id(b: &Driver) -> i64 {
    b.script("return parseInt(document.querySelector('.photo-card').id.replace('foto-', ''), 10)")
        .await
        .as_i64()
        .expect("photo id")
}

#[path = "store_world.rs"]
mod store_world;

#[tokio::test]
async fn a_store_manager_searches_shortlists_and_proposes_with_the_standard_warning() {
    let app = spawn_app().await;
    baseline(&app).await;
    let w = store_world::world(&app).await;
    let mut b = Driver::start().await;
    b.shots_in("store_flow_manager");
    b.phone().await;
    b.sign_in(&app.url("/masuk"), &w.manager.email, &w.manager.password).await;

    // Search: words, distance from the store, only products meeting the store's standard.
    let mut ready = false;
    for _ in 0..50 {
        b.goto(&app.url("/katalog?q=emping")).await;
        let src = b.source().await;
        if src.contains(&format!("href=\"/katalog/{}\"", w.failing))
            && src.contains(&format!("href=\"/katalog/{}\"", w.eligible))
        {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(ready, "both products indexed");
    b.click("details.more summary").await;
    b.fill("#radius_km", "25").await;
    b.select("#standard", "mine").await;
    b.press_enter("#q").await;
    let url = b.wait_for_url(|u| u.contains("standard=mine") && u.contains("radius_km=25")).await;
    assert!(url.contains("standard=mine"), "{url}");
    assert!(b.wait_for_text("Layak standar toko Anda").await);
    let src = b.source().await;
    assert!(src.contains(&format!("href=\"/katalog/{}\"", w.eligible)), "the eligible one stays");
    assert!(
        !src.contains(&format!("href=\"/katalog/{}\"", w.failing)),
        "the failing one is filtered out"
    );
    assert!(src.contains(" km</span>"), "distance from the store on the card");
    assert!(!b.overflows_sideways().await, "no sideways scrolling on the catalog");
    b.screenshot("katalog-layak").await;

    // Without the standard filter the failing product shows; open it.
    b.goto(&app.url("/katalog?q=emping&radius_km=25")).await;
    b.click(&format!("a[href='/katalog/{}']", w.failing)).await;
    assert!(b.wait_for_text("Belum memenuhi standar toko Anda").await, "the product page says so");
    assert!(b.text("#standar-toko").await.contains("Izin edar"), "and what is missing");
    b.click("#shortlist").await;
    assert!(
        b.wait_for_text("Produk disimpan ke daftar pendek.").await,
        "feedback after shortlisting"
    );
    assert!(in_view(&b, ".alert.ok").await);
    assert!(b.text("#shortlist").await.contains("Hapus dari daftar pendek"));
    b.screenshot("produk-daftar-pendek").await;

    b.click("#propose").await;
    assert!(b.wait_for_text("Kirim pengajuan").await, "the proposal form");
    let warning = b.text("#standard-warning").await;
    assert!(warning.contains("belum memenuhi standar produk gerai"), "{warning}");
    assert!(warning.contains("Izin edar"), "{warning}");
    let beside = b
        .script(
            "var c = document.querySelector('fieldset input[type=checkbox]'); \
             var l = c.parentElement.querySelector('b'); \
             var a = c.getBoundingClientRect(), t = l.getBoundingClientRect(); \
             return a.width < 40 && Math.abs(a.top - t.top) < 12 && a.right <= t.left;",
        )
        .await;
    assert_eq!(beside, true, "the checkbox sits beside its product name");
    assert!(!b.overflows_sideways().await, "no sideways scrolling on the form");
    b.screenshot("pengajuan-peringatan").await;
    b.script("document.querySelector('fieldset').scrollIntoView()").await;
    b.screenshot("pengajuan-produk").await;
    b.click("#send-agreement").await;
    assert!(b.wait_for_text("Pengajuan penempatan dikirim.").await, "feedback after sending");
    b.screenshot("pengajuan-terkirim").await;

    b.goto(&app.url("/toko")).await;
    assert!(b.exists(&format!("#pendek-{}", w.failing)).await, "on the store's shortlist");
    assert_eq!(b.text("#compliance-level").await, "Tidak patuh", "a proposal does not count yet");
    assert!(b.text("#shortfalls").await.contains("perjanjian"), "what the store lacks");
    assert!(!b.overflows_sideways().await, "no sideways scrolling on the store page");
    b.script("document.getElementById('kepatuhan').scrollIntoView()").await;
    b.screenshot("toko").await;
    b.quit().await;
}

#[tokio::test]
async fn the_standards_editor_fits_a_phone_with_checkboxes_beside_their_labels() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let mut b = Driver::start().await;
    b.shots_in("store_flow_standar");
    b.phone().await;
    b.sign_in(&app.url("/masuk"), &dinas.email, &dinas.password).await;
    b.goto(&app.url("/standar/baru")).await;
    assert!(b.wait_for_text("Standar baru").await);
    assert!(!b.overflows_sideways().await, "no sideways scrolling in the editor");
    let clipped = b
        .script(
            "var w = document.documentElement.clientWidth; \
             return Array.prototype.filter.call(document.querySelectorAll('form input, form select, form label'), \
               function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.right > w + 1; }).length;",
        )
        .await;
    assert_eq!(clipped, 0, "every field and label fits the window");
    let narrow = b
        .script(
            "return Array.prototype.every.call(document.querySelectorAll('input[type=checkbox]'), \
               function (c) { return c.getBoundingClientRect().width < 40; });",
        )
        .await;
    assert_eq!(narrow, true, "checkboxes are not stretched to the full width");
    let beside = b
        .script(
            "var c = document.querySelector('tr[id^=req-] td:first-child input[type=checkbox]'); \
             var l = document.querySelector('label[for=\"' + c.id + '\"]'); \
             var a = c.getBoundingClientRect(), t = l.getBoundingClientRect(); \
             return Math.abs((a.top + a.bottom) / 2 - (t.top + t.bottom) / 2) < 14 && a.right <= t.left;",
        )
        .await;
    assert_eq!(beside, true, "a requirement's checkbox sits beside its title");
    b.screenshot("standar-baru").await;
    b.quit().await;
}
