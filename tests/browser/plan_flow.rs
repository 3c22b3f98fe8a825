//! The Dinas' city-wide placement plan on a phone: "Rencana penempatan" in the menu, no plan
//! yet, "Hitung rencana", the figures, the kelurahan map and the store's proposal, then "Kirim
//! sebagai draf perjanjian", the confirmation step, the message, and the draft agreement made
//! once (the button is gone after sending).

use etalase_domain::roles::Role;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;

use crate::compliance_flow::compliance_world::{policy_from, today};
use crate::helpers::*;
use crate::webdriver::Driver;

/// One store of chain "Mitra Swalayan" in Kec. Serang below a 1-1-1 policy, and two published
/// products of two producers.
async fn world(app: &TestApp) {
    let dinas = app.user(Role::Dinas).await;
    let chain = json!({"code": "MS", "name": "Mitra Swalayan", "kind": "local"});
    json_ok(app.post("/api/v1/chains", Some(&dinas.token), chain).await, 201).await;
    let k = etalase_domain::wilayah::kota_serang().kelurahan_by_code("36.73.01.1001").expect("kel");
    let store = json!({"code": "MS-001", "name": "Mitra Swalayan Ciceri", "chain_code": "MS",
        "format": "minimarket", "address": "Jl. Ciceri Permai No. 3",
        "kelurahan_code": "36.73.01.1001", "lat": k.lat, "lon": k.lon, "local_facings": 10});
    json_ok(app.post("/api/v1/stores", Some(&dinas.token), store).await, 201).await;
    app.published_product().await;
    app.published_product().await;
    policy_from(app, today(), 1, 1, 1).await;
}

async fn agreements(app: &TestApp) -> u64 {
    etalase_db::entities::agreement::Entity::find().count(&app.state.db).await.unwrap()
}

#[tokio::test]
async fn a_dinas_officer_on_a_phone_computes_a_plan_and_sends_it_once() {
    let app = spawn_app().await;
    world(&app).await;
    let dinas = app.user(Role::Dinas).await;
    let mut b = Driver::start().await;
    b.shots_in("plan_flow");
    b.phone().await;
    b.sign_in(&app.url("/masuk"), &dinas.email, &dinas.password).await;

    let menu = "header nav a[href='/dinas/rencana-penempatan']";
    assert_eq!(b.text(menu).await, "Rencana penempatan");
    b.click(menu).await;
    b.wait_for_url(|u| u.ends_with("/dinas/rencana-penempatan")).await;
    assert!(b.exists("#belum-ada-rencana").await, "no plan yet");

    b.click("#hitung").await;
    assert!(b.wait_for_text("Rencana dihitung: 1 usulan penempatan").await, "the message");
    assert_eq!(b.text("#gerai-di-bawah").await, "1");
    assert!(b.text("#gerai-patuh").await.starts_with("1 "), "{}", b.text("#gerai-patuh").await);
    assert!(b.exists("svg#peta-rencana").await, "the kelurahan map");
    assert!(b.text("#usulan").await.contains("Mitra Swalayan Ciceri"));
    assert!(b.text("#per-jaringan").await.contains("Mitra Swalayan"));
    b.screenshot("plan").await;
    let wide = b
        .script(
            "const w = document.documentElement.clientWidth; return Array.from(document.querySelectorAll('body *'))\
             .filter(e => e.getBoundingClientRect().right > w + 1).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className);",
        )
        .await;
    assert!(!b.overflows_sideways().await, "the page fits a phone: {wide}");
    b.script("document.querySelector('#peta').scrollIntoView();").await;
    b.screenshot("map").await;

    b.click("#kirim-draf").await;
    b.wait_for_url(|u| u.ends_with("/kirim")).await;
    assert_eq!(b.text("#konfirmasi-jumlah").await, "1");
    assert_eq!(agreements(&app).await, 0, "nothing sent before the confirmation");
    b.screenshot("confirm").await;
    b.click("#konfirmasi-kirim").await;
    assert!(
        b.wait_for_text("1 draf perjanjian dikirim ke gerai").await,
        "the message after sending"
    );
    assert!(b.text("#status-kirim").await.starts_with("Sudah dikirim sebagai 1 draf"));
    assert!(!b.exists("#kirim-draf").await, "sent once: no button any more");
    assert_eq!(agreements(&app).await, 1);
    b.screenshot("sent").await;
    b.quit().await;
}
