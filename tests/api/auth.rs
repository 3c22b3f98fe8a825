//! Accounts and sessions: registration, login (with throttling), logout, `GET /me`.

use chrono::{DateTime, Duration, Utc};
use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::helpers::*;

fn account(email: &str) -> Value {
    json!({"email": email, "password": PASSWORD, "display_name": "Sari Wulandari"})
}

async fn login_attempt(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.post("/api/v1/auth/login", None, json!({"email": email, "password": password})).await
}

/// Number of accounts, as an admin sees them (the admin itself included).
async fn account_count(app: &TestApp, admin: &Caller) -> u64 {
    app.total("/api/v1/users", Some(&admin.token)).await
}

#[tokio::test]
async fn registering_creates_a_umkm_account_whose_token_works_on_me() {
    let app = spawn_app().await;

    let r = app.post("/api/v1/auth/register", None, account("Sari.Emping@Contoh.ID")).await;

    let v = json_ok(r, 201).await;
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["user"]["role"], "umkm");
    assert_eq!(v["user"]["email"], "sari.emping@contoh.id", "email is stored lower-cased");
    let token = v["token"].as_str().expect("token");
    assert!(token.len() >= 32, "a long random token: {token}");
    let me = app.read("/api/v1/me", Some(token)).await;
    assert_eq!(me["user"]["email"], "sari.emping@contoh.id");
    assert_eq!(me["user"]["role"], "umkm");
    assert_eq!(me["user"]["id"], v["user"]["id"]);
    assert!(me["producer"].is_null(), "no business registered yet");
}

#[tokio::test]
async fn registering_an_email_twice_is_email_taken_and_keeps_the_first_password() {
    let app = spawn_app().await;
    json_ok(app.post("/api/v1/auth/register", None, account("dua@contoh.id")).await, 201).await;

    let r = app
        .post("/api/v1/auth/register", None, json!({"email": "DUA@contoh.id", "password": "sandi-lain-sekali", "display_name": "Penyusup"}))
        .await;

    expect_problem(r, 409, "email_taken").await;
    app.login("dua@contoh.id", PASSWORD).await;
    expect_problem(
        login_attempt(&app, "dua@contoh.id", "sandi-lain-sekali").await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn registering_with_an_invalid_email_and_a_short_password_names_both_fields() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin).await;
    let before = account_count(&app, &admin).await;

    let r = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": "bukan-email", "password": "pendek", "display_name": "Sari"}),
        )
        .await;

    let p = expect_invalid(r, &[("email", "invalid_format"), ("password", "too_short")]).await;
    assert_eq!(fields(&p).len(), 2, "exactly the two bad fields: {p}");
    assert_eq!(account_count(&app, &admin).await, before, "no account was created");
}

#[tokio::test]
async fn registering_with_an_unknown_field_is_refused_naming_it() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin).await;
    let before = account_count(&app, &admin).await;
    let mut body = account("ingin-admin@contoh.id");
    body["role"] = json!("admin");

    let r = app.post("/api/v1/auth/register", None, body).await;

    expect_unknown_field(r, "role").await;
    assert_eq!(account_count(&app, &admin).await, before, "no account was created");
    expect_problem(
        login_attempt(&app, "ingin-admin@contoh.id", PASSWORD).await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn registering_with_a_non_json_body_is_unsupported_media_type() {
    let app = spawn_app().await;

    let r = app
        .client
        .post(app.url("/api/v1/auth/register"))
        .header("content-type", "text/plain")
        .body(account("teks@contoh.id").to_string())
        .send()
        .await
        .expect("sent");

    expect_problem(r, 415, "unsupported_media_type").await;
    expect_problem(login_attempt(&app, "teks@contoh.id", PASSWORD).await, 422, "validation_failed")
        .await;
}

#[tokio::test]
async fn logging_in_returns_a_bearer_token_valid_for_thirty_days() {
    let app = spawn_app().await;
    let c = app.user(Role::Store).await;

    let r = login_attempt(&app, &c.email.to_uppercase(), PASSWORD).await;

    let v = json_ok(r, 200).await;
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["user"]["email"], c.email);
    assert_eq!(v["user"]["role"], "store");
    let expires: DateTime<Utc> =
        v["expires_at"].as_str().expect("expires_at").parse().expect("RFC 3339");
    assert_eq!(expires, test_now() + Duration::days(30));
    let me = app.read("/api/v1/me", v["token"].as_str()).await;
    assert_eq!(me["user"]["id"], c.user_id);
}

#[tokio::test]
async fn logging_in_with_a_wrong_password_is_refused_as_invalid_credentials() {
    let app = spawn_app().await;
    let c = app.user(Role::Umkm).await;

    let wrong = login_attempt(&app, &c.email, "bukan-sandinya").await;
    let unknown = login_attempt(&app, "tidak-ada@contoh.id", "bukan-sandinya").await;

    let p = expect_invalid(wrong, &[("password", "invalid_credentials")]).await;
    assert!(p.get("token").is_none());
    let q = expect_invalid(unknown, &[("password", "invalid_credentials")]).await;
    assert_eq!(p["errors"], q["errors"], "an unknown email looks the same as a wrong password");
    assert_eq!(p["detail"], q["detail"]);
}

#[tokio::test]
async fn five_failed_logins_lock_the_account_even_for_the_right_password() {
    let app = spawn_app().await;
    let c = app.user(Role::Umkm).await;
    let other = app.user(Role::Umkm).await;
    for i in 0..5 {
        let r = login_attempt(&app, &c.email, "salah-terus").await;
        assert_eq!(r.status(), 422, "failure {} is still answered normally", i + 1);
    }

    let r = login_attempt(&app, &c.email, PASSWORD).await;

    assert_eq!(r.status(), 429);
    let wait: u64 = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=15 * 60).contains(&wait), "wait within the 15-minute window: {wait}");
    let p = expect_problem(r, 429, "too_many_requests").await;
    assert!(
        p["detail"].as_str().unwrap_or("").contains(&wait.to_string()),
        "detail tells how long: {p}"
    );
    app.login(&other.email, PASSWORD).await;
    let me = app.read("/api/v1/me", Some(&c.token)).await;
    assert_eq!(me["user"]["id"], c.user_id, "existing sessions keep working");
}

#[tokio::test]
async fn logging_out_ends_only_the_session_of_that_token() {
    let app = spawn_app().await;
    let c = app.user(Role::Umkm).await;
    let second = app.login(&c.email, PASSWORD).await;

    let r = app.post_empty("/api/v1/auth/logout", Some(&c.token)).await;

    assert_eq!(r.status(), 204);
    expect_problem(app.get("/api/v1/me", Some(&c.token)).await, 401, "unauthenticated").await;
    expect_problem(
        app.post_empty("/api/v1/auth/logout", Some(&c.token)).await,
        401,
        "unauthenticated",
    )
    .await;
    let me = app.read("/api/v1/me", Some(&second)).await;
    assert_eq!(me["user"]["id"], c.user_id);
}

#[tokio::test]
async fn me_without_a_token_is_unauthenticated() {
    let app = spawn_app().await;

    let r = app.get("/api/v1/me", None).await;

    let p = expect_problem(r, 401, "unauthenticated").await;
    assert_eq!(p["title"], "Unauthorized");
    assert!(p.get("errors").is_none(), "no field errors on a 401: {p}");
}

#[tokio::test]
async fn a_garbage_bearer_token_is_unauthenticated() {
    let app = spawn_app().await;
    let someone = app.user(Role::Umkm).await;

    let garbage = app.get("/api/v1/me", Some("bukan-token-yang-sah")).await;
    let wrong_scheme = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", format!("Basic {}", someone.token))
        .send()
        .await
        .expect("sent");

    expect_problem(garbage, 401, "unauthenticated").await;
    expect_problem(wrong_scheme, 401, "unauthenticated").await;
}

#[tokio::test]
async fn an_api_token_stops_working_after_thirty_days() {
    let app = spawn_app().await;
    let c = app.user(Role::Dinas).await;
    app.clock.set(test_now() + Duration::days(30) - Duration::minutes(1));
    app.read("/api/v1/me", Some(&c.token)).await;

    app.clock.set(test_now() + Duration::days(30) + Duration::minutes(1));

    expect_problem(app.get("/api/v1/me", Some(&c.token)).await, 401, "unauthenticated").await;
}
