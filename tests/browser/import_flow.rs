//! A Dinas officer imports a list of businesses the way a person does, on a phone: "Impor" in
//! the menu, "Periksa berkas" with no file, a file with a problem (the line, the column and the
//! bad kelurahan shown, no save button), a clean file (names matched, pendampingan, "2 baru"),
//! "Simpan", the message; then Back (Chromium offers to send the form again), the file previewed
//! again with nothing new, and the spent preview's token refused: nothing is imported twice.

use etalase_db::entities::producer;
use etalase_domain::ProducerStatus;
use etalase_domain::roles::Role;
use sea_orm::{EntityTrait, QueryOrder};

use crate::helpers::*;
use crate::webdriver::Driver;

/// The API tests' sample list (`tests/api/imports.rs`): one business with a NIB in
/// "Kel. Banjarsari", one without a NIB in "cipocok".
const BUSINESSES: &str = "\
id_eksternal,nama_usaha,nama_pemilik,nib,skala,tingkat_risiko,alamat,kelurahan,whatsapp
BIN-1,Emping Bu Sari,Sari Wulandari,9120001234567,mikro,Menengah Rendah,Jl. Raya Taktakan 1,Kel. Banjarsari,081234567890
BIN-2,Kopi Pak Ujang,Ujang Sutisna,,Kecil,rendah,Jl. Kopi 2,cipocok,081234567891
";

/// Writes `csv` to a temporary file the browser can choose.
fn csv_file(name: &str, csv: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("etalase-{name}-{}.csv", unique()));
    std::fs::write(&path, csv).expect("write csv");
    path
}

/// The cells of each row of the table `css` (header row left out), as the page shows them.
async fn cells(b: &Driver, css: &str) -> Vec<Vec<String>> {
    let css = serde_json::to_string(css).unwrap();
    let js = format!(
        "return Array.from(document.querySelectorAll({css} + ' tr')).filter(tr => tr.querySelector('td'))\
         .map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.textContent.trim()));"
    );
    serde_json::from_value(b.script(&js).await).expect("rows of cells")
}

/// Whether the element `css` is shown and lies wholly inside the window's width.
async fn fits_the_window(b: &Driver, css: &str) -> bool {
    let css = serde_json::to_string(css).unwrap();
    let js = format!(
        "const e = document.querySelector({css}); if (!e) return false; \
         const r = e.getBoundingClientRect(); \
         return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth;"
    );
    b.script(&js).await.as_bool().unwrap_or(false)
}

/// Scrolls `css` into view for the screenshot.
async fn show(b: &Driver, css: &str) {
    let css = serde_json::to_string(css).unwrap();
    b.script(&format!("document.querySelector({css}).scrollIntoView();")).await;
}

/// The token of the preview's save form.
async fn token_of(b: &Driver) -> String {
    let js = "return document.querySelector('#import-save input[name=token]').value;";
    b.script(js).await.as_str().expect("a save form").to_string()
}

async fn businesses(app: &TestApp) -> Vec<producer::Model> {
    producer::Entity::find().order_by_asc(producer::Column::Id).all(&app.state.db).await.unwrap()
}

#[tokio::test]
async fn a_dinas_officer_on_a_phone_previews_fixes_and_imports_a_list_once() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let mut b = Driver::start().await;
    b.shots_in("import_flow");
    b.phone().await;
    b.sign_in(&app.url("/masuk"), &dinas.email, &dinas.password).await;

    // "Impor" from the menu, and the form fits a phone.
    assert_eq!(b.text("header nav a[href='/dinas/impor']").await, "Impor");
    b.click("header nav a[href='/dinas/impor']").await;
    let url = b.wait_for_url(|u| u.ends_with("/dinas/impor")).await;
    assert!(url.ends_with("/dinas/impor"), "the menu leads to the import page: {url}");
    assert!(b.wait_for_text("id=\"import-form\"").await, "the import page opened");
    assert!(!b.overflows_sideways().await, "the import page fits a phone");
    for part in ["#jenis", "#file", "#import-preview"] {
        assert!(fits_the_window(&b, part).await, "{part} is shown within the phone's width");
    }
    assert_eq!(b.text("#import-preview").await, "Periksa berkas");
    show(&b, "#import-form").await;
    b.screenshot("formulir").await;

    // "Periksa berkas" with no file: the browser's `required` keeps the page; nothing is sent.
    b.script("window.stillHere = true;").await;
    b.click("#import-preview").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        b.script("return window.stillHere === true && document.getElementById('file').validity.valueMissing;")
            .await,
        serde_json::json!(true),
        "the same page, not reloaded, the file marked as missing"
    );
    assert!(b.url().await.ends_with("/dinas/impor"));
    assert!(!b.exists("#import-result").await && !b.exists(".alert.error").await);
    // A browser that skips the check sends the form: the server asks for a file.
    b.script("document.getElementById('import-form').noValidate = true;").await;
    b.click("#import-preview").await;
    assert!(
        b.wait_for_text("Pilih berkas CSV atau XLSX dulu.").await,
        "the server asks for a file"
    );
    assert_eq!(b.text(".alert.error").await, "Pilih berkas CSV atau XLSX dulu.");
    assert!(!b.exists("#import-result").await, "no preview without a file");
    assert!(!b.overflows_sideways().await);
    show(&b, ".alert.error").await;
    b.screenshot("tanpa-berkas").await;

    // A file with an unknown kelurahan: the line, the column and the text; no save button.
    let bad = csv_file("binaan-salah", &BUSINESSES.replace("Kel. Banjarsari", "Atlantis"));
    b.attach("#file", &bad).await;
    b.click("#import-preview").await;
    assert!(b.wait_for_text("id=\"import-errors\"").await, "the problems are listed");
    let errors = cells(&b, "#import-errors").await;
    assert_eq!(errors.len(), 1, "one problem: {errors:?}");
    assert_eq!(errors[0][..2], ["2", "kelurahan"], "line 2, column kelurahan: {errors:?}");
    assert!(errors[0][2].contains("Atlantis"), "the bad kelurahan is named: {errors:?}");
    assert!(!b.exists("#import-confirm").await, "nothing to save from a file with problems");
    assert!(b.text("#import-result .alert.error").await.contains("tidak ada yang disimpan"));
    assert!(!b.overflows_sideways().await, "the problems fit a phone");
    assert!(
        fits_the_window(&b, "#import-errors td[data-label=Masalah]").await,
        "the problem is read without scrolling the table sideways"
    );
    show(&b, "#import-result").await;
    b.screenshot("berkas-bermasalah").await;

    // The clean file: names matched, the business without a NIB in pendampingan, 2 new.
    let good = csv_file("binaan", BUSINESSES);
    b.attach("#file", &good).await;
    b.click("#import-preview").await;
    // The page with the problems lists the valid row too (`import-rows`): wait for this file's
    // own preview, named in its heading, before reading it.
    let good_name = good.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    assert!(b.wait_for_text(&format!(": {good_name}</h2>")).await, "this file's preview");
    assert!(b.exists("#import-rows").await, "the rows are shown");
    assert!(!b.exists("#import-errors").await, "no problems");
    let rows = cells(&b, "#import-rows").await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][..2], ["2", "Emping Bu Sari"]);
    assert_eq!(rows[1][..2], ["3", "Kopi Pak Ujang"]);
    for (r, to) in
        rows.iter().zip(["\"Kel. Banjarsari\" → Banjarsari", "\"cipocok\" → Cipocok Jaya"])
    {
        assert!(r[4].contains(&format!("Dicocokkan: kelurahan {to}")), "matched {to}: {r:?}");
    }
    assert!(rows[1][4].contains("Pendampingan: belum ada NIB"), "{rows:?}");
    assert!(!rows[0][4].contains("Pendampingan"), "the business with a NIB: {rows:?}");
    let counts = b.text("#import-counts").await;
    assert!(counts.contains("2 baru") && counts.contains("0 diubah"), "{counts}");
    assert!(businesses(&app).await.is_empty(), "a preview saves nothing");
    assert!(fits_the_window(&b, "#import-confirm").await, "the save button is in reach");
    assert!(!b.overflows_sideways().await, "the preview fits a phone");
    assert!(
        fits_the_window(&b, "#import-rows tr[data-line='3'] td[data-label=Keterangan]").await,
        "what was matched is read without scrolling the table sideways"
    );
    show(&b, "#import-rows").await;
    b.screenshot("pratinjau").await;

    // Simpan: a message on the form again, and the two businesses saved.
    let spent = token_of(&b).await;
    b.click("#import-confirm").await;
    let url = b.wait_for_url(|u| u.ends_with("/dinas/impor?jenis=usaha")).await;
    assert!(url.ends_with("/dinas/impor?jenis=usaha"), "back on the form: {url}");
    assert!(b.wait_for_text("2 baru, 0 diubah, 0 tetap").await, "a message after saving");
    assert!(b.text(".alert.ok").await.contains("2 baru, 0 diubah, 0 tetap"));
    assert!(!b.exists("#import-result").await, "the spent preview is gone");
    let saved = businesses(&app).await;
    assert_eq!(saved.len(), 2, "two businesses");
    assert_eq!(saved[0].name, "Emping Bu Sari");
    assert_eq!(saved[0].status, ProducerStatus::Verified);
    assert_eq!(saved[0].reviewed_by, Some(dinas.user_id), "verified by the officer");
    assert_eq!((saved[1].name.as_str(), saved[1].nib.as_deref()), ("Kopi Pak Ujang", None));
    assert_eq!(saved[1].companion_user_id, Some(dinas.user_id), "the officer accompanies it");
    b.screenshot("tersimpan").await;

    // Back: Chromium kept no copy of the page the POST answered, so there is no old button to
    // press; it offers to send the form again ("Confirm Form Resubmission").
    b.back().await;
    assert!(b.wait_for_text("ERR_CACHE_MISS").await, "Chromium asks before sending again");
    assert!(!b.exists("#import-confirm").await, "no old save button");
    b.screenshot("kembali").await;
    // Reloading sends the file again: a fresh preview in which nothing is new.
    b.refresh().await;
    assert!(b.wait_for_text("id=\"import-rows\"").await, "the file previewed again");
    let counts = b.text("#import-counts").await;
    assert!(counts.contains("0 baru") && counts.contains("2 tetap"), "{counts}");
    assert_ne!(token_of(&b).await, spent, "a fresh preview has its own token");
    b.screenshot("pratinjau-lagi").await;
    // The old preview's form (its spent token) sent again: not found, nothing imported twice.
    b.script(&format!(
        "document.querySelector('#import-save input[name=token]').value = '{spent}';"
    ))
    .await;
    b.click("#import-confirm").await;
    assert!(b.wait_for_text("Berkas pratinjau").await, "the spent preview is not found");
    assert_eq!(b.text("h1").await, "Halaman tidak ditemukan");
    assert_eq!(businesses(&app).await.len(), 2, "still two businesses");
    assert!(!b.overflows_sideways().await);
    b.screenshot("token-terpakai").await;
    b.quit().await;
    let _ = std::fs::remove_file(bad);
    let _ = std::fs::remove_file(good);
}
