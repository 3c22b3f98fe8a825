//! A Dinas officer inspects a non-compliant store on a phone, then writes a surat teguran:
//! the paragraph → the preview of exactly the letter → "Ubah" → the preview again → "Kirim
//! surat teguran" → the flash. The chain office signs in, reads the letter in its inbox (the
//! store by name) and its PDF link answers a PDF. The world comes from `compliance_world`.

use crate::compliance_flow::compliance_world::{today, world};
use crate::helpers::spawn_app;
use crate::webdriver::Driver;
use etalase_domain::datefmt::format_date_id;

async fn field_value(b: &Driver, css: &str) -> String {
    let js = format!("return document.querySelector(\"{css}\").value;");
    b.script(&js).await.as_str().unwrap_or("").to_string()
}

#[tokio::test]
async fn dinas_inspects_and_sends_a_notice_after_the_preview_and_the_chain_office_reads_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let [_, _, ms1] = w.stores;
    let mut b = Driver::start().await;
    b.shots_in("notice_flow");
    b.sign_in(&app.url("/masuk"), &w.dinas.email, &w.dinas.password).await;

    // The inspection, on a phone at the shelf: the emping is there, the sate bandeng is not.
    b.phone().await;
    b.goto(&app.url(&format!("/kepatuhan/toko/{ms1}"))).await;
    assert!(b.wait_for_text("Yang kurang").await);
    b.click(&format!("a[href='/kepatuhan/toko/{ms1}/inspeksi']")).await;
    assert!(b.wait_for_text("Catat inspeksi").await);
    assert!(!b.overflows_sideways().await, "the inspection form fits a phone");
    b.click(&format!("#seen-{}", w.products[0])).await;
    b.fill("#notes", "Rak lokal di dekat kasir, emping ada 6 bungkus.").await;
    b.screenshot("inspeksi-ponsel").await;
    b.click("#simpan-inspeksi").await;
    assert!(b.wait_for_text("Inspeksi dicatat.").await, "a flash after the inspection");
    let history = b.text("#inspeksi").await;
    assert!(history.contains(&format_date_id(today())), "{history}");
    assert!(history.contains("terlihat 1"), "{history}");
    assert!(!b.overflows_sideways().await, "the store page fits a phone");
    b.screenshot("inspeksi-tercatat").await;

    // The notice: a paragraph, then the preview of the letter, nothing sent yet.
    b.click("#kirim-teguran").await;
    assert!(b.wait_for_text("Pratinjau surat teguran").await);
    assert!(!b.overflows_sideways().await, "the letter fits a phone");
    b.desktop().await;
    let letter = b.text("#surat").await;
    for expected in [
        "PEMERINTAH KOTA SERANG",
        "Pimpinan Gerai MS-1 (Mitra Swalayan)",
        "Pasal 10 ayat (1) huruf b",
        "a.n. Kepala Dinas Koperasi, UKM, Perindustrian dan Perdagangan Kota Serang",
        "Pengguna Uji",
    ] {
        assert!(letter.contains(expected), "{expected} missing: {letter}");
    }
    b.screenshot("pratinjau").await;
    let sent = app.read("/api/v1/notices", Some(&w.dinas.token)).await;
    assert_eq!(sent.as_array().map(Vec::len), Some(0), "the preview sends nothing");

    // "Ubah": back to the paragraph, add one, preview again, then send.
    b.click("#ubah-teguran").await;
    assert!(b.wait_for_text("Tulis surat teguran").await);
    let paragraph = "Kami menunggu laporan tertulis dalam 7 hari.";
    b.fill("#note", paragraph).await;
    b.click("#lihat-pratinjau").await;
    assert!(b.wait_for_text("Pratinjau surat teguran").await);
    assert!(b.text("#surat").await.contains(paragraph), "the changed letter is previewed");
    assert_eq!(field_value(&b, "input[name=note]").await, paragraph);
    b.click("#kirim-teguran-final").await;
    assert!(b.wait_for_text("Surat teguran dikirim ke Gerai MS-1.").await, "a flash after sending");
    assert!(b.url().await.contains(&format!("/kepatuhan/toko/{ms1}")));
    assert!(b.text("#teguran").await.contains("Tidak patuh"));
    b.screenshot("teguran-terkirim").await;

    // The chain office reads it in its inbox: the store by name, the letter, the PDF.
    b.delete_cookies().await;
    b.sign_in(&app.url("/masuk"), &w.ms_office.email, &w.ms_office.password).await;
    b.goto(&app.url("/kotak-masuk")).await;
    assert!(b.wait_for_text("Surat teguran dari Dinas (1)").await);
    b.click("#teguran details summary").await;
    let inbox = b.text("#teguran").await;
    assert!(inbox.contains("Gerai MS-1") && inbox.contains("Tidak patuh"), "{inbox}");
    assert!(inbox.contains(paragraph) && !inbox.contains("gerai #"), "{inbox}");
    b.screenshot("kotak-masuk-teguran").await;
    let href = b
        .script("return document.querySelector('#teguran a[href$=\"/pdf\"]').getAttribute('href');")
        .await
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(href.ends_with("/pdf"), "{href}");
    let r = app.get(&href, Some(&w.ms_office.token)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.expect("pdf");
    assert!(String::from_utf8_lossy(&pdf).contains("(PEMERINTAH KOTA SERANG) Tj"));
    b.quit().await;
}
