//! Assisted registration (pendampingan): a Dinas officer registers a business without a NIB;
//! its products are prepared as drafts and its needs are listed in the order that unlocks most
//! standards; nothing is published until the NIB is entered and verified; then the companion
//! submits on its behalf and a product is published.

use etalase_domain::roles::Role;
use serde_json::{Value, json};

use crate::helpers::*;

/// Saves a product list through the Dinas import.
async fn import_products(app: &TestApp, token: &str, csv: String) {
    let r = app
        .client
        .post(app.url("/api/v1/imports/produk"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    json_ok(r, 201).await;
}

fn business(nib: &str) -> Value {
    let mut b = producer_body(nib);
    b["name"] = json!("Kerupuk Kulit Bu Enah");
    b
}

#[tokio::test]
async fn a_business_goes_from_no_nib_to_a_published_product() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;

    let r = app.post("/api/v1/pendampingan", Some(&dinas.token), business("")).await;
    let b = json_ok(r, 201).await;
    let id = b["id"].as_i64().unwrap();
    assert_eq!((b["status"].as_str(), b["nib"].is_null()), (Some("pendampingan"), true), "{b}");

    let pr = etalase_db::repo::producers::find(&app.state.db, id).await.unwrap().unwrap();
    assert_eq!(pr.companion_user_id, Some(dinas.user_id));
    let key = pr.external_id.clone().unwrap();
    assert_eq!(key, format!("PD-{id}"), "a key for the product import");
    let list = app.read("/api/v1/pendampingan", Some(&dinas.token)).await;
    let first: Vec<&str> =
        list[0]["needs"].as_array().unwrap().iter().map(|n| n["label"].as_str().unwrap()).collect();
    assert_eq!(first, ["NIB dari OSS, lalu verifikasi Dinas", "Produk pertama (draf)"]);

    // Its first product, prepared by the officer through the product import.
    let products = format!(
        "usaha,kode_produk,nama_produk,kategori,isi_bersih,satuan,harga_grosir,harga_eceran,kapasitas_per_bulan\n{key},K-1,Kerupuk Kulit Pedas,Makanan ringan,100,g,8000,10000,300\n"
    );
    import_products(&app, &dinas.token, products).await;
    let list = app.read("/api/v1/pendampingan", Some(&dinas.token)).await;
    let a = &list.as_array().unwrap()[0];
    assert_eq!(a["products"], 1, "{list}");
    let needs: Vec<&str> =
        a["needs"].as_array().unwrap().iter().map(|n| n["label"].as_str().unwrap()).collect();
    assert!(needs.iter().any(|n| n.starts_with("NIB")), "the NIB is named as a need: {needs:?}");
    let twin_id = id;

    let product_id = app
        .ids("/api/v1/products?status=draft", Some(&dinas.token))
        .await
        .into_iter()
        .max()
        .unwrap();
    // Not verifiable, not publishable without a NIB.
    let r =
        app.post_empty(&format!("/api/v1/producers/{twin_id}/verify"), Some(&dinas.token)).await;
    expect_problem(r, 409, "nib_missing").await;

    // The NIB arrives: entered, the business waits for verification, still unpublished.
    let nib = random_nib();
    let r = app
        .post(
            &format!("/api/v1/pendampingan/{twin_id}/nib"),
            Some(&dinas.token),
            json!({"nib": "123"}),
        )
        .await;
    assert_eq!(r.status(), 422, "a bad NIB names the field");
    let r = app
        .post(
            &format!("/api/v1/pendampingan/{twin_id}/nib"),
            Some(&dinas.token),
            json!({"nib": nib}),
        )
        .await;
    let b = json_ok(r, 200).await;
    assert_eq!(
        (b["status"].as_str(), b["nib"].as_str()),
        (Some("pendampingan"), Some(nib.as_str()))
    );
    let r = app.post("/api/v1/pendampingan", Some(&dinas.token), business("")).await;
    let second = json_ok(r, 201).await["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/pendampingan/{second}/nib"),
            Some(&dinas.token),
            json!({"nib": nib}),
        )
        .await;
    expect_problem(r, 409, "nib_taken").await;

    // Verified, the companion submits on the business's behalf; an officer publishes.
    let r =
        app.post_empty(&format!("/api/v1/producers/{twin_id}/verify"), Some(&dinas.token)).await;
    json_ok(r, 200).await;
    app.act(product_id, "submit", &dinas.token).await;
    let published = app.act(product_id, "publish", &dinas.token).await;
    assert_eq!(published["status"], "published");

    // Another officer does not act for a business they do not accompany.
    let other = app.user(Role::Dinas).await;
    assert!(
        app.read("/api/v1/pendampingan", Some(&other.token)).await.as_array().unwrap().is_empty()
    );
}

#[tokio::test]
async fn only_the_dinas_registers_on_a_business_behalf() {
    let app = spawn_app().await;
    for role in [Role::Umkm, Role::Store, Role::Chain, Role::Admin] {
        let c = app.user(role).await;
        let r = app.post("/api/v1/pendampingan", Some(&c.token), business("")).await;
        expect_problem(r, 403, "forbidden").await;
    }
    let dinas = app.user(Role::Dinas).await;
    let mut bad = business("");
    bad["kelurahan_code"] = json!("99.99");
    let r = app.post("/api/v1/pendampingan", Some(&dinas.token), bad).await;
    assert_eq!(r.status(), 422);
    assert!(
        app.read("/api/v1/pendampingan", Some(&dinas.token)).await.as_array().unwrap().is_empty()
    );
}

#[tokio::test]
async fn needs_come_in_the_order_that_unlocks_most_standards() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    // Standard A asks a verified business and a price; B also a photo.
    crate::standards::create_standard(
        &app,
        &dinas.token,
        json!([{"kind": "price"}, {"kind": "producer_verified"}]),
    )
    .await;
    // (One standard per owner: B is a chain's.)
    let (chain, _) = crate::standards::chain_account(&app, "SM").await;
    crate::standards::create_standard(&app, &chain.token, json!([{"kind": "producer_verified"}, {"kind": "photos", "min_count": 1, "min_long_side": 1000}])).await;
    app.drain_jobs().await;
    let b = json_ok(app.post("/api/v1/pendampingan", Some(&dinas.token), business("")).await, 201)
        .await;
    let key = format!("PD-{}", b["id"]);
    let products = format!(
        "usaha,nama_produk,kategori,harga_grosir,harga_eceran\n{key},Kerupuk Kulit Pedas,Makanan ringan,8000,10000\n"
    );
    import_products(&app, &dinas.token, products).await;

    let list = app.read("/api/v1/pendampingan", Some(&dinas.token)).await;
    let needs = list[0]["needs"].as_array().unwrap();
    assert_eq!(needs.len(), 2, "{list}");
    // The NIB alone makes the product eligible for A and blocks both; the photo then opens B.
    assert_eq!(
        (needs[0]["label"].as_str(), needs[0]["unlocks"].as_u64(), needs[0]["blocks"].as_u64()),
        (Some("NIB dari OSS, lalu verifikasi Dinas"), Some(1), Some(2))
    );
    assert_eq!((needs[1]["unlocks"].as_u64(), needs[1]["blocks"].as_u64()), (Some(1), Some(1)));
    assert!(needs[1]["label"].as_str().unwrap().to_lowercase().contains("foto"), "{list}");
    assert_eq!(list[0]["eligible_pairs"], 0);
}

#[tokio::test]
async fn the_page_registers_a_business_and_takes_its_nib() {
    let app = spawn_app().await;
    let dinas = app.user(Role::Dinas).await;
    let (web, csrf) = app.web_login(&dinas).await;
    let page = web.get(app.url("/dinas/pendampingan")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"assist-form\"") && page.contains("id=\"no-accompanied\""));

    // Empty fields: the form comes back with what is missing, nothing saved.
    let r = web
        .post(app.url("/dinas/pendampingan"))
        .form(&[("csrf", csrf.as_str()), ("name", ""), ("nib", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Periksa isian yang ditandai") && html.contains("Nama usaha wajib diisi"),
        "{html}"
    );
    assert!(
        app.read("/api/v1/pendampingan", Some(&dinas.token)).await.as_array().unwrap().is_empty()
    );

    let form = [
        ("csrf", csrf.as_str()),
        ("name", "Kerupuk Kulit Bu Enah"),
        ("owner_name", "Enah"),
        ("nib", ""),
        ("capital_range", "up_to1"),
        ("sales_range", ""),
        ("risk_level", "rendah"),
        ("address", "Jl. Raya Taktakan 3"),
        ("kelurahan_code", "36.73.05.1001"),
        ("whatsapp", "081234567890"),
    ];
    let r = web.post(app.url("/dinas/pendampingan")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let html = web.get(app.url("/dinas/pendampingan")).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("Kerupuk Kulit Bu Enah")
            && html.contains("NIB dari OSS, lalu verifikasi Dinas"),
        "{html}"
    );
    assert!(
        html.contains("didaftarkan dengan Anda sebagai pendamping"),
        "feedback after the action"
    );
    let id = app.read("/api/v1/pendampingan", Some(&dinas.token)).await[0]["producer"]["id"]
        .as_i64()
        .unwrap();

    let r = web
        .post(app.url(&format!("/dinas/pendampingan/{id}/nib")))
        .form(&[("csrf", csrf.as_str()), ("nib", "12")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.text().await.unwrap().contains("13 digit"),
        "the NIB error is shown next to its business"
    );
    let nib = random_nib();
    let r = web
        .post(app.url(&format!("/dinas/pendampingan/{id}/nib")))
        .form(&[("csrf", csrf.as_str()), ("nib", nib.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = web.get(app.url("/dinas/pendampingan")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&nib) && html.contains("Verifikasi usaha ini"), "{html}");

    let umkm = app.user(Role::Umkm).await;
    let w = app.web_client(&umkm).await;
    assert_eq!(w.get(app.url("/dinas/pendampingan")).send().await.unwrap().status(), 403);
}
