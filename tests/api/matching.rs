//! Rekomendasi and Toko potensial through the API: reasons, exclusion of placed products,
//! the shortlist, and who may ask.

use etalase_domain::roles::Role;
use serde_json::json;

use crate::agreements::{propose, world};
use crate::helpers::*;

#[tokio::test]
async fn recommendations_carry_reasons_and_leave_out_placed_products() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (_, second) = app.published_product().await;
    let url = format!("/api/v1/stores/{}/recommendations", w.store);

    let recs = app.read(&url, Some(&w.manager.token)).await;
    let ids: Vec<i64> =
        recs.as_array().expect("list").iter().filter_map(|r| r["product_id"].as_i64()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&w.product) && ids.contains(&second));
    let text = recs[0]["reason_text"].as_str().expect("reasons");
    assert!(
        text.contains(" km · ")
            && text.contains("mengisi kategori makanan ringan")
            && text.contains("belum ada di toko lain"),
        "{text}"
    );

    propose(&app, &w.manager.token, w.store, w.product).await;
    let ids: Vec<i64> = app
        .read(&url, Some(&w.office.token))
        .await
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["product_id"].as_i64())
        .collect();
    assert_eq!(ids, vec![second]);

    json_ok_empty(
        app.post(
            &format!("/api/v1/stores/{}/shortlist", w.store),
            Some(&w.manager.token),
            json!({"product_id": second}),
        )
        .await,
    )
    .await;
    let short =
        app.read(&format!("/api/v1/stores/{}/shortlist", w.store), Some(&w.manager.token)).await;
    assert_eq!(short[0]["product_id"], second);
    assert_eq!(short[0]["shortlisted"], true);
}

#[tokio::test]
async fn a_shortlisted_product_stays_listed_when_it_is_placed_and_says_so() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let url = format!("/api/v1/stores/{}/shortlist", w.store);
    json_ok_empty(app.post(&url, Some(&w.manager.token), json!({"product_id": w.product})).await)
        .await;
    propose(&app, &w.manager.token, w.store, w.product).await;

    let short = app.read(&url, Some(&w.manager.token)).await;

    let ids: Vec<i64> =
        short.as_array().expect("list").iter().filter_map(|r| r["product_id"].as_i64()).collect();
    assert_eq!(ids, vec![w.product], "acknowledged, so listed: {short}");
    let text = short[0]["reason_text"].as_str().unwrap_or("");
    assert!(text.contains("sudah dipajang di toko ini"), "{text}");
}

async fn json_ok_empty(r: reqwest::Response) {
    assert_eq!(r.status(), 204);
}

#[tokio::test]
async fn only_the_stores_side_and_the_dinas_see_its_recommendations() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let url = format!("/api/v1/stores/{}/recommendations", w.other_store);
    expect_problem(app.get(&url, Some(&w.manager.token)).await, 404, "not_found").await;
    expect_problem(app.get(&url, Some(&w.umkm.token)).await, 403, "forbidden").await;
    let dinas = app.user(Role::Dinas).await;
    app.read(&url, Some(&dinas.token)).await;
    let r = app
        .post(
            &format!("/api/v1/stores/{}/shortlist", w.other_store),
            Some(&w.office.token),
            json!({"product_id": w.product}),
        )
        .await;
    expect_problem(r, 403, "forbidden").await;
}

#[tokio::test]
async fn toko_potensial_ranks_stores_for_the_owner_only() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let url = format!("/api/v1/products/{}/store-matches", w.product);
    let m = app.read(&url, Some(&w.umkm.token)).await;
    let stores: Vec<i64> =
        m.as_array().expect("list").iter().filter_map(|x| x["store"]["id"].as_i64()).collect();
    assert_eq!(stores.len(), 2);
    assert!(
        m[0]["reason_text"].as_str().expect("r").contains("10 dari 10 facing lokal masih kosong")
    );

    let (other, _) = app.published_product().await;
    expect_problem(app.get(&url, Some(&other.token)).await, 403, "forbidden").await;
    expect_problem(app.get(&url, Some(&w.manager.token)).await, 403, "forbidden").await;

    propose(&app, &w.umkm.token, w.store, w.product).await;
    let stores: Vec<i64> = app
        .read(&url, Some(&w.umkm.token))
        .await
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|x| x["store"]["id"].as_i64())
        .collect();
    assert_eq!(stores, vec![w.other_store]);
}

#[tokio::test]
async fn recommendations_for_words_come_from_the_search_index_with_serang_spelling() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // The world's product is "Emping Melinjo Pedas": "empng pedes" is a typo and a Serang spelling
    // that only the search index understands (a name filter in the database finds nothing).
    let url = format!("/api/v1/stores/{}/recommendations?q=empng%20pedes", w.store);
    app.drain_search().await;
    let ids: Vec<i64> = app
        .read(&url, Some(&w.manager.token))
        .await
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["product_id"].as_i64())
        .collect();
    assert_eq!(ids, vec![w.product]);
    let none = app
        .read(
            &format!("/api/v1/stores/{}/recommendations?q=batik", w.store),
            Some(&w.manager.token),
        )
        .await;
    assert_eq!(none.as_array().expect("list").len(), 0);
}

#[tokio::test]
async fn two_proposals_for_the_same_product_at_once_make_one_agreement() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let body = |note: &str| json!({"store_id": w.store, "terms": crate::agreements::terms(w.product), "note": note});
    for round in 0..3 {
        let (a, b) = tokio::join!(
            app.post("/api/v1/agreements", Some(&w.manager.token), body("dari toko")),
            app.post("/api/v1/agreements", Some(&w.umkm.token), body("dari UMKM")),
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        if round == 0 {
            assert_eq!(statuses, [201, 409], "exactly one winner");
        } else {
            assert_eq!(statuses, [409, 409], "the product is being negotiated already");
        }
    }
    let dinas = app.user(Role::Dinas).await;
    let n =
        app.total(&format!("/api/v1/agreements?store_id={}", w.store), Some(&dinas.token)).await;
    assert_eq!(n, 1);
}

fn match_ids(m: &serde_json::Value) -> Vec<i64> {
    m.as_array().expect("list").iter().filter_map(|x| x["store"]["id"].as_i64()).collect()
}

#[tokio::test]
async fn toko_potensial_leaves_out_stores_whose_standard_the_product_fails() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let url = format!("/api/v1/products/{}/store-matches", w.product);
    assert_eq!(match_ids(&app.read(&url, Some(&w.umkm.token)).await).len(), 2);
    // The MS chain office asks for at least one photo; the product has none.
    let dinas = app.user(Role::Dinas).await;
    let (_, job) = crate::standards::create_standard(
        &app,
        &w.office.token,
        json!([{"kind": "photos", "min_count": 1, "min_long_side": 100}]),
    )
    .await;
    crate::standards::wait_job(&app, &dinas.token, job.expect("job")).await;
    assert_eq!(match_ids(&app.read(&url, Some(&w.umkm.token)).await), vec![w.other_store]);
}

#[tokio::test]
async fn toko_potensial_puts_stores_below_the_compliance_policy_first() {
    use crate::compliance_world::{agreement, policy_from, today};
    use sea_orm::{ActiveModelTrait, Set};
    let app = spawn_app().await;
    let w = world(&app).await;
    // MS-1 has a live agreement (facings used, and it meets a 1-1-1 policy); SM-1 promised no
    // local facings at all, so by shelf space alone MS-1 would come first.
    let (_, other) = app.published_product().await;
    let other_producer =
        etalase_db::repo::products::find(&app.state.db, other).await.unwrap().unwrap().producer_id;
    agreement(&app, w.store, other_producer, &[other], "active", 90).await;
    let sm1 = etalase_db::repo::stores::find(&app.state.db, w.other_store).await.unwrap().unwrap();
    let mut sm1: etalase_db::entities::store::ActiveModel = sm1.into();
    sm1.local_facings = Set(0);
    sm1.update(&app.state.db).await.unwrap();
    let url = format!("/api/v1/products/{}/store-matches", w.product);
    assert_eq!(match_ids(&app.read(&url, Some(&w.umkm.token)).await), vec![w.store, w.other_store]);

    policy_from(&app, today(), 1, 1, 1).await;
    let m = app.read(&url, Some(&w.umkm.token)).await;
    assert_eq!(match_ids(&m), vec![w.other_store, w.store], "the store below the policy first");
    let why = m[0]["reason_text"].as_str().unwrap();
    assert!(why.contains("belum patuh: kurang 1 perjanjian, 1 produk, 1 UMKM"), "{why}");
    assert!(!m[1]["reason_text"].as_str().unwrap().contains("belum patuh"));
}
