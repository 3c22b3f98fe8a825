//! Photos on an S3-compatible store (Garage in `make test`): the same upload, private serving
//! and clean-up as on local files.

use image::ImageFormat;
use serde_json::Value;

use crate::helpers::*;
use crate::photos::{photo, upload};

async fn photo_blobs(app: &TestApp) -> usize {
    app.state.blobs.list("photos/").await.unwrap().len()
}

/// The same server on the S3-compatible store `make test` starts (Garage).
#[tokio::test]
async fn photos_work_the_same_on_the_s3_store() {
    let Ok(endpoint) = std::env::var("ETALASE_TEST_S3_ENDPOINT") else {
        assert!(
            std::env::var("ETALASE_REQUIRE_S3").is_err(),
            "ETALASE_REQUIRE_S3 set but no S3 test server configured"
        );
        eprintln!("S3 half skipped: ETALASE_TEST_S3_ENDPOINT not set");
        return;
    };
    let s3 = etalase_server::config::S3Settings {
        endpoint,
        region: std::env::var("ETALASE_TEST_S3_REGION").unwrap_or_else(|_| "garage".into()),
        bucket: std::env::var("ETALASE_TEST_S3_BUCKET").unwrap_or_else(|_| "etalase-test".into()),
        access_key: std::env::var("ETALASE_TEST_S3_ACCESS_KEY").unwrap_or_default(),
        secret_key: std::env::var("ETALASE_TEST_S3_SECRET_KEY").unwrap_or_default(),
        path_style: true,
        prefix: format!("api-{}-{}", std::process::id(), rand::random::<u32>()),
    };
    let app = spawn_app_with(move |c| c.s3 = Some(s3), None).await;
    assert_eq!(app.get("/readyz", None).await.status(), 200);
    let (owner, _) = app.umkm_with_producer().await;
    let id = app.draft_product(&owner).await["id"].as_i64().unwrap();
    let r =
        upload(&app, &owner.token, id, vec![("f.jpg", photo(1000, 800, 42, ImageFormat::Jpeg))])
            .await;
    assert_eq!(r.status(), 201);
    let list: Value = r.json().await.unwrap();
    // A draft's photo: the owner's, privately.
    let r = app.get(list[0]["thumbnail_url"].as_str().unwrap(), Some(&owner.token)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/webp");
    assert_eq!(photo_blobs(&app).await, 6);
    let pid = list[0]["id"].as_i64().unwrap();
    assert_eq!(
        app.delete(&format!("/api/v1/products/{id}/photos/{pid}"), Some(&owner.token))
            .await
            .status(),
        204
    );
    assert_eq!(photo_blobs(&app).await, 0);
}
