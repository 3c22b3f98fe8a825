//! The store manager's small world: chain "Mitra Swalayan" with one store in Kec. Serang and
//! its manager, a compliance policy (2 agreements, 3 products, 2 producers), and two published emping products from Taktakan, one with a P-IRT (meets the
//! city standard) and one without (fails it).

use etalase_domain::roles::Role;
use serde_json::json;

use crate::helpers::*;

pub struct World {
    pub manager: Caller,
    pub eligible: i64,
    pub failing: i64,
}

/// A published product of a new, verified producer; with a P-IRT when `pirt`.
async fn published(app: &TestApp, name: &str, pirt: bool) -> i64 {
    let (c, producer) = app.umkm_with_producer().await;
    app.verify_producer(producer).await;
    let mut body = product_body();
    body["name"] = json!(name);
    let p = json_ok(app.post("/api/v1/products", Some(&c.token), body).await, 201).await;
    let id = p["id"].as_i64().expect("id");
    if pirt {
        let cert = json!({"kind": "pirt", "number": "2013673010234-29"});
        let r =
            app.post(&format!("/api/v1/products/{id}/certificates"), Some(&c.token), cert).await;
        json_ok(r, 201).await;
    }
    let r = app.post_empty(&format!("/api/v1/products/{id}/submit"), Some(&c.token)).await;
    assert_eq!(r.status(), 200, "submitted");
    let dinas = app.user(Role::Dinas).await;
    let r = app.post_empty(&format!("/api/v1/products/{id}/publish"), Some(&dinas.token)).await;
    assert_eq!(r.status(), 200, "published");
    id
}

pub async fn world(app: &TestApp) -> World {
    let dinas = app.user(Role::Dinas).await;
    let chain = json_ok(
        app.post(
            "/api/v1/chains",
            Some(&dinas.token),
            json!({"code": "MS", "name": "Mitra Swalayan", "kind": "local"}),
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
            json!({"code": "MS-001", "name": "Mitra Swalayan Ciceri", "chain_code": "MS",
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
    let policy = json!({"min_agreements": 2, "min_products": 3, "min_producers": 2, "effective_from": "2026-06-01"});
    json_ok(app.post("/api/v1/compliance/policies", Some(&dinas.token), policy).await, 201).await;
    let eligible = published(app, "Emping Melinjo Pedas Manis", true).await;
    let failing = published(app, "Emping Melinjo Pedas", false).await;
    app.settle().await;
    World { manager, eligible, failing }
}
