//! Who may write which standard, who may read a product's eligibility, the validation of
//! requirements, the Dinas summary and which standard applies to a store.

use etalase_domain::roles::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, Set};
use serde_json::json;

use crate::helpers::*;
use crate::standards::{baseline_requirements, chain_account, create_standard, wait_job};

fn version_body() -> serde_json::Value {
    json!({"requirements": [{"kind": "gtin"}], "effective_from": "2026-07-01"})
}

async fn version_count(app: &TestApp, sid: i64) -> usize {
    etalase_db::repo::standards::versions(&app.state.db, sid).await.unwrap().len()
}

#[tokio::test]
async fn only_the_dinas_writes_the_baseline_and_a_chain_only_its_own_standard() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (base, _) = create_standard(&app, &dinas.token, baseline_requirements()).await;
    let (chain_a, chain_a_id) = chain_account(&app, "CA").await;
    let (chain_b, _) = chain_account(&app, "CB").await;
    let (own, _) = create_standard(&app, &chain_a.token, json!([{"kind": "gtin"}])).await;
    let s = app.read(&format!("/api/v1/standards/{own}"), Some(&chain_a.token)).await;
    assert_eq!(s["chain_id"], chain_a_id);
    assert_eq!(s["owner_label"], "Jaringan CA");

    // Another chain, the Dinas on a chain's standard, a chain on the baseline: refused.
    for (token, sid) in [(&chain_b.token, own), (&dinas.token, own), (&chain_a.token, base)] {
        let before = version_count(&app, sid).await;
        let r = app
            .post(&format!("/api/v1/standards/{sid}/versions"), Some(token), version_body())
            .await;
        expect_problem(r, 403, "forbidden").await;
        assert_eq!(version_count(&app, sid).await, before, "nothing changed");
    }
    // UMKM and store accounts write nothing but read.
    let (umkm, _) = app.umkm_with_producer().await;
    let store = app.user(Role::Store).await;
    for token in [&umkm.token, &store.token] {
        expect_problem(
            app.post(&format!("/api/v1/standards/{base}/versions"), Some(token), version_body())
                .await,
            403,
            "forbidden",
        )
        .await;
        let r = app.post("/api/v1/standards", Some(token), json!({"name": "Standar lain", "requirements": [{"kind": "gtin"}], "effective_from": "2026-06-01"})).await;
        expect_problem(r, 403, "forbidden").await;
        assert_eq!(app.read("/api/v1/standards", Some(token)).await.as_array().unwrap().len(), 2);
    }
    assert_eq!(version_count(&app, base).await, 1);
    // A chain account with no chain, and a second baseline.
    let loose = app.user(Role::Chain).await;
    expect_problem(app.post("/api/v1/standards", Some(&loose.token), json!({"name": "Standar", "requirements": [{"kind": "gtin"}], "effective_from": "2026-06-01"})).await, 403, "forbidden").await;
    let r = app.post("/api/v1/standards", Some(&dinas.token), json!({"name": "Standar kedua", "requirements": [{"kind": "gtin"}], "effective_from": "2026-06-01"})).await;
    expect_problem(r, 409, "standard_exists").await;
    // The owners themselves may.
    json_ok(
        app.post(
            &format!("/api/v1/standards/{own}/versions"),
            Some(&chain_a.token),
            version_body(),
        )
        .await,
        201,
    )
    .await;
    json_ok(
        app.post(&format!("/api/v1/standards/{base}/versions"), Some(&dinas.token), version_body())
            .await,
        201,
    )
    .await;
    assert_eq!(version_count(&app, own).await, 2);
    expect_problem(app.get("/api/v1/standards", None).await, 401, "unauthenticated").await;
}

#[tokio::test]
async fn requirements_and_dates_are_validated() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let r = app
        .post(
            "/api/v1/standards",
            Some(&dinas.token),
            json!({"name": "Standar", "requirements": [], "effective_from": "2026-06-01"}),
        )
        .await;
    expect_invalid(r, &[("requirements", "required")]).await;
    let r = app.post("/api/v1/standards", Some(&dinas.token), json!({"name": "Standar", "requirements": [{"kind": "shelf_life", "min_days": 0}], "effective_from": "2026-06-01"})).await;
    let p = expect_invalid(r, &[("requirements", "invalid_requirement")]).await;
    assert!(p["detail"].as_str().unwrap().contains("Persyaratan ke-1"), "{p}");
    let r = app.post("/api/v1/standards", Some(&dinas.token), json!({"name": "Standar", "requirements": [{"kind": "gtin"}], "effective_from": "2026-05-31"})).await;
    expect_invalid(r, &[("effective_from", "in_past")]).await;
    let r = app.post("/api/v1/standards", Some(&dinas.token), json!({"name": "Standar", "requirements": [{"kind": "gtin"}], "effective_from": "2026-06-01", "warna": "merah"})).await;
    expect_unknown_field(r, "warna").await;
    let r = app.post("/api/v1/standards", Some(&dinas.token), json!({"name": "Standar", "requirements": [{"kind": "warna"}], "effective_from": "2026-06-01"})).await;
    expect_problem(r, 422, "validation_failed").await;
    assert!(app.read("/api/v1/standards", Some(&dinas.token)).await.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn eligibility_is_for_the_owner_the_dinas_and_stores_once_published() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    create_standard(&app, &dinas.token, baseline_requirements()).await;
    let (owner, published) = app.published_product().await;
    let draft = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let (other, _) = app.umkm_with_producer().await;
    let store = app.user(Role::Store).await;
    let path = |id: i64| format!("/api/v1/products/{id}/eligibility");
    for (token, id, status) in [
        (&owner.token, draft, 200),
        (&dinas.token, draft, 200),
        (&store.token, published, 200),
        (&store.token, draft, 404),
        (&other.token, published, 404),
        (&other.token, draft, 404),
    ] {
        assert_eq!(app.get(&path(id), Some(token)).await.status(), status, "{id} as {token}");
    }
    expect_problem(app.get(&path(published), None).await, 401, "unauthenticated").await;
}

#[tokio::test]
async fn the_summary_counts_eligible_products_and_the_most_common_missing_items_by_kecamatan() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (owner, _) = app.umkm_with_producer().await;
    let a = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let b = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let (sid, job) = create_standard(
        &app,
        &dinas.token,
        // P-IRT: counts as soon as it is added (a halal certificate waits for the officer).
        json!([{"kind": "certificate", "certificate": "pirt"}, {"kind": "gtin"}, {"kind": "net_content"}]),
    )
    .await;
    wait_job(&app, &dinas.token, job.unwrap()).await;
    app.post(
        &format!("/api/v1/products/{a}/certificates"),
        Some(&owner.token),
        json!({"kind": "pirt", "number": "2013673010234-29"}),
    )
    .await;
    let p = app.read(&format!("/api/v1/products/{a}"), Some(&owner.token)).await;
    json_ok(
        app.patch(
            &format!("/api/v1/products/{a}"),
            Some(&owner.token),
            json!({"version": p["version"], "gtin": "8991234567891"}),
        )
        .await,
        200,
    )
    .await;
    let _ = b;

    let s = app.read(&format!("/api/v1/standards/{sid}/summary"), Some(&dinas.token)).await;
    assert_eq!(
        (s["products"].as_u64(), s["eligible"].as_u64(), s["not_eligible"].as_u64()),
        (Some(2), Some(1), Some(1))
    );
    let top = s["top_missing"].as_array().unwrap();
    assert_eq!(top.len(), 2, "{s}");
    assert_eq!(top[0]["products"], 1);
    let taktakan =
        s["by_kecamatan"].as_array().unwrap().iter().find(|k| k["code"] == "36.73.06").unwrap();
    assert_eq!((taktakan["products"].as_u64(), taktakan["eligible"].as_u64()), (Some(2), Some(1)));
    let serang =
        s["by_kecamatan"].as_array().unwrap().iter().find(|k| k["code"] == "36.73.01").unwrap();
    assert_eq!(serang["products"], 0);

    let store = app.user(Role::Store).await;
    expect_problem(
        app.get(&format!("/api/v1/standards/{sid}/summary"), Some(&store.token)).await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.get(&format!("/api/v1/standards/{sid}/summary"), Some(&owner.token)).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_store_follows_its_chains_standard_or_else_the_city_baseline() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (base, _) = create_standard(&app, &dinas.token, baseline_requirements()).await;
    let (chain, chain_id) = chain_account(&app, "MS").await;
    let (_, other_chain) = chain_account(&app, "SM").await;
    let (own, _) = create_standard(&app, &chain.token, json!([{"kind": "gtin"}])).await;
    let now = app.now();
    let mut ids = vec![];
    for (code, c) in [("G1", Some(chain_id)), ("G2", Some(other_chain)), ("G3", None)] {
        let s = etalase_db::entities::store::ActiveModel {
            id: NotSet,
            chain_id: Set(c),
            code: Set(code.into()),
            name: Set(format!("Gerai {code}")),
            format: Set(etalase_domain::store::StoreFormat::Minimarket),
            address: Set("Jl. Uji".into()),
            kelurahan_code: Set("36.73.01.1001".into()),
            kecamatan_code: Set("36.73.01".into()),
            lat: Set(-6.12),
            lon: Set(106.15),
            local_facings: Set(0),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&app.state.db)
        .await
        .unwrap();
        ids.push(s.id);
    }
    let f = |id| etalase_server::service::standards::standard_for_store(&app.state, id);
    assert_eq!(f(ids[0]).await.unwrap(), Some(own));
    assert_eq!(f(ids[1]).await.unwrap(), Some(base));
    assert_eq!(f(ids[2]).await.unwrap(), Some(base));
    assert_eq!(f(999_999).await.unwrap(), None);
}

async fn page(web: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let r = web.get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn the_kelayakan_page_lists_what_is_missing_with_links_to_fix_it() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    create_standard(&app, &dinas.token, baseline_requirements()).await;
    let (owner, id) = app.published_product().await;
    let (web, _) = app.web_login(&owner).await;
    let (status, html) = page(&web, &app, &format!("/produk-saya/{id}/kelayakan")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Belum layak"), "{html}");
    assert!(html.contains("Belum ada Izin edar (P-IRT atau BPOM MD) — unggah sertifikatnya"));
    assert!(html.contains(&format!("href=\"/produk-saya/{id}#sertifikat\"")));
    assert!(
        page(&web, &app, &format!("/produk-saya/{id}"))
            .await
            .1
            .contains(&format!("/produk-saya/{id}/kelayakan"))
    );
    let (other, _) = app.umkm_with_producer().await;
    let (web2, _) = app.web_login(&other).await;
    assert_eq!(page(&web2, &app, &format!("/produk-saya/{id}/kelayakan")).await.0, 404);
}

#[tokio::test]
async fn the_dinas_writes_a_standard_in_the_form_and_reads_its_summary_and_badges() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (_, id) = app.published_product().await;
    let (web, csrf) = app.web_login(&dinas).await;
    let (status, html) = page(&web, &app, "/standar/baru").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"req-photos\""));
    let form = [
        ("csrf", csrf.as_str()),
        ("name", "Standar Produk Lokal Kota Serang"),
        ("on_net_content", "on"),
        ("on_shelf_life", "on"),
        ("shelf_life_min_days", "60"),
        ("on_storage", "on"),
        ("storage_allowed_ambient", "on"),
        ("effective_from", "2026-06-01"),
        ("confirm", "1"),
    ];
    let r = web.post(app.url("/standar/baru")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let list = app.read("/api/v1/standards", Some(&dinas.token)).await;
    let sid = list[0]["id"].as_i64().unwrap();
    assert_eq!(
        list[0]["current_version"]["requirements"],
        json!([{"kind": "shelf_life", "min_days": 60}, {"kind": "net_content"}, {"kind": "storage", "allowed": ["ambient"]}])
    );

    // A UMKM cannot publish a version through the page either.
    let (umkm, _) = app.umkm_with_producer().await;
    let (web_u, csrf_u) = app.web_login(&umkm).await;
    let r = web_u
        .post(app.url(&format!("/standar/{sid}")))
        .form(&[("csrf", csrf_u.as_str()), ("on_gtin", "on"), ("effective_from", "2026-06-02")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        app.read(&format!("/api/v1/standards/{sid}"), Some(&dinas.token)).await["versions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    wait_job(
        &app,
        &dinas.token,
        etalase_server::service::standards::recent_jobs(&app.state, 1).await.unwrap()[0].id,
    )
    .await;
    let (status, html) = page(&web, &app, &format!("/standar/{sid}/ringkasan")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Taktakan"), "{html}");
    assert!(html.contains("<b id=\"eligible\">1</b> dari 1 produk"), "{html}");
    let (_, html) = page(&web, &app, "/standar").await;
    assert!(html.contains("<progress"), "the Dinas sees the job's progress");
    let (_, detail) = page(&reqwest::Client::new(), &app, &format!("/katalog/{id}")).await;
    assert!(detail.contains("✓ Layak Standar Produk Lokal Kota Serang"), "{detail}");
}
