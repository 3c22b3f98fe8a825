//! One contract for every `BlobStore`: local files always, and S3 against the real
//! S3-compatible server `make test` starts (Garage), configured through `ETALASE_TEST_S3_*`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use etalase_domain::ports::{BlobError, BlobStore};
use etalase_media::{LocalBlobStore, S3BlobStore, S3Config};

fn unique() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    )
}

/// The stores to test: always local; S3 when the test S3 server is configured.
fn stores() -> Vec<(&'static str, Arc<dyn BlobStore>)> {
    let mut out: Vec<(&'static str, Arc<dyn BlobStore>)> = vec![(
        "local",
        Arc::new(LocalBlobStore::new(
            std::env::temp_dir().join(format!("etalase-contract-{}", unique())),
        )),
    )];
    match s3_config() {
        Some(c) => out.push(("s3", Arc::new(S3BlobStore::new(&c)))),
        None if std::env::var("ETALASE_REQUIRE_S3").is_ok() => {
            panic!("ETALASE_REQUIRE_S3 is set but the S3 test server is not configured")
        }
        None => eprintln!(
            "S3 half skipped: ETALASE_TEST_S3_ENDPOINT not set (make test starts Garage and sets it)"
        ),
    }
    out
}

pub fn s3_config() -> Option<S3Config> {
    let endpoint = std::env::var("ETALASE_TEST_S3_ENDPOINT").ok()?;
    Some(S3Config {
        endpoint,
        region: std::env::var("ETALASE_TEST_S3_REGION").unwrap_or_else(|_| "garage".into()),
        bucket: std::env::var("ETALASE_TEST_S3_BUCKET").unwrap_or_else(|_| "etalase-test".into()),
        access_key: std::env::var("ETALASE_TEST_S3_ACCESS_KEY").unwrap_or_default(),
        secret_key: std::env::var("ETALASE_TEST_S3_SECRET_KEY").unwrap_or_default(),
        path_style: true,
        prefix: format!("contract-{}", unique()),
    })
}

#[tokio::test]
async fn a_stored_blob_comes_back_with_its_bytes_and_type() {
    for (name, s) in stores() {
        let bytes: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
        s.put("photos/ab/cd.webp", bytes.clone(), "image/webp").await.unwrap();
        let b =
            s.get("photos/ab/cd.webp").await.unwrap().unwrap_or_else(|| panic!("{name}: stored"));
        assert_eq!(b.bytes, bytes, "{name}");
        assert_eq!(b.content_type, "image/webp", "{name}");
        assert!(s.exists("photos/ab/cd.webp").await.unwrap(), "{name}");
    }
}

#[tokio::test]
async fn a_missing_blob_is_none_and_deleting_it_is_fine() {
    for (name, s) in stores() {
        assert!(s.get("photos/none.jpg").await.unwrap().is_none(), "{name}");
        assert!(!s.exists("photos/none.jpg").await.unwrap(), "{name}");
        s.delete("photos/none.jpg").await.unwrap();
    }
}

#[tokio::test]
async fn delete_removes_and_put_overwrites() {
    for (name, s) in stores() {
        s.put("certificates/x.pdf", b"one".to_vec(), "application/pdf").await.unwrap();
        s.put("certificates/x.pdf", b"two".to_vec(), "application/pdf").await.unwrap();
        assert_eq!(s.get("certificates/x.pdf").await.unwrap().unwrap().bytes, b"two", "{name}");
        s.delete("certificates/x.pdf").await.unwrap();
        assert!(s.get("certificates/x.pdf").await.unwrap().is_none(), "{name}");
    }
}

#[tokio::test]
async fn list_returns_the_keys_under_a_prefix_with_sizes() {
    for (name, s) in stores() {
        s.put("photos/a/1.jpg", vec![1; 10], "image/jpeg").await.unwrap();
        s.put("photos/b/2.jpg", vec![2; 20], "image/jpeg").await.unwrap();
        s.put("certificates/c.pdf", vec![3; 5], "application/pdf").await.unwrap();
        let mut listed: Vec<(String, u64)> =
            s.list("photos/").await.unwrap().into_iter().map(|m| (m.key, m.size)).collect();
        listed.sort();
        assert_eq!(
            listed,
            vec![("photos/a/1.jpg".to_string(), 10), ("photos/b/2.jpg".to_string(), 20)],
            "{name}"
        );
        let all = s.list("photos/").await.unwrap();
        assert!(
            all.iter().all(|m| m.modified.timestamp() > 1_700_000_000),
            "{name}: modification times"
        );
    }
}

#[tokio::test]
async fn keys_that_could_escape_are_refused_everywhere() {
    for (name, s) in stores() {
        for key in ["../x", "/abs", "a/../../b", "UPPER", "spasi ada"] {
            assert!(
                matches!(s.put(key, vec![1], "text/plain").await, Err(BlobError::InvalidKey(_))),
                "{name} {key}"
            );
        }
    }
}

#[tokio::test]
async fn the_store_reports_healthy() {
    for (name, s) in stores() {
        s.health().await.unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
