//! The session as a person meets it. A store manager opens a deep page (the proposal form for
//! one product, with its query string); the session ends on the server; reloading shows the
//! login page saying so, and signing in brings them back to the same page. Logging out says
//! so, and Back shows the login page, not the private page. On a phone, the UMKM owner sees
//! the unread count on "Kotak masuk" and changes their password.

use etalase_domain::roles::Role;
use serde_json::json;

use crate::helpers::*;
use crate::webdriver::Driver;

async fn sign_in(b: &Driver, email: &str, password: &str) {
    b.fill("#email", email).await;
    b.fill("#password", password).await;
    b.press_enter("#password").await;
}

/// A store of a chain with its manager, and a published product of a UMKM.
async fn shop(app: &TestApp) -> (i64, Caller, Caller, i64) {
    let dinas = app.user(Role::Dinas).await;
    let chain = json_ok(
        app.post(
            "/api/v1/chains",
            Some(&dinas.token),
            json!({"code": "MS", "name": "Mitra Swalayan", "kind": "national"}),
        )
        .await,
        201,
    )
    .await["id"]
        .as_i64()
        .expect("chain");
    let k = etalase_domain::wilayah::kota_serang()
        .kelurahan_by_code("36.73.01.1001")
        .expect("kelurahan");
    let store = json_ok(
        app.post(
            "/api/v1/stores",
            Some(&dinas.token),
            json!({"code": "MS-1", "name": "Gerai Ciceri", "chain_code": "MS",
                "format": "minimarket", "address": "Jl. Ciceri Permai No. 3",
                "kelurahan_code": "36.73.01.1001", "lat": k.lat, "lon": k.lon, "local_facings": 10}),
        )
        .await,
        201,
    )
    .await["id"]
        .as_i64()
        .expect("store");
    let manager = app.user(Role::Store).await;
    etalase_db::repo::users::set_affiliation(
        &app.state.db,
        manager.user_id,
        Some(chain),
        Some(store),
    )
    .await
    .expect("linked");
    let (umkm, product) = app.published_product().await;
    (store, manager, umkm, product)
}

#[tokio::test]
async fn an_expired_session_returns_to_the_same_page_and_back_after_logout_shows_login() {
    let app = spawn_app().await;
    let (store, manager, umkm, product) = shop(&app).await;
    let mut b = Driver::start().await;
    b.shots_in("session-flow");
    b.desktop().await;

    let deep = format!("/perjanjian/baru?toko={store}&produk={product}");
    b.goto(&app.url("/masuk")).await;
    sign_in(&b, &manager.email, &manager.password).await;
    b.wait_for_url(|u| !u.contains("/masuk")).await;
    b.goto(&app.url(&deep)).await;
    assert!(b.wait_for_text("Tempo pembayaran").await, "the proposal form opened");
    b.screenshot("form-perjanjian").await;

    // The session ends on the server (expiry, or the admin ended it) while the page is open.
    etalase_db::repo::accounts::end_sessions(&app.state.db, manager.user_id, None)
        .await
        .expect("ended");
    b.refresh().await;
    let url = b.wait_for_url(|u| u.contains("/masuk")).await;
    assert!(url.contains("/masuk?next="), "{url}");
    assert!(b.wait_for_text("Sesi Anda berakhir, silakan masuk lagi.").await);
    b.screenshot("sesi-berakhir").await;
    sign_in(&b, &manager.email, &manager.password).await;
    let url = b.wait_for_url(|u| u.ends_with(&deep)).await;
    assert!(url.ends_with(&deep), "back on the same page: {url}");
    assert!(b.wait_for_text("Tempo pembayaran").await);
    b.screenshot("kembali-ke-form").await;

    // Logout, then Back: the login page, not the private form.
    b.click("header form[action='/keluar'] button").await;
    assert!(b.wait_for_text("Anda sudah keluar.").await);
    b.screenshot("sudah-keluar").await;
    b.back().await;
    let url = b.wait_for_url(|u| u.contains("/masuk")).await;
    assert!(url.contains("/masuk"), "Back after logout shows the login page: {url}");
    assert!(!b.source().await.contains("Tempo pembayaran"), "the private page is not shown");
    b.screenshot("back-setelah-keluar").await;

    // The manager proposes (through the API); the UMKM owner sees it counted on a phone.
    let terms = json!({"items": [{"product_id": product, "price": 22000, "facings": 2}],
        "scheme": "konsinyasi", "store_margin_percent": 20, "payment_term_days": 30,
        "start_date": "2026-06-10", "end_date": "2026-12-31",
        "delivery_schedule": "Setiap Senin pagi"});
    let token = app.login(&manager.email, &manager.password).await;
    json_ok(
        app.post("/api/v1/agreements", Some(&token), json!({"store_id": store, "terms": terms}))
            .await,
        201,
    )
    .await;
    b.phone().await;
    b.goto(&app.url("/masuk")).await;
    sign_in(&b, &umkm.email, &umkm.password).await;
    b.wait_for_url(|u| u.contains("/produk-saya")).await;
    assert_eq!(b.text("header a[href='/kotak-masuk'] .badge.unread").await, "1");
    assert!(!b.overflows_sideways().await, "the menu with its badge fits a phone");
    b.screenshot("lencana-kotak-masuk").await;

    b.click("header a[href='/akun/sandi']").await;
    assert!(b.wait_for_text("Ganti kata sandi").await);
    b.fill("#current_password", "salah-sekali").await;
    b.fill("#password", "sandi-baru-2026").await;
    b.fill("#password_confirm", "sandi-baru-2026").await;
    b.press_enter("#password_confirm").await;
    assert!(b.wait_for_text("Kata sandi sekarang salah.").await, "the wrong password is named");
    b.screenshot("sandi-salah").await;
    b.fill("#current_password", &umkm.password).await;
    b.fill("#password", "sandi-baru-2026").await;
    b.fill("#password_confirm", "sandi-baru-2026").await;
    b.press_enter("#password_confirm").await;
    assert!(b.wait_for_text("Kata sandi diganti.").await);
    assert!(!b.overflows_sideways().await);
    b.screenshot("sandi-diganti").await;
    app.login(&umkm.email, "sandi-baru-2026").await;

    b.click("header a[href='/kotak-masuk']").await;
    assert!(b.wait_for_text("Menunggu jawaban Anda").await);
    assert!(!b.exists("header .badge.unread").await, "opened: nothing unread");
    b.screenshot("kotak-masuk-dibaca").await;
    b.quit().await;
}

#[tokio::test]
async fn the_admin_deactivates_an_account_after_being_told_what_happens() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin).await;
    let owner = app.user(Role::Umkm).await;
    let mut b = Driver::start().await;
    b.shots_in("admin-deactivate");
    b.phone().await;

    // The owner is signed in in their own browser; the admin uses this one.
    let owner_web = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let login = owner_web.get(app.url("/masuk")).send().await.expect("sent");
    let html = login.text().await.expect("html");
    let key = "name=\"csrf\" value=\"";
    let at = html.find(key).expect("csrf") + key.len();
    let csrf = html[at..].split('"').next().expect("token").to_string();
    let r = owner_web
        .post(app.url("/masuk"))
        .form(&[("csrf", csrf.as_str()), ("email", &owner.email), ("password", &owner.password)])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 303);
    let url = app.url("/produk-saya");
    let status = || async { owner_web.get(&url).send().await.expect("sent").status().as_u16() };
    assert_eq!(status().await, 200);

    b.goto(&app.url("/masuk")).await;
    sign_in(&b, &admin.email, &admin.password).await;
    b.wait_for_url(|u| u.contains("/admin/pengguna")).await;
    b.click(&format!("a[href='/admin/pengguna/{}']", owner.user_id)).await;
    assert!(b.wait_for_text("Status akun").await);
    assert!(!b.overflows_sideways().await, "the account page fits a phone");
    b.screenshot("akun").await;
    b.click(&format!("a[href='/admin/pengguna/{}/nonaktifkan']", owner.user_id)).await;
    assert!(b.wait_for_text("sesi dan token API yang sedang terbuka berakhir seketika").await);
    assert_eq!(status().await, 200, "asking first changes nothing");
    b.screenshot("konfirmasi").await;
    b.click("form[action$='/nonaktifkan'] button[type=submit]").await;
    assert!(b.wait_for_text("dinonaktifkan; semua sesinya sudah diakhiri").await);
    assert!(b.exists("form[action$='/aktifkan']").await, "can be turned on again");
    b.screenshot("nonaktif").await;
    assert_eq!(status().await, 303, "the owner's open session ended at once");

    b.click("form[action$='/aktifkan'] button").await;
    assert!(b.wait_for_text("aktif kembali").await);
    b.screenshot("aktif-kembali").await;
    app.login(&owner.email, &owner.password).await;
    b.quit().await;
}
