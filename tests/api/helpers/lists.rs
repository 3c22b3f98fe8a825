//! Arrangements for the list tests: many products of one business in the catalog, many
//! submitted products waiting for the Dinas, and a cookie-signed-in browser-like client.

use etalase_domain::roles::Role;
use serde_json::{Value, json};

use super::{Caller, TestApp, json_ok, producer_body, product_body, random_nib};

/// The name of the `i`-th seeded product: every third is a "Sambel Pedes" (with a halal
/// certificate in [`TestApp::catalog_of`]), the others "Kripik Singkong" or "Kopi Robusta".
pub fn seeded_name(i: usize) -> String {
    match i % 3 {
        0 => format!("Sambel Pedes Bawang {i:02}"),
        1 => format!("Kripik Singkong Balado {i:02}"),
        _ => format!("Kopi Robusta Banten {i:02}"),
    }
}

/// The retail price of the `i`-th seeded product: Rp10.000, Rp11.000, …
pub fn seeded_price(i: usize) -> i64 {
    10_000 + 1_000 * i as i64
}

fn seeded_body(i: usize) -> Value {
    let mut body = product_body();
    body["name"] = json!(seeded_name(i));
    body["category"] = json!(match i % 3 {
        0 => "bumbu-sambal",
        1 => "makanan-ringan",
        _ => "kopi-teh",
    });
    body["description"] = json!(match i % 3 {
        0 => "Sambal bawang ulek khas Serang, tanpa pengawet.",
        1 => "Keripik singkong renyah berbumbu balado.",
        _ => "Bubuk kopi robusta dari kebun Banten.",
    });
    body["retail_price"] = json!(seeded_price(i));
    body["wholesale_price"] = json!(seeded_price(i) - 2_000);
    body
}

impl TestApp {
    /// A new UMKM account with a business named `name` (not yet verified).
    pub async fn business(&self, name: &str) -> (Caller, i64) {
        let c = self.user(Role::Umkm).await;
        let mut body = producer_body(&random_nib());
        body["name"] = json!(name);
        let v = json_ok(self.post("/api/v1/producers", Some(&c.token), body).await, 201).await;
        (c, v["id"].as_i64().expect("id"))
    }

    /// `n` products of the business `producer_name` published and in the search index; every
    /// "Sambel Pedes" has a halal certificate. Returns the product ids in order.
    pub async fn catalog_of(&self, producer_name: &str, n: usize) -> Vec<i64> {
        let (c, producer_id) = self.business(producer_name).await;
        self.verify_producer(producer_id).await;
        let dinas = self.user(Role::Dinas).await;
        let mut ids = Vec::new();
        for i in 0..n {
            let v =
                json_ok(self.post("/api/v1/products", Some(&c.token), seeded_body(i)).await, 201)
                    .await;
            let id = v["id"].as_i64().expect("id");
            if i % 3 == 0 {
                let r = self
                    .post(
                        &format!("/api/v1/products/{id}/certificates"),
                        Some(&c.token),
                        json!({"kind": "halal", "number": format!("ID3611000012{i:04}")}),
                    )
                    .await;
                assert_eq!(r.status(), 201, "halal certificate of product {i}");
            }
            self.act(id, "submit", &c.token).await;
            self.act(id, "publish", &dinas.token).await;
            ids.push(id);
        }
        self.settle().await;
        ids
    }

    /// `n` products of a new (unverified) business `producer_name`, submitted for review.
    /// Returns the owner, the producer id and the product ids.
    pub async fn submitted_of(&self, producer_name: &str, n: usize) -> (Caller, i64, Vec<i64>) {
        let (c, producer_id) = self.business(producer_name).await;
        let mut ids = Vec::new();
        for i in 0..n {
            let v =
                json_ok(self.post("/api/v1/products", Some(&c.token), seeded_body(i)).await, 201)
                    .await;
            let id = v["id"].as_i64().expect("id");
            self.act(id, "submit", &c.token).await;
            ids.push(id);
        }
        (c, producer_id, ids)
    }

    /// A client that keeps cookies and does not follow redirects, signed in as `c` through the
    /// login page.
    pub async fn web_client(&self, c: &Caller) -> reqwest::Client {
        let web = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let html =
            web.get(self.url("/masuk")).send().await.expect("sent").text().await.expect("html");
        let r = web
            .post(self.url("/masuk"))
            .form(&[
                ("csrf", csrf_in(&html).as_str()),
                ("email", c.email.as_str()),
                ("password", c.password.as_str()),
            ])
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), 303, "web login of {}", c.email);
        web
    }

    /// [`web_client`](Self::web_client) with the session's CSRF token (the same on every page).
    pub async fn web_login(&self, c: &Caller) -> (reqwest::Client, String) {
        let web = self.web_client(c).await;
        let r = web.get(self.url("/katalog")).send().await.expect("sent");
        let html = r.text().await.expect("html");
        let token = csrf_in(&html);
        (web, token)
    }
}

/// The CSRF token of the first form of a page.
pub fn csrf_in(html: &str) -> String {
    let key = "name=\"csrf\" value=\"";
    let at = html.find(key).expect("csrf field") + key.len();
    html[at..].split('"').next().expect("token").to_string()
}
