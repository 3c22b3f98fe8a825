//! The retail pages through HTTP with a cookie session, as a phone browser uses them:
//! Rekomendasi → shortlist → "Ajukan penempatan" → the UMKM's inbox → accept; the reason a
//! rejection needs; the chain overview; the Dinas' import page with its bad-row report.

use etalase_domain::roles::Role;
use serde_json::Value;

use crate::agreements::world;
use crate::helpers::*;

/// A browser-like client signed in through the login page, with the session's CSRF token.
async fn web_login(app: &TestApp, c: &Caller, landing: &str) -> (reqwest::Client, String) {
    let web = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let html = web.get(app.url("/masuk")).send().await.expect("sent").text().await.expect("html");
    let r = web
        .post(app.url("/masuk"))
        .form(&[
            ("csrf", csrf_in(&html).as_str()),
            ("email", c.email.as_str()),
            ("password", c.password.as_str()),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 303, "web login");
    let (status, html) = page(&web, app, landing).await;
    assert_eq!(status, 200, "{landing}: {html}");
    let token = csrf_in(&html);
    (web, token)
}

fn csrf_in(html: &str) -> String {
    let key = "name=\"csrf\" value=\"";
    let at = html.find(key).expect("csrf field") + key.len();
    html[at..].split('"').next().expect("token").to_string()
}

async fn page(web: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let r = web.get(app.url(path)).send().await.expect("sent");
    (r.status().as_u16(), r.text().await.expect("html"))
}

async fn post_form<T: serde::Serialize + ?Sized>(
    web: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &T,
) -> reqwest::Response {
    web.post(app.url(path)).form(form).send().await.expect("sent")
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

async fn api_status(app: &TestApp, id: i64) -> String {
    let dinas = app.user(Role::Dinas).await;
    app.read(&format!("/api/v1/agreements/{id}"), Some(&dinas.token)).await["status"]
        .as_str()
        .expect("status")
        .to_string()
}

#[tokio::test]
async fn a_store_proposes_from_rekomendasi_and_the_umkm_answers_from_its_inbox() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (web, csrf) = web_login(&app, &w.manager, "/toko/rekomendasi").await;
    let (_, html) = page(&web, &app, "/toko/rekomendasi").await;
    assert!(html.contains("Emping Melinjo Pedas") && html.contains("Ajukan penempatan"), "{html}");

    let r = post_form(
        &web,
        &app,
        "/toko/rekomendasi/pilih",
        &[
            ("csrf", csrf.clone()),
            ("store_id", w.store.to_string()),
            ("product_id", w.product.to_string()),
            ("op", "tambah".into()),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let short: Value =
        app.read(&format!("/api/v1/stores/{}/shortlist", w.store), Some(&w.manager.token)).await;
    assert_eq!(short[0]["product_id"].as_i64(), Some(w.product), "shortlisted through the page");

    let (status, html) =
        page(&web, &app, &format!("/perjanjian/baru?toko={}&produk={}", w.store, w.product)).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Tempo pembayaran"), "{html}");
    let p = w.product;
    let form = vec![
        ("csrf", csrf.clone()),
        ("store_id", w.store.to_string()),
        ("pids", p.to_string()),
        ("version", "0".into()),
        ("item", "1".into()),
        ("price", "22.000".into()),
        ("facings", "3".into()),
        ("scheme", "konsinyasi".into()),
        ("store_margin_percent", "20".into()),
        ("payment_term_days", "45".into()),
        ("start_date", "2026-06-10".into()),
        ("end_date", "2026-12-31".into()),
        ("delivery_schedule", "Setiap Senin pagi".into()),
        ("listing_fee", "".into()),
        ("note", "Mohon dipertimbangkan".into()),
    ];
    let form: Vec<(String, String)> = form
        .into_iter()
        .map(|(k, v)| {
            if matches!(k, "item" | "price" | "facings") {
                (format!("{k}_{p}"), v)
            } else {
                (k.to_string(), v)
            }
        })
        .collect();
    let r = post_form(&web, &app, "/perjanjian/baru", &form).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    let id: i64 = location(&r).trim_start_matches("/perjanjian/").parse().expect("agreement id");
    let (_, html) = page(&web, &app, &format!("/perjanjian/{id}")).await;
    assert!(
        html.contains("Tempo bayar 45 hari")
            && html.contains("Permendag 23/2021")
            && html.contains("Mohon dipertimbangkan"),
        "{html}"
    );
    assert!(!html.contains("id=\"accept\""), "the proposer cannot accept its own offer");

    let (umkm, umkm_csrf) = web_login(&app, &w.umkm, "/kotak-masuk").await;
    let (_, inbox) = page(&umkm, &app, "/kotak-masuk").await;
    assert!(inbox.contains(&format!("/perjanjian/{id}")), "{inbox}");
    let r = post_form(
        &umkm,
        &app,
        &format!("/perjanjian/{id}/aksi"),
        &[
            ("csrf", umkm_csrf.clone()),
            ("version", "1".into()),
            ("action", "reject".into()),
            ("note", "".into()),
            ("confirm", "1".into()),
        ],
    )
    .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text().await.expect("html").contains("Tuliskan alasannya"),
        "a rejection needs its reason"
    );
    assert_eq!(api_status(&app, id).await, "proposed", "nothing changed");

    let r = post_form(
        &umkm,
        &app,
        &format!("/perjanjian/{id}/aksi"),
        &[
            ("csrf", umkm_csrf),
            ("version", "1".into()),
            ("action", "accept".into()),
            ("confirm", "1".into()),
        ],
    )
    .await;
    assert_eq!((r.status().as_u16(), location(&r)), (303, format!("/perjanjian/{id}")));
    assert_eq!(api_status(&app, id).await, "accepted");
    let (_, html) = page(&umkm, &app, &format!("/perjanjian/{id}")).await;
    assert!(
        html.contains("Mengajukan") && html.contains("Setujui"),
        "history shows both steps: {html}"
    );

    let sm = etalase_db::repo::chains::find_by_code(&app.state.db, "SM")
        .await
        .expect("db")
        .expect("SM")
        .id;
    let stranger = crate::stores::manager(&app, sm, w.other_store).await;
    let (sweb, _) = web_login(&app, &stranger, "/toko").await;
    assert_eq!(
        page(&sweb, &app, &format!("/perjanjian/{id}")).await.0,
        404,
        "another store's agreement is not found"
    );
    let (oweb, _) = web_login(&app, &w.office, "/jaringan").await;
    let (_, overview) = page(&oweb, &app, "/jaringan").await;
    assert!(overview.contains("MS-1") && overview.contains("<b>1</b>"), "{overview}");
}

#[tokio::test]
async fn the_import_page_lists_every_bad_row_and_saves_nothing() {
    let app = spawn_app().await;
    crate::stores::chain(&app, "MS").await;
    let dinas = app.user(Role::Dinas).await;
    let (web, csrf) = web_login(&app, &dinas, "/dinas/impor?jenis=gerai").await;
    let (lat, lon) = crate::stores::centroid();
    // The older store import page leads to the one import page.
    let r = web.get(app.url("/dinas/toko/impor")).send().await.expect("sent");
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/dinas/impor?jenis=gerai");
    let csv = format!(
        "code,name,chain_code,format,address,kelurahan_code,lat,lon,local_facings\nMS-30,Mitra Swalayan Unyur,MS,minimarket,Jl. Unyur 1,36.73.01.1001,{lat},{lon},8\nMS-31,Toko,MS,warung,Jl. A 3,36.73.01.1001,{lat},{lon},5\n"
    );
    let before = etalase_db::repo::stores::count(&app.state.db).await.expect("count");
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("jenis", "gerai")
        .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("gerai.csv"));

    let r = web.post(app.url("/dinas/impor")).multipart(form).send().await.expect("sent");

    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("html");
    assert!(
        html.contains("tidak ada yang disimpan")
            && html.contains("<td data-label=\"Baris\">3</td><td data-label=\"Kolom\">format</td>")
            && !html.contains("id=\"import-save\""),
        "{html}"
    );
    assert_eq!(
        etalase_db::repo::stores::count(&app.state.db).await.expect("count"),
        before,
        "nothing saved"
    );
}
