//! Photos through the API: upload, variants served with long-lived caching, reorder, main
//! photo, alt text, delete, dedup, tenants, every hostile file, nothing half-saved.

use std::io::Cursor;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use etalase_domain::ports::{Blob, BlobError, BlobMeta, BlobStore};
use etalase_domain::roles::Role;
use image::{ImageFormat, Rgb, RgbImage};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::*;

pub fn photo(w: u32, h: u32, seed: u8, format: ImageFormat) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        let inside = x.abs_diff(w / 2) < w / 4 && y.abs_diff(h / 2) < h / 3;
        let stripe = 4 + u32::from(seed % 16);
        if inside {
            if (y / stripe) % 2 == 0 {
                Rgb([200, seed.wrapping_mul(37), 30])
            } else {
                Rgb([250, 200, 40])
            }
        } else {
            Rgb([246, 245, 241])
        }
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

pub async fn upload(
    app: &TestApp,
    token: &str,
    product: i64,
    files: Vec<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let mut form = Form::new();
    for (name, bytes) in files {
        form = form.part("photos", Part::bytes(bytes).file_name(name.to_string()));
    }
    app.client
        .post(app.url(&format!("/api/v1/products/{product}/photos")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn photo_rows(app: &TestApp, product: i64) -> usize {
    etalase_db::repo::photos::for_product(&app.state.db, product).await.unwrap().len()
}

async fn photo_blobs(app: &TestApp) -> usize {
    app.state.blobs.list("photos/").await.unwrap().len()
}

#[tokio::test]
async fn owner_uploads_photos_and_gets_variants_served_with_immutable_caching() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let r = upload(
        &app,
        &owner.token,
        id,
        vec![
            ("depan.jpg", photo(1600, 1200, 1, ImageFormat::Jpeg)),
            ("belakang.png", photo(900, 900, 2, ImageFormat::Png)),
        ],
    )
    .await;
    assert_eq!(r.status(), 201);
    let list: Value = r.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["primary"], true);
    assert_eq!(list[1]["primary"], false);
    assert_eq!(list[0]["width"], 1600);
    let sizes: Vec<i64> = list[0]["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["size"].as_i64().unwrap())
        .collect();
    assert_eq!(sizes, vec![1600, 800, 320]);
    assert!(list[0]["srcset_webp"].as_str().unwrap().contains(" 320w"));
    assert_eq!(list[0]["quality"]["checks"].as_array().unwrap().len(), 4);

    // A draft's photos are the owner's (and the Dinas'), privately; public once listed
    // (tests/api/trust_chain.rs follows a photo from draft to listed to revoked).
    let url = list[0]["thumbnail_url"].as_str().unwrap();
    assert_eq!(app.get(url, None).await.status(), 404);
    let r = app.get(url, Some(&owner.token)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/webp");
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let again = app
        .client
        .get(app.url(url))
        .bearer_auth(&owner.token)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let jpeg = app.get(list[0]["src"].as_str().unwrap(), Some(&owner.token)).await;
    assert_eq!(jpeg.headers()["content-type"], "image/jpeg");

    // The product JSON carries the photos.
    let p: Value =
        app.get(&format!("/api/v1/products/{id}"), Some(&owner.token)).await.json().await.unwrap();
    assert_eq!(p["photos"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn media_outside_photos_is_not_served() {
    let app = spawn_app().await;
    app.state
        .blobs
        .put("certificates/abc.pdf", b"%PDF-1.4 private".to_vec(), "application/pdf")
        .await
        .unwrap();
    assert_eq!(app.get("/media/certificates/abc.pdf", None).await.status(), 404);
    assert_eq!(app.get("/media/photos/../certificates/abc.pdf", None).await.status(), 404);
}

#[tokio::test]
async fn the_same_photo_is_stored_once() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let a = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let b = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let bytes = photo(1200, 900, 3, ImageFormat::Jpeg);
    assert_eq!(upload(&app, &owner.token, a, vec![("x.jpg", bytes.clone())]).await.status(), 201);
    let blobs = photo_blobs(&app).await;
    assert_eq!(blobs, 6, "3 sizes × 2 formats");
    assert_eq!(upload(&app, &owner.token, a, vec![("x.jpg", bytes.clone())]).await.status(), 201);
    assert_eq!(photo_rows(&app, a).await, 1, "same photo on the same product is not added twice");
    assert_eq!(upload(&app, &owner.token, b, vec![("x.jpg", bytes)]).await.status(), 201);
    assert_eq!(photo_blobs(&app).await, 6, "a second product reuses the stored files");

    // Deleting it from one product keeps the files the other still uses; from both removes them.
    let pa: Value =
        app.get(&format!("/api/v1/products/{a}"), Some(&owner.token)).await.json().await.unwrap();
    let pid = pa["photos"][0]["id"].as_i64().unwrap();
    assert_eq!(
        app.delete(&format!("/api/v1/products/{a}/photos/{pid}"), Some(&owner.token))
            .await
            .status(),
        204
    );
    assert_eq!(photo_blobs(&app).await, 6);
    let pb: Value =
        app.get(&format!("/api/v1/products/{b}"), Some(&owner.token)).await.json().await.unwrap();
    let pid = pb["photos"][0]["id"].as_i64().unwrap();
    assert_eq!(
        app.delete(&format!("/api/v1/products/{b}/photos/{pid}"), Some(&owner.token))
            .await
            .status(),
        204
    );
    assert_eq!(photo_blobs(&app).await, 0);
}

#[tokio::test]
async fn photos_can_be_reordered_made_main_and_described() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let files = (0..3).map(|i| ("f.jpg", photo(800, 600, 10 + i, ImageFormat::Jpeg))).collect();
    let list: Value = upload(&app, &owner.token, id, files).await.json().await.unwrap();
    let ids: Vec<i64> =
        list.as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();

    let r = app
        .patch(
            &format!("/api/v1/products/{id}/photos/{}", ids[2]),
            Some(&owner.token),
            json!({"position": 0}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let after: Value = r.json().await.unwrap();
    let order: Vec<i64> =
        after.as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert_eq!(order, vec![ids[2], ids[0], ids[1]]);

    let r = app
        .patch(
            &format!("/api/v1/products/{id}/photos/{}", ids[1]),
            Some(&owner.token),
            json!({"primary": true, "alt_text": "Kemasan belakang"}),
        )
        .await;
    let after: Value = r.json().await.unwrap();
    let primaries: Vec<i64> = after
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["primary"] == true)
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(primaries, vec![ids[1]]);
    assert_eq!(after[2]["alt_text"], "Kemasan belakang");

    let r = app
        .patch(
            &format!("/api/v1/products/{id}/photos/{}", ids[1]),
            Some(&owner.token),
            json!({"alt_text": "x".repeat(201), "position": 9}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let p = problem(r).await;
    assert_eq!(fields(&p), vec!["alt_text", "position"]);
    let r = app
        .patch(
            &format!("/api/v1/products/{id}/photos/{}", ids[1]),
            Some(&owner.token),
            json!({"colour": "red"}),
        )
        .await;
    assert_eq!(r.status(), 422);
}

#[tokio::test]
async fn nine_photos_on_a_product_that_allows_eight_are_refused_whole() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let files: Vec<(&str, Vec<u8>)> =
        (0..9).map(|i| ("f.jpg", photo(400, 300, i, ImageFormat::Jpeg))).collect();
    let r = upload(&app, &owner.token, id, files).await;
    assert_eq!(r.status(), 422);
    let p = problem(r).await;
    assert_eq!(p["errors"][0]["code"], "too_many_photos");
    assert_eq!(photo_rows(&app, id).await, 0);
    assert_eq!(photo_blobs(&app).await, 0);
    let files: Vec<(&str, Vec<u8>)> =
        (0..8).map(|i| ("f.jpg", photo(400, 300, i, ImageFormat::Jpeg))).collect();
    assert_eq!(upload(&app, &owner.token, id, files).await.status(), 201);
    let r = upload(&app, &owner.token, id, vec![("f.jpg", photo(400, 300, 99, ImageFormat::Jpeg))])
        .await;
    assert_eq!(r.status(), 422, "the ninth, one at a time, too");
}

#[tokio::test]
async fn only_the_owner_and_the_dinas_change_photos() {
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let (stranger, _) = app.umkm_with_producer().await;
    let r =
        upload(&app, &stranger.token, id, vec![("f.jpg", photo(400, 300, 1, ImageFormat::Jpeg))])
            .await;
    assert_eq!(r.status(), 404, "someone else's draft does not exist for a stranger");
    let store = app.user(Role::Store).await;
    let r = upload(&app, &store.token, id, vec![("f.jpg", photo(400, 300, 1, ImageFormat::Jpeg))])
        .await;
    assert!(matches!(r.status().as_u16(), 403 | 404));
    assert_eq!(photo_rows(&app, id).await, 0);
    assert_eq!(photo_blobs(&app).await, 0);
    let dinas = app.user(Role::Dinas).await;
    let r = upload(&app, &dinas.token, id, vec![("f.jpg", photo(400, 300, 1, ImageFormat::Jpeg))])
        .await;
    assert_eq!(r.status(), 201);
    let list: Value = r.json().await.unwrap();
    let pid = list[0]["id"].as_i64().unwrap();
    assert_eq!(
        app.delete(&format!("/api/v1/products/{id}/photos/{pid}"), Some(&stranger.token))
            .await
            .status(),
        404
    );
    assert_eq!(photo_rows(&app, id).await, 1);
}

/// A blob store that fails after `ok` successful writes.
struct FailingStore {
    inner: Arc<dyn BlobStore>,
    ok: usize,
    puts: AtomicUsize,
}

#[async_trait::async_trait]
impl BlobStore for FailingStore {
    async fn put(&self, key: &str, bytes: Vec<u8>, ct: &str) -> Result<(), BlobError> {
        if self.puts.fetch_add(1, Ordering::SeqCst) >= self.ok {
            return Err(BlobError::Backend("disk penuh (uji)".into()));
        }
        self.inner.put(key, bytes, ct).await
    }
    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        self.inner.get(key).await
    }
    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        self.inner.delete(key).await
    }
    async fn exists(&self, key: &str) -> Result<bool, BlobError> {
        self.inner.exists(key).await
    }
    async fn health(&self) -> Result<(), BlobError> {
        self.inner.health().await
    }
    async fn list(&self, prefix: &str) -> Result<Vec<BlobMeta>, BlobError> {
        self.inner.list(prefix).await
    }
}

#[tokio::test]
async fn a_storage_failure_halfway_leaves_no_row_and_no_orphan() {
    let dir = std::env::temp_dir().join(format!("etalase-failing-{}", std::process::id()));
    let inner: Arc<dyn BlobStore> = Arc::new(etalase_media::LocalBlobStore::new(&dir));
    let store = Arc::new(FailingStore { inner: inner.clone(), ok: 3, puts: AtomicUsize::new(0) });
    let app = spawn_app_with(|_| {}, Some(store)).await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let r = upload(&app, &owner.token, id, vec![("f.jpg", photo(1200, 900, 5, ImageFormat::Jpeg))])
        .await;
    assert_eq!(r.status(), 500);
    assert_eq!(photo_rows(&app, id).await, 0, "no row");
    assert_eq!(
        inner.list("photos/").await.unwrap().len(),
        0,
        "the variants stored before the failure were removed"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_sweep_removes_old_orphans_and_keeps_what_is_used_or_young() {
    use etalase_server::service::media_gc::sweep;
    let app = spawn_app().await;
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    assert_eq!(
        upload(&app, &owner.token, id, vec![("f.jpg", photo(800, 600, 7, ImageFormat::Jpeg))])
            .await
            .status(),
        201
    );
    let orphan = format!("photos/ff/{}/320.webp", "f".repeat(64));
    app.state.blobs.put(&orphan, vec![1, 2, 3], "image/webp").await.unwrap();
    app.state
        .blobs
        .put("certificates/orphan.pdf", b"%PDF".to_vec(), "application/pdf")
        .await
        .unwrap();
    let now = wall_clock_now();
    let young = sweep(&app.state, chrono::Duration::minutes(60), now).await.unwrap();
    assert_eq!((young.deleted, young.kept_young), (0, 2));
    let later = sweep(&app.state, chrono::Duration::minutes(60), now + chrono::Duration::hours(2))
        .await
        .unwrap();
    assert_eq!(later.deleted, 2);
    assert!(!app.state.blobs.exists(&orphan).await.unwrap());
    assert_eq!(photo_blobs(&app).await, 4, "the used photo's 2 sizes × 2 formats stay");
}
