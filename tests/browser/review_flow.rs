//! Changes after review are reviewed (issue 12): the owner of a live listing finds the
//! certificate form closed with the way to ask for a change, asks for it (a confirmation), adds a
//! halal certificate and submits again; the Dinas finds it in the review queue and publishes it;
//! the public page then shows the certificate as checked by that officer.

use etalase_domain::roles::Role;

use crate::helpers::*;
use crate::webdriver::Driver;

#[tokio::test]
async fn a_change_to_a_live_listing_goes_back_to_the_dinas_queue_and_returns_reviewed() {
    let app = spawn_app().await;
    let (owner, id) = app.published_product().await;
    let mut b = Driver::start().await;
    b.shots_in("review_flow");
    b.phone().await;
    b.sign_in(&app.url("/masuk"), &owner.email, &owner.password).await;

    b.goto(&app.url(&format!("/produk-saya/{id}"))).await;
    assert!(b.wait_for_text("hanya bisa diubah lewat").await, "the page says how to change");
    assert!(!b.exists("#tambah-sertifikat").await, "no certificate form on a live listing");
    b.screenshot("tayang-terkunci").await;

    // Asking for a change asks first; saying no changes nothing.
    b.click("#revise-product").await;
    assert!(b.answer_dialog(false).await.starts_with("Ajukan perubahan?"));
    assert_eq!(app.get(&format!("/api/v1/catalog/{id}"), None).await.status(), 200);
    b.click("#revise-product").await;
    b.answer_dialog(true).await;
    // The heading is on the locked page too: wait for the form itself (the page reloads).
    assert!(b.wait_for_text("Sertifikat dan izin").await);
    assert!(
        b.wait_for_text("id=\"tambah-sertifikat\"").await && b.exists("#tambah-sertifikat").await,
        "a draft takes certificates again"
    );
    assert_eq!(app.get(&format!("/api/v1/catalog/{id}"), None).await.status(), 404);

    b.select("#kind", "halal").await;
    b.fill("#number", "ID31110000123450821").await;
    b.click("#add-certificate").await;
    assert!(b.wait_for_text("Sertifikat ditambahkan.").await);
    assert!(b.wait_for_text("Menunggu pemeriksaan Dinas").await, "not counted before review");
    b.screenshot("halal-menunggu").await;
    b.click("#submit-product").await;
    // No photo: the page asks first.
    assert!(b.wait_for_text("tetap ajukan?").await, "asks before submitting without a photo");
    b.click("#confirm-yes").await;
    assert!(b.wait_for_text("Produk sedang ditinjau Dinas").await);

    // The Dinas reviews it from the queue.
    b.delete_cookies().await;
    let dinas = app.user(Role::Dinas).await;
    b.sign_in(&app.url("/masuk"), &dinas.email, &dinas.password).await;
    b.goto(&app.url("/dinas/verifikasi")).await;
    b.click(&format!("#publish-{id}")).await;
    assert!(b.wait_for_text("ditayangkan").await, "feedback after publishing");
    b.screenshot("dinas-tayangkan").await;

    b.goto(&app.url(&format!("/katalog/{id}"))).await;
    assert!(b.wait_for_text("Diperiksa Dinas (Pengguna Uji)").await, "checked, and by whom");
    assert!(!b.overflows_sideways().await);
    b.screenshot("publik-diperiksa").await;
    b.quit().await;
}
