//! A signed-in `Caller`, the `TestApp` request methods (JSON in, response out) and the common
//! arrangements: an account of a role, a producer, a draft, a submitted or published product,
//! and the same request sent several times at once.

use etalase_domain::roles::Role;
use reqwest::{Method, Response};
use serde_json::{Value, json};

use super::{TestApp, json_ok, producer_body, product_body, unique};

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
