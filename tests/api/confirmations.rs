//! Legal and money actions ask first: a surat teguran is previewed (letterhead, recipient by
//! name, legal basis, signature) and sent only with the confirmation; agreement actions and
//! publishing a standard show what they mean and change nothing until confirmed; after each,
//! a flash says what happened. Pages show names, labels and Indonesian dates, not codes.

use chrono::{TimeZone, Utc};
use etalase_domain::datefmt::format_date_id;
use etalase_domain::roles::Role;
use serde_json::Value;

use crate::compliance_world::{today, world};
use crate::helpers::*;

async fn get(web: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let r = web.get(app.url(path)).send().await.expect("sent");
    (r.status().as_u16(), r.text().await.expect("html"))
}

/// Posts a form; answers (status, Location, body).
async fn post(
    web: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    let r = web.post(app.url(path)).form(form).send().await.expect("sent");
    let to = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (r.status().as_u16(), to, r.text().await.expect("html"))
}

/// The text a person sees: the page without its tags (attributes, values and links dropped).
pub fn visible_text(html: &str) -> String {
    let mut html = html.to_string();
    for (open, close) in [("<style", "</style>"), ("<script", "</script>")] {
        while let Some(a) = html.find(open) {
            let b = html[a..].find(close).map_or(html.len(), |b| a + b + close.len());
            html.replace_range(a..b, " ");
        }
    }
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The first `YYYY-MM-DD` in `s`, if any.
pub fn iso_date_in(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let shape = |w: &[u8]| {
        w.iter()
            .enumerate()
            .all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
    };
    b.windows(10).position(shape).map(|i| s[i..i + 10].to_string())
}

async fn notice_count(app: &TestApp, token: &str) -> usize {
    app.read("/api/v1/notices", Some(token)).await.as_array().expect("list").len()
}

#[test]
fn the_iso_date_scanner_finds_dates_and_only_dates() {
    assert_eq!(iso_date_in("per 2026-12-03 pukul"), Some("2026-12-03".into()));
    assert_eq!(iso_date_in("3 Desember 2026 · 0812-3456-7890"), None);
    let html = "<style>.a_b{}</style><input value=\"2026-12-03\"><b>3 Desember</b>";
    assert_eq!(visible_text(html).trim(), "3 Desember");
}

#[tokio::test]
async fn a_notice_is_previewed_changed_and_sent_only_after_the_confirmation() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let [_sm1, _sm2, ms1] = w.stores;
    let (web, csrf) = app.web_login(&w.dinas).await;
    let path = format!("/kepatuhan/toko/{ms1}/teguran");
    let note = "Mohon laporan tertulis dalam 7 hari.";

    let (status, _, html) = post(&web, &app, &path, &[("csrf", &csrf), ("note", note)]).await;
    assert_eq!(status, 200, "{html}");
    for expected in [
        "Pratinjau surat teguran",
        "PEMERINTAH KOTA SERANG",
        "DINAS KOPERASI, UKM, PERINDUSTRIAN DAN PERDAGANGAN",
        "Pimpinan Gerai MS-1 (Mitra Swalayan)",
        "Pasal 10 ayat (1) huruf b",
        "a.n. Kepala Dinas Koperasi, UKM, Perindustrian dan Perdagangan Kota Serang",
        "Pengguna Uji",
        note,
        "id=\"kirim-teguran-final\"",
        "id=\"ubah-teguran\"",
    ] {
        assert!(html.contains(expected), "{expected} missing: {html}");
    }
    assert!(html.contains(&format!("Serang, {}", format_date_id(today()))), "{html}");
    assert_eq!(notice_count(&app, &w.dinas.token).await, 0, "a preview sends nothing");

    // "Ubah" returns to the paragraph, kept; still nothing sent.
    let (status, _, html) =
        post(&web, &app, &path, &[("csrf", &csrf), ("note", note), ("ubah", "1")]).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!(">{note}</textarea>")) && html.contains("Lihat pratinjau"));
    assert_eq!(notice_count(&app, &w.dinas.token).await, 0);

    let (status, to, _) =
        post(&web, &app, &path, &[("csrf", &csrf), ("note", note), ("confirm", "1")]).await;
    assert_eq!((status, to.as_str()), (303, format!("/kepatuhan/toko/{ms1}#teguran").as_str()));
    let (_, html) = get(&web, &app, &format!("/kepatuhan/toko/{ms1}")).await;
    assert!(html.contains("Surat teguran dikirim ke Gerai MS-1."), "{html}");
    assert_eq!(notice_count(&app, &w.dinas.token).await, 1);

    // The store's compliance page: labels and Indonesian dates, no codes or ids.
    let text = visible_text(&html);
    assert!(text.contains("Tidak patuh") && !text.contains("tidak_patuh"), "{text}");
    assert!(!text.contains("gerai #") && !text.contains("Produk #"), "{text}");
    assert_eq!(iso_date_in(&text), None, "{text}");
    assert!(text.contains(&format_date_id(today())), "{text}");

    // The chain office reads it in its inbox and downloads the letter with its letterhead.
    let (office, _) = app.web_login(&w.ms_office).await;
    let (status, html) = get(&office, &app, "/kotak-masuk").await;
    assert_eq!(status, 200);
    let text = visible_text(&html);
    assert!(text.contains("Gerai MS-1") && text.contains("Tidak patuh") && text.contains(note));
    assert!(!text.contains("gerai #") && iso_date_in(&text).is_none(), "{text}");
    let n: Value = app.read("/api/v1/notices", Some(&w.ms_office.token)).await;
    let pdf_url = n[0]["pdf_url"].as_str().expect("pdf url").to_string();
    let r = app.get(&pdf_url, Some(&w.ms_office.token)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = String::from_utf8_lossy(&r.bytes().await.expect("pdf")).to_string();
    for expected in [
        "(PEMERINTAH KOTA SERANG) Tj",
        "(SURAT TEGURAN) Tj",
        "(Pimpinan Gerai MS-1 \\(Mitra Swalayan\\)) Tj",
        "(a.n. Kepala Dinas Koperasi, UKM, Perindustrian dan Perdagangan Kota Serang) Tj",
        "(Petugas Dinas) Tj",
        "(Pengguna Uji) Tj",
    ] {
        assert!(pdf.contains(expected), "{expected} missing from the PDF");
    }
    assert!(pdf.contains(&format!("(Serang, {}) Tj", format_date_id(today()))));
    assert!(pdf.find("(PEMERINTAH KOTA SERANG)") < pdf.find("(SURAT TEGURAN)"));
}

#[tokio::test]
async fn the_notices_list_names_stores_and_chains_with_labels() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let [_, sm2, _] = w.stores;
    let r = app
        .post("/api/v1/notices", Some(&w.dinas.token), serde_json::json!({"store_id": sm2}))
        .await;
    assert_eq!(r.status(), 201);
    let (web, _) = app.web_login(&w.sm_office).await;
    let (status, html) = get(&web, &app, "/kepatuhan/teguran").await;
    assert_eq!(status, 200);
    let text = visible_text(&html);
    assert!(text.contains("Gerai SM-2") && text.contains("Serang Mart"), "{text}");
    assert!(text.contains("Berisiko") && text.contains("Kec. Taktakan"), "{text}");
    assert!(!text.contains("gerai #") && !text.contains("berisiko ·"), "{text}");
    assert_eq!(iso_date_in(&text), None, "{text}");
    let inbox = app.read("/api/v1/inbox", Some(&w.sm_office.token)).await;
    let message = inbox[0]["message"].as_str().unwrap_or("");
    assert!(message.contains("untuk Gerai SM-2 (1 Juni 2026)"), "{inbox}");
}

async fn agreement_status(app: &TestApp, id: i64) -> String {
    let dinas = app.user(Role::Dinas).await;
    app.read(&format!("/api/v1/agreements/{id}"), Some(&dinas.token)).await["status"]
        .as_str()
        .expect("status")
        .to_string()
}

/// Posts `action` on agreement `id`: first without confirmation (a page that changes
/// nothing, showing `shows`), then confirmed; returns the flash on the page it lands on.
async fn act_confirmed(
    app: &TestApp,
    web: &reqwest::Client,
    csrf: &str,
    (id, action, note): (i64, &str, &str),
    shows: &[&str],
) -> String {
    let before = agreement_status(app, id).await;
    let path = format!("/perjanjian/{id}/aksi");
    let form = [("csrf", csrf), ("action", action), ("note", note)];
    let (status, _, html) = post(web, app, &path, &form).await;
    assert_eq!(status, 200, "{html}");
    for s in shows {
        assert!(html.contains(s), "{action}: {s} missing: {html}");
    }
    assert!(html.contains("name=\"confirm\" value=\"1\""), "{html}");
    assert_eq!(agreement_status(app, id).await, before, "{action} without confirmation");
    let confirmed = [("csrf", csrf), ("action", action), ("note", note), ("confirm", "1")];
    let (status, to, html) = post(web, app, &path, &confirmed).await;
    assert_eq!((status, to.as_str()), (303, format!("/perjanjian/{id}").as_str()), "{html}");
    let (_, html) = get(web, app, &to).await;
    let key = "class=\"alert ok\"";
    let at = html.find(key).expect("a flash") + key.len();
    html[at..].split("</").next().unwrap_or("").to_string()
}

#[tokio::test]
async fn agreement_actions_show_the_terms_and_act_only_when_confirmed() {
    let app = spawn_app().await;
    let w = crate::agreements::world(&app).await;
    let id = crate::agreements::propose(&app, &w.manager.token, w.store, w.product).await["id"]
        .as_i64()
        .expect("id");
    let (umkm, umkm_csrf) = app.web_login(&w.umkm).await;
    let terms = ["Gerai MS-1", "Tempo bayar 45 hari", "Rp75.000 per gerai", "10 Juni 2026"];

    let shows = [&["Setujui perjanjian?"][..], &terms[..]].concat();
    let flash = act_confirmed(&app, &umkm, &umkm_csrf, (id, "accept", ""), &shows).await;
    assert!(flash.contains("Perjanjian disetujui"), "{flash}");
    assert_eq!(agreement_status(&app, id).await, "accepted");

    // Active on its start date; the store ends it early, with its reason shown first.
    app.clock.set(Utc.with_ymd_and_hms(2026, 6, 10, 1, 0, 0).single().expect("t"));
    etalase_server::service::agreements::advance_by_date(&app.state, app.state.clock.today_wib())
        .await
        .expect("advanced");
    let (store, store_csrf) = app.web_login(&w.manager).await;
    let reason = "Rak lokal dipindah ke gerai lain";
    let flash = act_confirmed(
        &app,
        &store,
        &store_csrf,
        (id, "end", reason),
        &["Akhiri perjanjian?", reason, "Tempo bayar 45 hari"],
    )
    .await;
    assert!(flash.contains("Perjanjian diakhiri"), "{flash}");
    assert_eq!(agreement_status(&app, id).await, "terminated");

    // The UMKM's own offer, withdrawn; a store's offer, rejected (signed in again: nine days on).
    let (umkm, umkm_csrf) = app.web_login(&w.umkm).await;
    let own = crate::agreements::propose(&app, &w.umkm.token, w.other_store, w.product).await["id"]
        .as_i64()
        .expect("id");
    let flash =
        act_confirmed(&app, &umkm, &umkm_csrf, (own, "withdraw", ""), &["Tarik perjanjian?"]).await;
    assert!(flash.contains("Perjanjian ditarik"), "{flash}");
    assert_eq!(agreement_status(&app, own).await, "withdrawn");
    let offer = crate::agreements::propose(&app, &w.manager.token, w.store, w.product).await["id"]
        .as_i64()
        .expect("id");
    let flash = act_confirmed(
        &app,
        &umkm,
        &umkm_csrf,
        (offer, "reject", "Harga terlalu rendah"),
        &["Tolak perjanjian?", "Harga terlalu rendah"],
    )
    .await;
    assert!(flash.contains("Perjanjian ditolak"), "{flash}");
    assert_eq!(agreement_status(&app, offer).await, "rejected");
}

async fn versions(app: &TestApp, token: &str) -> Vec<i64> {
    let list = app.read("/api/v1/standards", Some(token)).await;
    list.as_array()
        .expect("list")
        .iter()
        .map(|s| s["versions"].as_array().map_or(0, |v| v.len() as i64))
        .collect()
}

#[tokio::test]
async fn publishing_a_standard_shows_what_changes_and_where_before_it_is_published() {
    let app = spawn_app().await;
    crate::stores::chain(&app, "MS").await;
    crate::stores::store(&app, "MS-1", "MS").await;
    let dinas = app.user(Role::Dinas).await;
    let (web, csrf) = app.web_login(&dinas).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("name", "Standar Produk Lokal Kota Serang"),
        ("on_shelf_life", "on"),
        ("shelf_life_min_days", "60"),
        ("effective_from", "2026-06-01"),
    ];
    let (status, _, html) = post(&web, &app, "/standar/baru", &form).await;
    assert_eq!(status, 200, "{html}");
    let text = visible_text(&html);
    assert!(text.contains("Terbitkan versi 1") && text.contains("Jaringan MS (1 gerai)"), "{text}");
    assert!(text.contains("1 Juni 2026") && iso_date_in(&text).is_none(), "{text}");
    assert!(versions(&app, &dinas.token).await.is_empty(), "nothing published yet");

    let (status, _, html) =
        post(&web, &app, "/standar/baru", &[&form[..], &[("ubah", "1")]].concat()).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"publish-standard\"") && html.contains("value=\"60\""), "{html}");
    assert!(versions(&app, &dinas.token).await.is_empty());

    let (status, to, _) =
        post(&web, &app, "/standar/baru", &[&form[..], &[("confirm", "1")]].concat()).await;
    assert_eq!(status, 303);
    let (_, html) = get(&web, &app, &to).await;
    assert!(html.contains("diterbitkan"), "{html}");
    assert_eq!(versions(&app, &dinas.token).await, [1]);

    // A new version: the change is listed against the version in force.
    let sid = to.trim_start_matches("/standar/").to_string();
    let v2 = [
        ("csrf", csrf.as_str()),
        ("on_shelf_life", "on"),
        ("shelf_life_min_days", "60"),
        ("on_gtin", "on"),
        ("effective_from", "2026-07-01"),
    ];
    let (status, _, html) = post(&web, &app, &format!("/standar/{sid}"), &v2).await;
    assert_eq!(status, 200, "{html}");
    let added = html.split("id=\"ditambah\"").nth(1).expect("additions listed");
    assert!(added.contains("GTIN") || added.contains("barcode"), "{html}");
    assert!(html.contains("Terbitkan versi 2") && html.contains("1 Juli 2026"), "{html}");
    assert_eq!(versions(&app, &dinas.token).await, [1], "nothing changed before confirming");
    let (status, _, _) =
        post(&web, &app, &format!("/standar/{sid}"), &[&v2[..], &[("confirm", "1")]].concat())
            .await;
    assert_eq!(status, 303);
    assert_eq!(versions(&app, &dinas.token).await, [2]);
}
