//! Accounts end: a disabled account loses its cookie session and API token at once and cannot
//! log in until re-enabled; only the admin disables; a password change ends the other sessions
//! but not the one in use; the inbox counts what arrived since it was last opened.

use etalase_domain::roles::Role;

use crate::agreements::{propose, world};
use crate::helpers::*;

/// A browser-like client (cookies, no redirects followed).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

pub fn csrf_in(html: &str) -> String {
    let key = "name=\"csrf\" value=\"";
    let at = html.find(key).expect("csrf field") + key.len();
    html[at..].split('"').next().expect("token").to_string()
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

pub async fn get(web: &reqwest::Client, app: &TestApp, path: &str) -> reqwest::Response {
    web.get(app.url(path)).send().await.expect("sent")
}

/// Posts the login form (with an optional `next`); returns the response.
pub async fn post_login(
    web: &reqwest::Client,
    app: &TestApp,
    email: &str,
    password: &str,
    next: Option<&str>,
) -> reqwest::Response {
    let html = get(web, app, "/masuk").await.text().await.expect("html");
    let mut form =
        vec![("csrf", csrf_in(&html)), ("email", email.into()), ("password", password.into())];
    if let Some(n) = next {
        form.push(("next", n.into()));
    }
    web.post(app.url("/masuk")).form(&form).send().await.expect("sent")
}

/// Signs in through the login page; returns the client and its session's CSRF token.
pub async fn web_login(app: &TestApp, c: &Caller) -> (reqwest::Client, String) {
    let web = browser();
    let r = post_login(&web, app, &c.email, &c.password, None).await;
    assert_eq!(r.status(), 303, "web login of {}", c.email);
    let html = get(&web, app, "/akun/sandi").await.text().await.expect("html");
    (web, csrf_in(&html))
}

#[tokio::test]
async fn a_disabled_account_loses_cookie_and_token_at_once_and_comes_back_when_enabled() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin).await;
    let owner = app.user(Role::Umkm).await;
    let (admin_web, admin_csrf) = web_login(&app, &admin).await;
    let (owner_web, _) = web_login(&app, &owner).await;
    assert_eq!(app.get("/api/v1/me", Some(&owner.token)).await.status(), 200);

    let confirm = get(&admin_web, &app, &format!("/admin/pengguna/{}/nonaktifkan", owner.user_id))
        .await
        .text()
        .await
        .expect("html");
    assert!(confirm.contains(&owner.email) && confirm.contains("2 sesi"), "{confirm}");
    let r = admin_web
        .post(app.url(&format!("/admin/pengguna/{}/nonaktifkan", owner.user_id)))
        .form(&[("csrf", admin_csrf.as_str())])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/admin/pengguna/{}", owner.user_id));
    let detail = get(&admin_web, &app, &location(&r)).await.text().await.expect("html");
    assert!(detail.contains("dinonaktifkan") && detail.contains("Nonaktif"), "{detail}");

    expect_problem(app.get("/api/v1/me", Some(&owner.token)).await, 401, "unauthenticated").await;
    let r = get(&owner_web, &app, "/akun/sandi").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/masuk?next=%2Fakun%2Fsandi");
    let r = app
        .post(
            "/api/v1/auth/login",
            None,
            serde_json::json!({"email": owner.email, "password": PASSWORD}),
        )
        .await;
    let p = expect_problem(r, 422, "validation_failed").await;
    assert!(p["detail"].as_str().unwrap_or("").contains("dinonaktifkan"), "{p}");
    let page = post_login(&browser(), &app, &owner.email, PASSWORD, None).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("html").contains("dinonaktifkan oleh admin"));

    let r = admin_web
        .post(app.url(&format!("/admin/pengguna/{}/aktifkan", owner.user_id)))
        .form(&[("csrf", admin_csrf.as_str())])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 303);
    let token = app.login(&owner.email, PASSWORD).await;
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status(), 200);
}

#[tokio::test]
async fn only_the_admin_disables_and_edits_accounts() {
    let app = spawn_app().await;
    let victim = app.user(Role::Umkm).await;
    let dinas = app.user(Role::Dinas).await;
    let (web, csrf) = web_login(&app, &dinas).await;
    let r = web
        .post(app.url(&format!("/admin/pengguna/{}/nonaktifkan", victim.user_id)))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 403);
    let html = r.text().await.expect("html");
    assert!(html.contains("Hanya Admin") || html.contains("Hanya admin"), "{html}");
    assert!(
        html.contains("Keluar") && html.contains("/dinas/verifikasi"),
        "signed-in menu: {html}"
    );
    assert_eq!(app.get("/api/v1/me", Some(&victim.token)).await.status(), 200, "still active");

    let admin = app.user(Role::Admin).await;
    let (aw, acsrf) = web_login(&app, &admin).await;
    let r = aw
        .post(app.url(&format!("/admin/pengguna/{}", victim.user_id)))
        .form(&[("csrf", acsrf.as_str()), ("display_name", "Bu Sari"), ("role", "dinas")])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 303);
    let me = app.read("/api/v1/me", Some(&victim.token)).await;
    let u = &me["user"];
    assert_eq!((u["display_name"].as_str(), u["role"].as_str()), (Some("Bu Sari"), Some("dinas")));
    let r = aw
        .post(app.url(&format!("/admin/pengguna/{}", admin.user_id)))
        .form(&[("csrf", acsrf.as_str()), ("display_name", "Admin"), ("role", "umkm")])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 422, "an admin cannot demote themself");
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_but_not_this_one() {
    let app = spawn_app().await;
    let c = app.user(Role::Umkm).await;
    let (web, csrf) = web_login(&app, &c).await;
    let (other_web, _) = web_login(&app, &c).await;
    let change = |current: &str, new: &str, again: &str| {
        web.post(app.url("/akun/sandi"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current_password", current),
                ("password", new),
                ("password_confirm", again),
            ])
            .send()
    };
    let r = change("bukan-sandinya", "sandi-baru-123", "sandi-baru-123").await.expect("sent");
    assert_eq!(r.status(), 422);
    let html = r.text().await.expect("html");
    assert!(html.contains("Kata sandi sekarang salah."), "{html}");
    assert!(html.contains("name=\"current_password\" type=\"password\" autocomplete=\"current-password\" aria-invalid=\"true\""), "{html}");
    let r = change(PASSWORD, "sandi-baru-123", "sandi-lain-123").await.expect("sent");
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("html").contains("Ulangi kata sandi baru yang sama."));
    assert_eq!(app.get("/api/v1/me", Some(&c.token)).await.status(), 200, "nothing changed yet");

    let r = change(PASSWORD, "sandi-baru-123", "sandi-baru-123").await.expect("sent");
    assert_eq!(r.status(), 303);
    let landing = get(&web, &app, &location(&r)).await;
    assert_eq!(landing.status(), 200, "this session goes on");
    assert!(landing.text().await.expect("html").contains("Kata sandi diganti. 2 sesi lain"));
    expect_problem(app.get("/api/v1/me", Some(&c.token)).await, 401, "unauthenticated").await;
    assert_eq!(get(&other_web, &app, "/produk-saya").await.status(), 303, "other browser out");
    let r = app
        .post(
            "/api/v1/auth/login",
            None,
            serde_json::json!({"email": c.email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status(), 422, "the old password no longer works");
    app.login(&c.email, "sandi-baru-123").await;
}

#[tokio::test]
async fn the_inbox_count_shows_what_arrived_since_the_last_visit() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (web, _) = web_login(&app, &w.umkm).await;
    let badge = |html: &str| {
        html.split("class=\"badge unread\"")
            .nth(1)
            .and_then(|r| r.split('>').nth(1))
            .and_then(|r| r.split('<').next())
            .map(str::to_string)
    };
    let html = get(&web, &app, "/produk-saya").await.text().await.expect("html");
    assert_eq!(badge(&html), None, "nothing waits yet");
    propose(&app, &w.manager.token, w.store, w.product).await;
    let html = get(&web, &app, "/produk-saya").await.text().await.expect("html");
    assert_eq!(badge(&html).as_deref(), Some("1"), "{html}");
    let inbox = get(&web, &app, "/kotak-masuk").await.text().await.expect("html");
    assert_eq!(badge(&inbox), None, "opened: read");
    let html = get(&web, &app, "/produk-saya").await.text().await.expect("html");
    assert_eq!(badge(&html), None);
}

#[tokio::test]
async fn the_login_page_says_how_long_to_wait_and_lets_the_owner_in_after_it() {
    let app = spawn_app().await;
    let c = app.user(Role::Umkm).await;
    let web = browser();
    for _ in 0..5 {
        let html =
            post_login(&web, &app, &c.email, "salah-terus", None).await.text().await.unwrap();
        assert!(html.contains("Email atau kata sandi salah."));
    }

    let html = post_login(&web, &app, &c.email, PASSWORD, None).await.text().await.unwrap();

    assert!(html.contains("Coba lagi dalam 2 detik."), "a short wait in seconds");
    app.advance(chrono::Duration::seconds(2));
    let r = post_login(&web, &app, &c.email, PASSWORD, None).await;
    assert_eq!(r.status(), 303, "signed in once the wait is over");
}
