//! Permendag 23/2021 over a chain: the listing fees of one UMKM item over all of a chain's
//! outlets at most Rp20 juta (flagged exactly when the sum crosses it), beside the per-outlet
//! (Rp50.000) and 15% limits; the Dinas' list of breaching agreements as a page, CSV and API;
//! everyone else refused.

use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::agreements::terms;
use crate::helpers::*;
use crate::stores::{chain, manager, store, store_body};

/// Terms for `product` with a margin and a listing fee (payment term short: no other flag).
fn fee_terms(product: i64, margin: i64, fee: Option<i64>) -> Value {
    let mut t = terms(product);
    t["store_margin_percent"] = json!(margin);
    t["payment_term_days"] = json!(30);
    t["listing_fee"] = json!(fee);
    t
}

async fn propose(app: &TestApp, umkm: &Caller, store: i64, t: Value) -> Value {
    json_ok(
        app.post("/api/v1/agreements", Some(&umkm.token), json!({"store_id": store, "terms": t}))
            .await,
        201,
    )
    .await
}

fn codes(a: &Value) -> Vec<String> {
    a["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .filter_map(|f| f["code"].as_str().map(str::to_string))
        .collect()
}

/// A published product of a new verified business named `name`: (owner, product id).
async fn product_of(app: &TestApp, name: &str) -> (Caller, i64) {
    let (c, pid) = app.business(name).await;
    app.verify_producer(pid).await;
    let id = app.draft_product(&c).await["id"].as_i64().expect("id");
    app.act(id, "submit", &c.token).await;
    let dinas = app.user(Role::Dinas).await;
    app.act(id, "publish", &dinas.token).await;
    (c, id)
}

struct World {
    cx: i64,
    cy: i64,
    stores: [i64; 3],
    other: i64,
    umkm: Caller,
    product: i64,
}

/// Chain CX with three outlets (the first named `=Gerai Rumus`), chain CY with one; a UMKM
/// `=UMKM Rumus` with one published product.
async fn world(app: &TestApp) -> World {
    let cx = chain(app, "CX").await;
    let cy = chain(app, "CY").await;
    let dinas = app.user(Role::Dinas).await;
    let mut body = store_body("CX-1", "CX");
    body["name"] = json!("=Gerai Rumus");
    let first =
        json_ok(app.post("/api/v1/stores", Some(&dinas.token), body).await, 201).await["id"]
            .as_i64()
            .expect("id");
    let stores = [first, store(app, "CX-2", "CX").await, store(app, "CX-3", "CX").await];
    let other = store(app, "CY-1", "CY").await;
    let (umkm, product) = product_of(app, "=UMKM Rumus").await;
    World { cx, cy, stores, other, umkm, product }
}

#[tokio::test]
async fn the_chain_cap_is_flagged_exactly_when_the_sum_crosses_twenty_million() {
    let app = spawn_app().await;
    let w = world(&app).await;

    let a = propose(&app, &w.umkm, w.stores[0], fee_terms(w.product, 10, Some(10_000_000))).await;
    assert_eq!(codes(&a), ["listing_fee_above_limit"]);
    let b = propose(&app, &w.umkm, w.stores[1], fee_terms(w.product, 10, Some(10_000_000))).await;
    assert_eq!(codes(&b), ["listing_fee_above_limit"], "Rp20.000.000 in total is allowed");
    let c = propose(&app, &w.umkm, w.stores[2], fee_terms(w.product, 10, Some(1))).await;
    assert_eq!(codes(&c), ["chain_listing_fee_above_limit"], "one rupiah more is a breach");
    let msg = c["flags"][0]["message"].as_str().expect("message");
    assert!(msg.contains("Rp20.000.001") && msg.contains("Jaringan CX"), "{msg}");
    assert!(msg.contains("Permendag 23/2021"), "{msg}");

    // Accepting recomputes the cap: the first outlet's agreement is now part of a total above it.
    let m = manager(&app, w.cx, w.stores[0]).await;
    let id = a["id"].as_i64().expect("id");
    let accepted = json_ok(
        app.post_empty(&format!("/api/v1/agreements/{id}/accept"), Some(&m.token)).await,
        200,
    )
    .await;
    assert_eq!(codes(&accepted), ["listing_fee_above_limit", "chain_listing_fee_above_limit"]);

    // Another chain's outlet is not part of CX's total.
    let d = propose(&app, &w.umkm, w.other, fee_terms(w.product, 10, Some(10_000_000))).await;
    assert_eq!(codes(&d), ["listing_fee_above_limit"]);
}

#[tokio::test]
async fn the_dinas_lists_every_breach_by_limit_and_chain_as_page_csv_and_api() {
    let app = spawn_app().await;
    let w = world(&app).await;
    for (s, fee) in [(w.stores[0], 10_000_000), (w.stores[1], 10_000_000), (w.stores[2], 1)] {
        propose(&app, &w.umkm, s, fee_terms(w.product, 10, Some(fee))).await;
    }
    // At CY-1: one agreement over the margin only, one over the per-outlet fee only.
    propose(&app, &w.umkm, w.other, fee_terms(w.product, 16, None)).await;
    let (umkm2, p2) = product_of(&app, "Keripik Bu Sri").await;
    propose(&app, &umkm2, w.other, fee_terms(p2, 10, Some(60_000))).await;
    let dinas = app.user(Role::Dinas).await;

    // 3 chain rows (CX) + 2 per-outlet rows (CX-1, CX-2) + CY's margin and per-outlet rows.
    let all = app.read("/api/v1/compliance/permendag", Some(&dinas.token)).await;
    assert_eq!(all["total"], 7, "{all}");
    let empty = app.read("/api/v1/compliance/permendag?limit=&chain_id=", Some(&dinas.token)).await;
    assert_eq!(empty["total"], 7, "empty filter fields list everything");
    let chain_rows = app
        .read(
            "/api/v1/compliance/permendag?limit=chain_listing_fee_above_limit",
            Some(&dinas.token),
        )
        .await;
    assert_eq!(chain_rows["total"], 3);
    for r in chain_rows["items"].as_array().expect("items") {
        assert_eq!((r["value"].as_i64(), r["excess"].as_i64()), (Some(20_000_001), Some(1)));
        assert_eq!(r["chain_name"], "Jaringan CX");
        assert_eq!(r["producer_name"], "=UMKM Rumus");
    }
    let cy = app
        .read(&format!("/api/v1/compliance/permendag?chain_id={}", w.cy), Some(&dinas.token))
        .await;
    assert_eq!(cy["total"], 2);
    let margin =
        app.read("/api/v1/compliance/permendag?limit=margin_above_limit", Some(&dinas.token)).await;
    assert_eq!(
        (margin["total"].as_i64(), margin["items"][0]["excess"].as_i64()),
        (Some(1), Some(1))
    );
    let per_cx = app
        .read(&format!("/api/v1/compliance/permendag?chain_id={}", w.cx), Some(&dinas.token))
        .await;
    assert_eq!(per_cx["total"], 5);
    expect_problem(
        app.get("/api/v1/compliance/permendag?limit=nope", Some(&dinas.token)).await,
        400,
        "invalid_parameter",
    )
    .await;

    let web = app.web_client(&dinas).await;
    let html =
        web.get(app.url("/kepatuhan/permendag?limit=&chain_id=")).send().await.expect("sent");
    assert_eq!(html.status(), 200);
    let html = html.text().await.expect("html");
    for s in ["(7)", "=Gerai Rumus", "Jaringan CX", "=UMKM Rumus", "Keripik Bu Sri", "Diajukan"] {
        assert!(html.contains(s), "page shows {s}");
    }
    for s in [
        "Total biaya listing jaringan di atas Rp20 juta",
        "Rp20.000.001 (lebih Rp1)",
        "16% (lebih 1 poin persen)",
        "Rp60.000 (lebih Rp10.000)",
    ] {
        assert!(html.contains(s), "page shows {s}");
    }
    let only_margin = web
        .get(app.url("/kepatuhan/permendag?limit=margin_above_limit&chain_id="))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(only_margin.contains("Permendag 23/2021 (1)"), "filtered count");

    let csv = web.get(app.url("/kepatuhan/permendag.csv")).send().await.expect("sent");
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().expect("ct").starts_with("text/csv"));
    let csv = csv.text().await.expect("csv");
    assert_eq!(csv.lines().count(), 8, "header and seven rows:\n{csv}");
    assert!(csv.contains(",'=Gerai Rumus,"), "store name neutralised:\n{csv}");
    assert!(csv.contains(",'=UMKM Rumus,"), "UMKM name neutralised:\n{csv}");
    assert!(!csv.contains(",="), "no cell starts with '=':\n{csv}");
    let cy_csv = web
        .get(app.url(&format!("/kepatuhan/permendag.csv?limit=&chain_id={}", w.cy)))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("csv");
    assert_eq!(cy_csv.lines().count(), 3);
}

#[tokio::test]
async fn only_the_dinas_sees_the_permendag_breaches() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let m = manager(&app, w.cx, w.stores[0]).await;
    let office = crate::stores::office(&app, w.cx).await;
    for c in [&m, &w.umkm, &office] {
        expect_problem(
            app.get("/api/v1/compliance/permendag", Some(&c.token)).await,
            403,
            "forbidden",
        )
        .await;
        let web = app.web_client(c).await;
        for path in ["/kepatuhan/permendag", "/kepatuhan/permendag.csv"] {
            let r = web.get(app.url(path)).send().await.expect("sent");
            assert_eq!(r.status(), 403, "{path} as {}", c.email);
        }
    }
    let admin = app.user(Role::Admin).await;
    app.read("/api/v1/compliance/permendag", Some(&admin.token)).await;
}
