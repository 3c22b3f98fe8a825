//! Rekomendasi past the pool: the database hands over only the nearest listed, eligible,
//! untaken products (300 at most are scored), so a far-away product falls off, an ineligible
//! or taken one never shows, and the API and the page still page, with reasons.

use etalase_db::entities::{evaluation, producer, product, store};
use etalase_domain::roles::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, NotSet, QueryFilter, Set};
use serde_json::{Value, json};

use crate::agreements::{propose, world};
use crate::helpers::*;

/// A verified producer like the one of `like`'s product, at (lat, lon).
async fn producer_at(app: &TestApp, like: i64, name: &str, lat: f64, lon: f64) -> i64 {
    let p = product::Entity::find_by_id(like).one(&app.state.db).await.unwrap().unwrap();
    let pr = producer::Entity::find_by_id(p.producer_id).one(&app.state.db).await.unwrap().unwrap();
    let mut am: producer::ActiveModel = pr.into();
    am.id = NotSet;
    am.owner_user_id = Set(None);
    am.nib = Set(None);
    am.external_id = Set(None);
    am.name = Set(name.into());
    am.lat = Set(lat);
    am.lon = Set(lon);
    am.insert(&app.state.db).await.unwrap().id
}

/// `n` published copies of product `like` made by `producer_id`; their ids.
async fn copies(app: &TestApp, like: i64, producer_id: i64, name: &str, n: usize) -> Vec<i64> {
    let p = product::Entity::find_by_id(like).one(&app.state.db).await.unwrap().unwrap();
    let rows: Vec<product::ActiveModel> = (0..n)
        .map(|i| {
            let mut am: product::ActiveModel = p.clone().into();
            am.id = NotSet;
            am.producer_id = Set(producer_id);
            am.name = Set(format!("{name} {i}"));
            am.gtin = Set(None);
            am.external_id = Set(None);
            am
        })
        .collect();
    product::Entity::insert_many(rows).exec(&app.state.db).await.unwrap();
    product::Entity::find()
        .filter(product::Column::ProducerId.eq(producer_id))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect()
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array().expect("list").iter().filter_map(|r| r["product_id"].as_i64()).collect()
}

#[tokio::test]
async fn a_far_away_product_falls_outside_the_pool_and_the_pages_end_there() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let s = store::Entity::find_by_id(w.store).one(&app.state.db).await.unwrap().unwrap();
    // 320 products a few hundred metres away, one about 110 km away (outside Banten's capital).
    let near = producer_at(&app, w.product, "UMKM Dekat", s.lat + 0.002, s.lon + 0.002).await;
    let near_ids = copies(&app, w.product, near, "Keripik Dekat", 320).await;
    let far = producer_at(&app, w.product, "UMKM Jauh", s.lat + 1.0, s.lon).await;
    let far_ids = copies(&app, w.product, far, "Keripik Jauh", 1).await;
    let url =
        |page: u32| format!("/api/v1/stores/{}/recommendations?limit=100&page={page}", w.store);

    let mut seen: Vec<Value> = Vec::new();
    for page in 1..=4 {
        let recs = app.read(&url(page), Some(&w.manager.token)).await;
        let n = recs.as_array().expect("list").len();
        assert_eq!(n, if page <= 3 { 100 } else { 0 }, "page {page}: the pool ends at 300");
        seen.extend(recs.as_array().expect("list").iter().cloned());
    }

    let all: Vec<i64> = seen.iter().filter_map(|r| r["product_id"].as_i64()).collect();
    let mut unique = all.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 300, "the pages do not overlap");
    // The world's own product lies a few km away, behind the 320 near ones.
    assert!(all.iter().all(|id| near_ids.contains(id)), "the nearest 300 are the near ones");
    assert!(!all.contains(&far_ids[0]), "the far product is not recommended");
    let scores: Vec<f64> = seen.iter().filter_map(|r| r["score"].as_f64()).collect();
    assert!(scores.windows(2).all(|p| p[0] >= p[1]), "best first across pages: {scores:?}");
    for r in &seen {
        let text = r["reason_text"].as_str().expect("reasons");
        assert!(text.contains(" km · ") && text.contains("belum ada di toko lain"), "{text}");
        assert!(r["distance_km"].as_f64().expect("km") < 1.0, "{r}");
    }

    // The page pages the same pool: 30 a page, 10 pages.
    let (web, _) = app.web_login(&w.manager).await;
    let html = web
        .get(app.url(&format!("/toko/rekomendasi?toko={}&page=2", w.store)))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Menampilkan 31–60 dari 300 produk · halaman 2 dari 10"), "{html}");
    assert_eq!(html.matches("class=\"reasons\"").count(), 30);
    assert!(!html.contains("Keripik Jauh"));
}

#[tokio::test]
async fn ineligible_and_taken_products_are_not_recommended() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (_, second) = app.published_product().await;
    let url = format!("/api/v1/stores/{}/recommendations", w.store);
    let mut both = ids(&app.read(&url, Some(&w.manager.token)).await);
    both.sort_unstable();
    let mut want = vec![w.product, second];
    want.sort_unstable();
    assert_eq!(both, want);

    // Taken: once proposed at MS-1 it is no longer recommended there, still at SM-1.
    propose(&app, &w.manager.token, w.store, w.product).await;
    assert_eq!(ids(&app.read(&url, Some(&w.manager.token)).await), vec![second]);
    let dinas = app.user(Role::Dinas).await;
    let other = format!("/api/v1/stores/{}/recommendations", w.other_store);
    assert_eq!(ids(&app.read(&other, Some(&dinas.token)).await).len(), 2);

    // Ineligible: the MS chain's standard asks for a photo; neither product has one.
    let (_, job) = crate::standards::create_standard(
        &app,
        &w.office.token,
        json!([{"kind": "photos", "min_count": 1, "min_long_side": 100}]),
    )
    .await;
    crate::standards::wait_job(&app, &dinas.token, job.expect("job")).await;
    assert_eq!(ids(&app.read(&url, Some(&w.manager.token)).await), Vec::<i64>::new());
    assert_eq!(ids(&app.read(&other, Some(&dinas.token)).await).len(), 2, "SM has no standard");

    // The stored verdict is what counts: marked eligible, the second product comes back.
    evaluation::Entity::update_many()
        .col_expr(evaluation::Column::Eligible, sea_orm::sea_query::Expr::value(true))
        .filter(evaluation::Column::ProductId.eq(second))
        .exec(&app.state.db)
        .await
        .unwrap();
    let recs = app.read(&url, Some(&w.manager.token)).await;
    assert_eq!(ids(&recs), vec![second]);
    let text = recs[0]["reason_text"].as_str().expect("reasons");
    assert!(text.ends_with("layak standar Anda"), "{text}");
}
