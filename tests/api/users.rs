//! Accounts created by the admin (`POST|GET /api/v1/users`): Dinas, store and chain accounts
//! cannot register themselves.

use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::helpers::*;

fn new_account(email: &str, role: &str) -> Value {
    json!({"email": email, "password": PASSWORD, "display_name": "Petugas Uji", "role": role})
}

#[tokio::test]
async fn admin_creates_dinas_store_and_chain_accounts_that_can_log_in() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin).await;
    let sm = crate::stores::chain(&app, "SM").await;
    let outlet = crate::stores::store(&app, "SM-1", "SM").await;

    for role in ["dinas", "store", "chain"] {
        let email = format!("{role}@serang-mart.example");
        let mut body = new_account(&email, role);
        match role {
            "store" => body["store_id"] = json!(outlet),
            "chain" => body["chain_id"] = json!(sm),
            _ => {}
        }

        let r = app.post("/api/v1/users", Some(&admin.token), body).await;

        let v = json_ok(r, 201).await;
        assert_eq!(v["role"], role);
        assert_eq!(v["email"], email);
        assert!(
            v.get("password_hash").is_none() && v.get("password").is_none(),
            "no secrets in the view: {v}"
        );
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
        assert_eq!(
            app.total("/api/v1/users", Some(&admin.token)).await,
            before,
            "{role:?} created nothing"
        );
        let login = app
            .post("/api/v1/auth/login", None, json!({"email": email, "password": PASSWORD}))
            .await;
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

    let r = app
        .post("/api/v1/users", Some(&admin.token), new_account("raja@contoh.id", "superuser"))
        .await;

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
        let r = app
            .post(
                "/api/v1/users",
                Some(&admin.token),
                new_account(&format!("dinas{i}@contoh.id"), "dinas"),
            )
            .await;
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

#[tokio::test]
async fn admin_links_store_and_chain_accounts_to_their_store_and_chain() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin).await;
    let ms = crate::stores::chain(&app, "MS").await;
    let a = crate::stores::store(&app, "MS-1", "MS").await;
    crate::stores::store(&app, "MS-2", "MS").await;
    let mut body = new_account("manajer@mitra.example", "store");
    body["store_id"] = json!(a);

    let v = json_ok(app.post("/api/v1/users", Some(&admin.token), body).await, 201).await;

    assert_eq!(
        (v["store_id"].as_i64(), v["chain_id"].as_i64()),
        (Some(a), Some(ms)),
        "the store's chain is taken: {v}"
    );
    let token = app.login("manajer@mitra.example", PASSWORD).await;
    assert_eq!(
        app.ids("/api/v1/stores", Some(&token)).await,
        vec![a],
        "the manager sees only their store"
    );

    let mut body = new_account("kantor@mitra.example", "chain");
    body["chain_id"] = json!(ms);
    let v = json_ok(app.post("/api/v1/users", Some(&admin.token), body).await, 201).await;
    assert_eq!((v["chain_id"].as_i64(), v["store_id"].as_i64()), (Some(ms), None));
    let token = app.login("kantor@mitra.example", PASSWORD).await;
    assert_eq!(
        app.total("/api/v1/stores", Some(&token)).await,
        2,
        "the office sees its chain's stores"
    );
}

#[tokio::test]
async fn affiliations_that_do_not_fit_the_role_are_refused_and_nothing_is_created() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin).await;
    let ms = crate::stores::chain(&app, "MS").await;
    let sm = crate::stores::chain(&app, "SM").await;
    let a = crate::stores::store(&app, "MS-1", "MS").await;
    let cases = [
        (json!({"role": "store"}), "store_id", "required"),
        (json!({"role": "store", "store_id": 999_999}), "store_id", "not_found"),
        (json!({"role": "store", "store_id": a, "chain_id": sm}), "chain_id", "not_store_chain"),
        (json!({"role": "chain"}), "chain_id", "required"),
        (json!({"role": "chain", "chain_id": 999_999}), "chain_id", "not_found"),
        (json!({"role": "chain", "chain_id": ms, "store_id": a}), "store_id", "not_applicable"),
        (json!({"role": "dinas", "chain_id": ms}), "chain_id", "not_applicable"),
        (json!({"role": "umkm", "store_id": a}), "store_id", "not_applicable"),
    ];
    let before = app.total("/api/v1/users", Some(&admin.token)).await;

    for (i, (extra, field, code)) in cases.into_iter().enumerate() {
        let email = format!("salah-{i}@contoh.id");
        let mut body = new_account(&email, extra["role"].as_str().expect("role"));
        for k in ["chain_id", "store_id"] {
            if let Some(v) = extra.get(k) {
                body[k] = v.clone();
            }
        }

        let r = app.post("/api/v1/users", Some(&admin.token), body).await;

        expect_invalid(r, &[(field, code)]).await;
        let login = app
            .post("/api/v1/auth/login", None, json!({"email": email, "password": PASSWORD}))
            .await;
        expect_invalid(login, &[("password", "invalid_credentials")]).await;
    }
    assert_eq!(app.total("/api/v1/users", Some(&admin.token)).await, before, "nothing created");
}
