//! Shelf photos with an inspection: sent as multipart through the API and the phone form,
//! stored through the photo pipeline and served from `/media`, a hostile file refusing the
//! whole inspection with nothing saved, the wrong role refused, and the orphan sweep keeping
//! the blobs inspections use.

use chrono::Duration;
use image::ImageFormat;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::compliance_world::{World, today, world};
use crate::helpers::*;
use crate::photos::photo;

async fn send(
    app: &TestApp,
    token: &str,
    data: &Value,
    files: Vec<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let mut form = Form::new().text("data", data.to_string());
    for (name, bytes) in files {
        form = form.part("photos", Part::bytes(bytes).file_name(name.to_string()));
    }
    app.client
        .post(app.url("/api/v1/inspections"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("sent")
}

fn body(w: &World) -> Value {
    json!({"store_id": w.stores[0], "date": today() - Duration::days(1), "seen": [w.products[0]], "not_seen": [w.products[1]], "notes": "Rak dekat kasir"})
}

async fn photo_blobs(app: &TestApp) -> usize {
    app.state.blobs.list("photos/").await.expect("list").len()
}

async fn inspections_of(app: &TestApp, w: &World) -> Vec<Value> {
    app.read(&format!("/api/v1/compliance/stores/{}", w.stores[0]), Some(&w.dinas.token)).await["inspections"].as_array().expect("list").clone()
}

#[tokio::test]
async fn an_inspection_with_two_photos_stores_them_and_their_variants_are_served() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let files = vec![
        ("rak-depan.jpg", photo(1600, 1200, 3, ImageFormat::Jpeg)),
        ("rak-kasir.png", photo(900, 700, 4, ImageFormat::Png)),
    ];
    let r = json_ok(send(&app, &w.dinas.token, &body(&w), files).await, 201).await;
    let photos = r["inspection"]["photos"].as_array().expect("photos");
    assert_eq!(photos.len(), 2);
    assert_eq!(
        (photos[0]["width"].as_i64(), photos[1]["position"].as_i64()),
        (Some(1600), Some(1))
    );
    assert_eq!(r["inspection"]["seen"], json!([w.products[0]]));
    let id = r["inspection"]["id"].as_i64().expect("id");
    assert_eq!(
        etalase_db::repo::inspection_photos::for_inspection(&app.state.db, id)
            .await
            .expect("rows")
            .len(),
        2
    );

    let url = photos[0]["thumbnail_url"].as_str().expect("url");
    // Shelf photos are evidence: the Dinas sees them, privately; the public does not.
    assert_eq!(app.get(url, None).await.status(), 404);
    let thumb = app.get(url, Some(&w.dinas.token)).await;
    assert_eq!(thumb.headers()["cache-control"], "private, no-store");
    assert_eq!(
        (thumb.status().as_u16(), thumb.headers()["content-type"].to_str().expect("ct")),
        (200, "image/webp")
    );
    let src = photos[1]["src"].as_str().expect("src");
    assert!(src.ends_with("/800.jpg"), "{src}");
    let big = app.get(src, Some(&w.dinas.token)).await;
    assert_eq!(
        (big.status().as_u16(), big.headers()["content-type"].to_str().expect("ct")),
        (200, "image/jpeg")
    );

    // The store detail carries them, and its page shows thumbnails linking to the 800 px JPEG.
    let list = inspections_of(&app, &w).await;
    assert_eq!(list[0]["photos"].as_array().expect("photos").len(), 2);
    let (web, _) = app.web_login(&w.dinas).await;
    let html = web
        .get(app.url(&format!("/kepatuhan/toko/{}", w.stores[0])))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains(&format!(
            "<a href=\"{src}\"><img src=\"{}\"",
            photos[1]["thumbnail_url"].as_str().expect("t")
        )),
        "{html}"
    );
}

#[tokio::test]
async fn a_hostile_photo_refuses_the_whole_inspection_and_saves_nothing() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let files = vec![
        ("rak.jpg", b"<!doctype html><script>alert(1)</script>".to_vec()),
        ("baik.jpg", photo(800, 600, 5, ImageFormat::Jpeg)),
    ];
    let p = expect_invalid(
        send(&app, &w.dinas.token, &body(&w), files).await,
        &[("photos[0]", "unsupported_type")],
    )
    .await;
    assert!(p.to_string().contains("rak.jpg"), "{p}");
    assert!(inspections_of(&app, &w).await.is_empty(), "no inspection saved");
    assert_eq!(photo_blobs(&app).await, 0, "no blob saved");

    // Seven photos are too many; a chain office may not inspect at all; nothing is stored.
    let seven: Vec<(&str, Vec<u8>)> =
        (0..7).map(|i| ("f.jpg", photo(200, 150, i, ImageFormat::Jpeg))).collect();
    expect_invalid(
        send(&app, &w.dinas.token, &body(&w), seven).await,
        &[("photos", "too_many_photos")],
    )
    .await;
    let one = vec![("f.jpg", photo(400, 300, 9, ImageFormat::Jpeg))];
    expect_problem(send(&app, &w.sm_office.token, &body(&w), one).await, 403, "forbidden").await;
    // A body without its `data` part names it.
    let form = Form::new()
        .part("photos", Part::bytes(photo(400, 300, 9, ImageFormat::Jpeg)).file_name("f.jpg"));
    let r = app
        .client
        .post(app.url("/api/v1/inspections"))
        .bearer_auth(&w.dinas.token)
        .multipart(form)
        .send()
        .await
        .expect("sent");
    expect_invalid(r, &[("data", "required")]).await;
    assert!(inspections_of(&app, &w).await.is_empty());
    assert_eq!(photo_blobs(&app).await, 0);
}

#[tokio::test]
async fn the_phone_form_sends_photos_and_the_sweep_keeps_their_blobs() {
    use etalase_server::service::media_gc::sweep;
    let app = spawn_app().await;
    let w = world(&app).await;
    let (web, csrf) = app.web_login(&w.dinas).await;
    let html = web
        .get(app.url(&format!("/kepatuhan/toko/{}/inspeksi", w.stores[0])))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("enctype=\"multipart/form-data\"")
            && html.contains("capture=\"environment\""),
        "{html}"
    );
    let p0 = w.products[0].to_string();
    let form = Form::new()
        .text("csrf", csrf)
        .text("date", today().to_string())
        .text(format!("listed-{p0}"), "1")
        .text(format!("seen-{p0}"), "1")
        .text("notes", "Foto dari ponsel")
        .part("photos", Part::bytes(photo(800, 600, 7, ImageFormat::Jpeg)).file_name("rak.jpg"));
    let r = web
        .post(app.url(&format!("/kepatuhan/toko/{}/inspeksi", w.stores[0])))
        .multipart(form)
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    let list = inspections_of(&app, &w).await;
    assert_eq!((list.len(), list[0]["photos"].as_array().map(Vec::len)), (1, Some(1)));
    assert_eq!(list[0]["seen"], json!([w.products[0]]));
    let blobs = photo_blobs(&app).await;
    assert_eq!(blobs, 4, "800 and 320 px, WebP and JPEG");

    let orphan = format!("photos/ee/{}/320.webp", "e".repeat(64));
    app.state.blobs.put(&orphan, vec![1, 2, 3], "image/webp").await.expect("put");
    let later = sweep(&app.state, Duration::minutes(60), wall_clock_now() + Duration::hours(2))
        .await
        .expect("sweep");
    assert_eq!(later.deleted, 1, "only the orphan goes");
    assert_eq!(photo_blobs(&app).await, blobs, "the inspection photo's blobs stay");
}
