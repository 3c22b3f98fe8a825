//! Pages and the session: a page without a session answers 303 to the login page remembering
//! where the caller was (only paths on this site), the API answers 401 problem+json; unknown
//! addresses and wrong methods get Indonesian pages with the caller's menu (problem+json under
//! `/api/`); signed-in pages are not stored by the browser.

use etalase_domain::roles::Role;

use crate::accounts::{browser, get, location, post_login, web_login};
use crate::helpers::*;

#[tokio::test]
async fn a_page_without_a_session_goes_to_login_and_back_where_it_was() {
    let app = spawn_app().await;
    let c = app.user(Role::Umkm).await;
    let web = browser();
    let r = get(&web, &app, "/kotak-masuk?tab=semua&page=2").await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert_eq!(to, "/masuk?next=%2Fkotak-masuk%3Ftab%3Dsemua%26page%3D2");
    let html = get(&web, &app, &to).await.text().await.expect("html");
    assert!(html.contains("name=\"next\" value=\"/kotak-masuk?tab=semua&#38;page=2\""), "{html}");
    assert!(html.contains("Silakan masuk"), "{html}");
    let r = post_login(&web, &app, &c.email, PASSWORD, Some("/kotak-masuk?tab=semua&page=2")).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/kotak-masuk?tab=semua&page=2");

    // An expired session (gone on the server) says so.
    etalase_db::repo::accounts::end_sessions(&app.state.db, c.user_id, None).await.expect("ended");
    let r = get(&web, &app, "/produk-saya").await;
    assert_eq!(location(&r), "/masuk?next=%2Fproduk-saya");
    let html = get(&web, &app, &location(&r)).await.text().await.expect("html");
    assert!(html.contains("Sesi Anda berakhir, silakan masuk lagi."), "{html}");
}

#[tokio::test]
async fn next_never_leads_to_another_site() {
    let app = spawn_app().await;
    let c = app.user(Role::Umkm).await;
    for evil in ["//evil.example/x", "http://evil.example/", "/\\evil.example", "https:evil"] {
        let web = browser();
        let enc: String = form_urlencoded::byte_serialize(evil.as_bytes()).collect();
        let html = get(&web, &app, &format!("/masuk?next={enc}")).await.text().await.expect("html");
        assert!(!html.contains("name=\"next\""), "{evil} kept: {html}");
        let r = post_login(&web, &app, &c.email, PASSWORD, Some(evil)).await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/produk-saya", "{evil} ignored: the role's home");
    }
}

#[tokio::test]
async fn the_api_answers_401_json_and_unknown_addresses_404() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/me", None).await;
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    expect_problem(r, 401, "unauthenticated").await;
    let r = app.get("/api/v1/tidak-ada", None).await;
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    expect_problem(r, 404, "not_found").await;
    let r = app.delete("/api/v1/me", None).await;
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    assert!(r.headers().get("allow").is_some());
    expect_problem(r, 405, "method_not_allowed").await;

    let store = app.user(Role::Dinas).await;
    let (web, _) = web_login(&app, &store).await;
    let r = get(&web, &app, "/halaman/yang-tidak-ada").await;
    assert_eq!(r.status(), 404);
    assert!(r.headers()["content-type"].to_str().unwrap_or("").starts_with("text/html"));
    assert_eq!(r.headers()["cache-control"], "no-store, private");
    let html = r.text().await.expect("html");
    assert!(html.contains("Halaman tidak ditemukan") && html.contains("href=\"/\""), "{html}");
    assert!(
        html.contains("/dinas/verifikasi") && html.contains("Keluar"),
        "signed-in menu: {html}"
    );

    let r = web.delete(app.url("/katalog")).send().await.expect("sent");
    assert_eq!(r.status(), 405);
    let html = r.text().await.expect("html");
    assert!(html.contains("Cara membuka halaman ini salah") && html.contains("Keluar"), "{html}");
    let anon = get(&browser(), &app, "/tidak-ada").await;
    assert_eq!(anon.status(), 404);
    assert!(anon.text().await.expect("html").contains("Daftar UMKM"), "logged-out menu");
}

#[tokio::test]
async fn signed_in_pages_are_not_kept_and_logout_says_so() {
    let app = spawn_app().await;
    let c = app.user(Role::Umkm).await;
    let (web, csrf) = web_login(&app, &c).await;
    let r = get(&web, &app, "/produk-saya").await;
    assert_eq!(r.headers()["cache-control"], "no-store, private");
    let r =
        web.post(app.url("/keluar")).form(&[("csrf", csrf.as_str())]).send().await.expect("sent");
    assert_eq!(r.status(), 303);
    let html = get(&web, &app, &location(&r)).await.text().await.expect("html");
    assert!(html.contains("Anda sudah keluar."), "{html}");
    let r = get(&web, &app, "/produk-saya").await;
    assert_eq!(location(&r), "/masuk?next=%2Fproduk-saya", "Back after logout: the login page");
}
