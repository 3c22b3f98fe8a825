//! `spawn_app()` and `TestApp`: each test gets its own server on a free port, its own database
//! (a SQLite file, or a fresh PostgreSQL database when `ETALASE_TEST_DB=postgres`), its own
//! blob folder and a clock it can move. Everything is removed when the `TestApp` is dropped.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use etalase_domain::ports::Clock;
use etalase_domain::roles::Role;
use etalase_server::state::AppState;
use etalase_server::{Application, Config};
use reqwest::{Client, Method, Response};
use serde_json::{Value, json};

/// A clock the test can set.
pub struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    pub fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = t;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct TestApp {
    pub address: String,
    pub state: AppState,
    pub clock: Arc<TestClock>,
    pub client: Client,
    data_dir: PathBuf,
    pg_db: Option<(String, String)>,
}

fn unique() -> String {
    use rand::Rng;
    format!("{}_{:08x}", std::process::id(), rand::thread_rng().r#gen::<u32>())
}

pub fn pg_admin_url() -> String {
    std::env::var("ETALASE_TEST_PG_URL").unwrap_or_else(|_| {
        let port = std::env::var("ETALASE_TEST_PG_PORT").unwrap_or_else(|_| "55432".into());
        format!("postgres://postgres@127.0.0.1:{port}/postgres")
    })
}

pub fn on_postgres() -> bool {
    std::env::var("ETALASE_TEST_DB").is_ok_and(|v| v == "postgres")
}

async fn create_pg_database(name: &str) -> String {
    use sea_orm::ConnectionTrait;
    let admin = pg_admin_url();
    let conn = sea_orm::Database::connect(&admin)
        .await
        .expect("PostgreSQL for tests is not running (make services)");
    conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create test database");
    conn.close().await.ok();
    let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin);
    format!("{base}/{name}")
}

/// Jakarta noon on 1 June 2026 — a fixed "today" for tests.
pub fn test_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 5, 0, 0).single().expect("valid time")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}, None).await
}

/// Like `spawn_app`, with changes to the configuration and, optionally, another blob store.
pub async fn spawn_app_with(
    tweak: impl FnOnce(&mut Config),
    blobs: Option<Arc<dyn etalase_domain::ports::BlobStore>>,
) -> TestApp {
    spawn_app_full(tweak, blobs, None).await
}

/// Wraps the test app's search index (e.g. to take it down).
pub type WrapIndex = Box<
    dyn FnOnce(
        Arc<dyn etalase_domain::search::SearchIndex>,
    ) -> Arc<dyn etalase_domain::search::SearchIndex>,
>;

/// Like `spawn_app_with`, and `search` wraps the configured index (to take it down in tests).
pub async fn spawn_app_full(
    tweak: impl FnOnce(&mut Config),
    blobs: Option<Arc<dyn etalase_domain::ports::BlobStore>>,
    search: Option<WrapIndex>,
) -> TestApp {
    let id = unique();
    let data_dir = std::env::temp_dir().join(format!("etalase-test-{id}"));
    let pg_db = if on_postgres() {
        let name = format!("etalase_t_{id}");
        let url = create_pg_database(&name).await;
        Some((name, url))
    } else {
        None
    };
    let mut config = Config {
        data_dir: data_dir.clone(),
        database_url: pg_db.as_ref().map(|(_, u)| u.clone()),
        bind: "127.0.0.1:0".into(),
        max_document_bytes: 256 * 1024,
        ..Config::default()
    };
    tweak(&mut config);
    let clock = Arc::new(TestClock(Mutex::new(test_now())));
    let blobs = blobs.unwrap_or_else(|| etalase_server::app::blob_store_for(&config));
    let index = etalase_server::service::search_sync::open_search(&config)
        .await
        .expect("search index opens");
    let index = match search {
        Some(wrap) => wrap(index),
        None => index,
    };
    let app = Application::build_with_search(config, clock.clone(), blobs, index)
        .await
        .expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    let client = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp { address, state, clock, client, data_dir, pg_db }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
        if let Some((name, _)) = self.pg_db.take() {
            let admin = pg_admin_url();
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build()
                else {
                    return;
                };
                rt.block_on(async {
                    use sea_orm::ConnectionTrait;
                    if let Ok(conn) = sea_orm::Database::connect(&admin).await {
                        let _ = conn
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                        let _ = conn.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// A signed-in API caller.
#[derive(Clone, Debug)]
pub struct Caller {
    pub email: String,
    pub password: String,
    pub token: String,
    pub user_id: i64,
}

pub const PASSWORD: &str = "kata-sandi-uji";

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Sends a request with an optional bearer token and JSON body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Method::GET, path, token, None).await
    }
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.send(Method::POST, path, token, Some(body)).await
    }
    pub async fn post_empty(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Method::POST, path, token, None).await
    }
    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.send(Method::PATCH, path, token, Some(body)).await
    }
    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Method::DELETE, path, token, None).await
    }

    /// Creates an account of `role` directly and logs it in through the API.
    pub async fn user(&self, role: Role) -> Caller {
        let email = format!("{}-{}@uji.etalase.id", role.as_str(), unique());
        let u = etalase_server::service::users::create_account(
            &self.state,
            &email,
            PASSWORD,
            "Pengguna Uji",
            role,
        )
        .await
        .expect("account created");
        let token = self.login(&email, PASSWORD).await;
        Caller { email, password: PASSWORD.into(), token, user_id: u.id }
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let r = self
            .post("/api/v1/auth/login", None, json!({"email": email, "password": password}))
            .await;
        assert_eq!(r.status(), 200, "login of {email}");
        let v: Value = r.json().await.expect("json");
        v["token"].as_str().expect("token").to_string()
    }

    /// A UMKM account with a registered business; returns the caller and the producer id.
    pub async fn umkm_with_producer(&self) -> (Caller, i64) {
        let c = self.user(Role::Umkm).await;
        let nib = format!(
            "{:013}",
            rand::Rng::gen_range(
                &mut rand::thread_rng(),
                1_000_000_000_000u64..9_999_999_999_999u64
            )
        );
        let r = self.post("/api/v1/producers", Some(&c.token), producer_body(&nib)).await;
        assert_eq!(r.status(), 201, "producer created: {}", r.text().await.unwrap_or_default());
        let v: Value = r.json().await.expect("json");
        (c, v["id"].as_i64().expect("id"))
    }

    /// Verifies a producer as a (new) Dinas officer.
    pub async fn verify_producer(&self, producer_id: i64) {
        let dinas = self.user(Role::Dinas).await;
        let r = self
            .post_empty(&format!("/api/v1/producers/{producer_id}/verify"), Some(&dinas.token))
            .await;
        assert_eq!(r.status(), 200, "verified");
    }

    /// Creates a draft product as `c`; returns its JSON.
    pub async fn draft_product(&self, c: &Caller) -> Value {
        let r = self.post("/api/v1/products", Some(&c.token), product_body()).await;
        assert_eq!(r.status(), 201, "product created");
        r.json().await.expect("json")
    }

    /// A verified producer with one published product: (owner, product id).
    pub async fn published_product(&self) -> (Caller, i64) {
        let (c, pid) = self.umkm_with_producer().await;
        self.verify_producer(pid).await;
        let p = self.draft_product(&c).await;
        let id = p["id"].as_i64().expect("id");
        let r = self.post_empty(&format!("/api/v1/products/{id}/submit"), Some(&c.token)).await;
        assert_eq!(r.status(), 200, "submitted");
        let dinas = self.user(Role::Dinas).await;
        let r =
            self.post_empty(&format!("/api/v1/products/{id}/publish"), Some(&dinas.token)).await;
        assert_eq!(r.status(), 200, "published");
        (c, id)
    }
}

pub fn producer_body(nib: &str) -> Value {
    json!({
        "name": "Dapur Emping Bu Sari",
        "owner_name": "Sari Wulandari",
        "nib": nib,
        "scale": "mikro",
        "risk_level": "rendah",
        "address": "Jl. Raya Taktakan No. 12",
        "kelurahan_code": "36.73.06.1001",
        "whatsapp": "0812-3456-7890"
    })
}

pub fn product_body() -> Value {
    json!({
        "name": "Emping Melinjo Pedas",
        "category": "makanan-ringan",
        "description": "Emping melinjo Taktakan, digoreng dengan bumbu pedas.",
        "net_content": 250,
        "net_unit": "g",
        "pack_size": 1,
        "packaging": "standing_pouch",
        "shelf_life_days": 180,
        "storage": "ambient",
        "wholesale_price": 22000,
        "retail_price": 28000,
        "min_order": 10,
        "monthly_capacity": 500
    })
}

/// Reads a problem+json body and checks its media type.
pub async fn problem(r: Response) -> Value {
    let ct =
        r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert_eq!(ct, "application/problem+json", "problem media type");
    r.json().await.expect("problem json")
}

/// The field names of a 422 problem.
pub fn fields(p: &Value) -> Vec<String> {
    p["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Assertion helpers shared by the feature modules.

/// Asserts `r` has `status`, returning its JSON body (the body is shown when it does not).
pub async fn json_ok(r: Response, status: u16) -> Value {
    let got = r.status().as_u16();
    let text = r.text().await.expect("body");
    assert_eq!(got, status, "status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON body ({e}): {text}"))
}

/// Asserts `r` is a problem+json with `status` and `code` (and a consistent `type`/`status`),
/// returning the problem.
pub async fn expect_problem(r: Response, status: u16, code: &str) -> Value {
    let got = r.status().as_u16();
    let ct =
        r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let text = r.text().await.expect("body");
    assert_eq!(got, status, "status; body: {text}");
    assert_eq!(ct, "application/problem+json", "problem media type; body: {text}");
    let p: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("problem JSON ({e}): {text}"));
    assert_eq!(p["code"], code, "problem code; body: {p}");
    assert_eq!(p["status"], status, "status inside the problem");
    assert_eq!(p["type"], format!("/problems/{code}"), "problem type");
    assert!(p["title"].as_str().is_some_and(|t| !t.is_empty()), "problem title");
    assert!(p["detail"].as_str().is_some_and(|t| !t.is_empty()), "problem detail");
    p
}

/// Asserts `r` is a 422 naming every field of `expected` with its code; returns the problem.
pub async fn expect_invalid(r: Response, expected: &[(&str, &str)]) -> Value {
    let p = expect_problem(r, 422, "validation_failed").await;
    for (field, code) in expected {
        assert_eq!(
            field_code(&p, field).as_deref(),
            Some(*code),
            "field {field} should fail with {code}: {p}"
        );
    }
    p
}

/// The code of the first error on `field` of a 422 problem.
pub fn field_code(p: &Value, field: &str) -> Option<String> {
    p["errors"]
        .as_array()?
        .iter()
        .find(|e| e["field"] == field)
        .and_then(|e| e["code"].as_str())
        .map(str::to_string)
}

/// A random 13-digit NIB (fictional).
pub fn random_nib() -> String {
    format!(
        "{:013}",
        rand::Rng::gen_range(&mut rand::thread_rng(), 1_000_000_000_000u64..9_999_999_999_999u64)
    )
}

impl TestApp {
    /// GETs `path` as `token` and asserts 200; returns the JSON.
    pub async fn read(&self, path: &str, token: Option<&str>) -> Value {
        json_ok(self.get(path, token).await, 200).await
    }

    /// The `total` of a paginated list read as `token`.
    pub async fn total(&self, path: &str, token: Option<&str>) -> u64 {
        self.read(path, token).await["total"].as_u64().expect("total")
    }

    /// The ids of the `items` of a paginated list read as `token`.
    pub async fn ids(&self, path: &str, token: Option<&str>) -> Vec<i64> {
        let v = self.read(path, token).await;
        v["items"].as_array().expect("items").iter().filter_map(|i| i["id"].as_i64()).collect()
    }

    /// Performs a lifecycle action on a product and asserts 200; returns the product.
    pub async fn act(&self, product_id: i64, action: &str, token: &str) -> Value {
        let r =
            self.post_empty(&format!("/api/v1/products/{product_id}/{action}"), Some(token)).await;
        json_ok(r, 200).await
    }

    /// A submitted product of a fresh UMKM (producer not verified): (owner, producer id, product id).
    pub async fn submitted_product(&self) -> (Caller, i64, i64) {
        let (c, producer_id) = self.umkm_with_producer().await;
        let id = self.draft_product(&c).await["id"].as_i64().expect("id");
        self.act(id, "submit", &c.token).await;
        (c, producer_id, id)
    }
}

/// Asserts a 422 refusing one unknown field `name`: code `unknown_field`, the message quoting
/// it. (The exact `field` value is pinned by `validation::an_unknown_field_is_named_by_itself`.)
pub async fn expect_unknown_field(r: Response, name: &str) -> Value {
    let p = expect_problem(r, 422, "validation_failed").await;
    let errs = p["errors"].as_array().expect("errors");
    assert_eq!(errs.len(), 1, "one error: {p}");
    assert_eq!(errs[0]["code"], "unknown_field", "{p}");
    assert!(
        errs[0]["message"].as_str().unwrap_or("").contains(&format!("\"{name}\"")),
        "the message quotes {name}: {p}"
    );
    assert!(errs[0]["field"].as_str().unwrap_or("").ends_with(name), "the field names {name}: {p}");
    p
}

impl TestApp {
    /// Sends one request per body, all at once, as `token`; returns (status, JSON body) of each.
    pub async fn concurrently(
        &self,
        method: Method,
        path: &str,
        token: &str,
        bodies: Vec<Value>,
    ) -> Vec<(u16, Value)> {
        let mut set = tokio::task::JoinSet::new();
        for body in bodies {
            let req =
                self.client.request(method.clone(), self.url(path)).bearer_auth(token).json(&body);
            set.spawn(async move {
                let r = req.send().await.expect("request sent");
                let status = r.status().as_u16();
                (status, r.json::<Value>().await.unwrap_or(Value::Null))
            });
        }
        let mut out = Vec::new();
        while let Some(res) = set.join_next().await {
            out.push(res.expect("request task"));
        }
        out
    }
}
