//! `S3BlobStore`: any S3-compatible store (Garage, MinIO, AWS) through `aws-sdk-s3`, with
//! path-style addressing and checksums only "when required" so non-AWS servers work.

use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::{
    BehaviorVersion, Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
};
use aws_sdk_s3::primitives::ByteStream;
use etalase_domain::ports::{Blob, BlobError, BlobMeta, BlobStore, validate_blob_key};

/// Where the bucket is and how to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Config {
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
    /// `https://host/bucket/key` rather than `https://bucket.host/key` (most non-AWS servers).
    pub path_style: bool,
    /// Keys are stored under this prefix (lets tests share a bucket).
    pub prefix: String,
}

#[derive(Debug, Clone)]
pub struct S3BlobStore {
    client: Client,
    bucket: String,
    prefix: String,
}

fn backend(e: impl std::fmt::Display) -> BlobError {
    BlobError::Backend(e.to_string())
}

fn err_text<E: std::error::Error>(e: &E) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

impl S3BlobStore {
    pub fn new(c: &S3Config) -> Self {
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let conf = aws_sdk_s3::config::Builder::new()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(c.region.clone()))
            .endpoint_url(c.endpoint.clone())
            .force_path_style(c.path_style)
            .credentials_provider(Credentials::new(
                c.access_key.clone(),
                c.secret_key.clone(),
                None,
                None,
                "etalase",
            ))
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
            .http_client(http)
            .build();
        let prefix = c.prefix.trim_matches('/').to_string();
        Self { client: Client::from_conf(conf), bucket: c.bucket.clone(), prefix }
    }

    fn full(&self, key: &str) -> Result<String, BlobError> {
        validate_blob_key(key)?;
        Ok(if self.prefix.is_empty() { key.to_string() } else { format!("{}/{key}", self.prefix) })
    }

    fn strip<'a>(&self, full: &'a str) -> &'a str {
        if self.prefix.is_empty() {
            full
        } else {
            full.strip_prefix(&self.prefix).map(|k| k.trim_start_matches('/')).unwrap_or(full)
        }
    }
}

#[async_trait]
impl BlobStore for S3BlobStore {
    #[tracing::instrument(skip(self, bytes), fields(len = bytes.len()))]
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        let key = self.full(key)?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| backend(err_text(&e)))?;
        Ok(())
    }

    #[tracing::instrument(skip(self))]
    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        let full = self.full(key)?;
        let out = match self.client.get_object().bucket(&self.bucket).key(full).send().await {
            Ok(o) => o,
            Err(e) => {
                if e.as_service_error().is_some_and(|s| s.is_no_such_key()) {
                    return Ok(None);
                }
                return Err(backend(err_text(&e)));
            }
        };
        let content_type = out.content_type().unwrap_or("application/octet-stream").to_string();
        let bytes = out.body.collect().await.map_err(backend)?.into_bytes().to_vec();
        Ok(Some(Blob { bytes, content_type }))
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        let full = self.full(key)?;
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(full)
            .send()
            .await
            .map_err(|e| backend(err_text(&e)))?;
        Ok(())
    }

    async fn exists(&self, key: &str) -> Result<bool, BlobError> {
        let full = self.full(key)?;
        match self.client.head_object().bucket(&self.bucket).key(full).send().await {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(false),
            Err(e) => Err(backend(err_text(&e))),
        }
    }

    async fn health(&self) -> Result<(), BlobError> {
        self.client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .map_err(|e| backend(err_text(&e)))?;
        Ok(())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<BlobMeta>, BlobError> {
        let full_prefix = if self.prefix.is_empty() {
            prefix.to_string()
        } else {
            format!("{}/{prefix}", self.prefix)
        };
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(&full_prefix)
                .set_continuation_token(token.take())
                .send()
                .await
                .map_err(|e| backend(err_text(&e)))?;
            for o in page.contents() {
                let Some(k) = o.key() else { continue };
                let modified = o
                    .last_modified()
                    .and_then(|d| chrono::DateTime::from_timestamp(d.secs(), d.subsec_nanos()))
                    .unwrap_or_default();
                out.push(BlobMeta {
                    key: self.strip(k).to_string(),
                    size: o.size().unwrap_or(0).max(0) as u64,
                    modified,
                });
            }
            match page.next_continuation_token() {
                Some(t) if page.is_truncated().unwrap_or(false) => token = Some(t.to_string()),
                _ => break,
            }
        }
        Ok(out)
    }
}
