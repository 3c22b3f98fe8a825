//! Accounts created by the admin (`POST|GET /api/v1/users`): Dinas, store and chain accounts
//! cannot register themselves.

use etalase_domain::roles::Role;
use serde_json::{json, Value};

use crate::helpers::*;

fn new_account(email: &str, role: &str) -> Value {
    json!({"email": email, "password": PASSWORD, "display_name": "Petugas Uji", "role": role})
}

#[tokio::test]
async fn admin_creates_dinas_store_and_chain_accounts_that_can_log_in() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin).await;

    for role in ["dinas", "store", "chain"] {
        let email = format!("{role}@serang-mart.example");

        let r = app.post("/api/v1/users", Some(&admin.token), new_account(&email, role)).await;

        let v = json_ok(r, 201).await;
        assert_eq!(v["role"], role);
        assert_eq!(v["email"], email);
        assert!(v.get("password_hash").is_none() && v.get("password").is_none(), "no secrets in the view: {v}");
        let token = app.login(&email, PASSWORD).await;
        let me = app.read("/api/v1/me", Some(&token)).await;
        assert_eq!(me["user"]["role"], role);
        assert_eq!(me["user"]["id"], v["id"]);
    }
    assert_eq!(app.total("/api/v1/users?role=store", Some(&admin.token)).await, 1);
}

#[tokio::test]
async fn non_admin_roles_cannot_create_accounts() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin).await;

    for role in [Role::Umkm, Role::Dinas, Role::Store, Role::Chain] {
        let caller = app.user(role).await;
        let before = app.total("/api/v1/users", Some(&admin.token)).await;
        let email = format!("buatan-{}@contoh.id", role.as_str());

        let r = app.post("/api/v1/users", Some(&caller.token), new_account(&email, "dinas")).await;

        expect_problem(r, 403, "forbidden").await;
        assert_eq!(app.total("/api/v1/users", Some(&admin.token)).await, before, "{role:?} created nothing");
        let login = app.post("/api/v1/auth/login", None, json!({"email": email, "password": PASSWORD})).await;
        expect_invalid(login, &[("password", "invalid_credentials")]).await;
    }
}

#[tokio::test]
async fn anonymous_callers_cannot_create_accounts() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin).await;

    let r = app.post("/api/v1/users", None, new_account("anon@contoh.id", "admin")).await;

    expect_problem(r, 401, "unauthenticated").await;
    assert_eq!(app.total("/api/v1/users", Some(&admin.token)).await, 1, "only the admin exists");
}

#[tokio::test]
async fn an_unknown_role_is_refused_naming_role() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin).await;

    let r = app.post("/api/v1/users", Some(&admin.token), new_account("raja@contoh.id", "superuser")).await;

    expect_invalid(r, &[("role", "invalid_choice")]).await;
    assert_eq!(app.total("/api/v1/users", Some(&admin.token)).await, 1, "nothing created");
}

#[tokio::test]
async fn admin_creating_an_existing_email_is_email_taken() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin).await;
    let umkm = app.user(Role::Umkm).await;

    let r = app.post("/api/v1/users", Some(&admin.token), new_account(&umkm.email, "dinas")).await;

    expect_problem(r, 409, "email_taken").await;
    let me = app.read("/api/v1/me", Some(&app.login(&umkm.email, PASSWORD).await)).await;
    assert_eq!(me["user"]["role"], "umkm", "the existing account keeps its role");
}

#[tokio::test]
async fn admin_lists_accounts_page_by_page() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin).await;
    for i in 0..4 {
        let r = app.post("/api/v1/users", Some(&admin.token), new_account(&format!("dinas{i}@contoh.id"), "dinas")).await;
        json_ok(r, 201).await;
    }

    let first = app.read("/api/v1/users?per_page=2", Some(&admin.token)).await;
    let last = app.read("/api/v1/users?per_page=2&page=3", Some(&admin.token)).await;
    let dinas = app.read("/api/v1/users?role=dinas", Some(&admin.token)).await;

    assert_eq!((first["page"].as_u64(), first["per_page"].as_u64()), (Some(1), Some(2)));
    assert_eq!((first["total"].as_u64(), first["total_pages"].as_u64()), (Some(5), Some(3)));
    assert_eq!(first["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(first["items"][0]["id"], admin.user_id, "oldest first");
    assert_eq!(last["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(last["page"], 3);
    assert_eq!(dinas["total"], 4);
    assert!(dinas["items"].as_array().expect("items").iter().all(|u| u["role"] == "dinas"));
}

#[tokio::test]
async fn non_admins_cannot_list_accounts() {
    let app = spawn_app().await;

    for role in [Role::Umkm, Role::Dinas, Role::Store] {
        let caller = app.user(role).await;

        let r = app.get("/api/v1/users", Some(&caller.token)).await;

        let p = expect_problem(r, 403, "forbidden").await;
        assert!(p.get("items").is_none(), "no list leaks out: {p}");
    }
}
