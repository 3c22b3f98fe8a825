//! `GET /media/{key}`: photo variants from whichever blob store is configured, with the right
//! `Content-Type`, an `ETag` and `nosniff`. Photos of listed products are public with
//! `Cache-Control: public, max-age=31536000, immutable` (keys are content hashes, so a key never
//! changes meaning); photos of unreviewed products (owner, Dinas) and inspection shelf photos
//! (Dinas, the inspected store's side) are served `private, no-store` to those callers and are
//! "not found" to anyone else (`service::access::media_access`). Only `photos/` is served;
//! certificate documents go through their access-checked endpoint.

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::auth::MaybeUser;
use crate::error::{AppError, AppResult};
use crate::service::access::{MediaAccess, media_access};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/media/{*key}", get(serve))
}

fn etag_of(key: &str) -> String {
    // photos/ab/{sha256}/{size}.{ext} → "{sha256}-{size}.{ext}"
    let parts: Vec<&str> = key.split('/').collect();
    format!("\"{}\"", parts.iter().skip(2).copied().collect::<Vec<_>>().join("-"))
}

pub async fn serve(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    if !key.starts_with("photos/") || etalase_domain::ports::validate_blob_key(&key).is_err() {
        return Err(AppError::NotFound("Berkas"));
    }
    // photos/ab/{sha256}/{size}.{ext}
    let hash = key.split('/').nth(2).unwrap_or_default();
    let cache = match media_access(&state, user.as_ref(), hash).await? {
        MediaAccess::Public => "public, max-age=31536000, immutable",
        MediaAccess::Private => "private, no-store",
        MediaAccess::Hidden => return Err(AppError::NotFound("Berkas")),
    };
    let etag = etag_of(&key);
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            res.headers_mut().insert(header::ETAG, v);
        }
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        return Ok(res);
    }
    let blob = state.blobs.get(&key).await?.ok_or(AppError::NotFound("Berkas"))?;
    let mut res = Response::new(Body::from(blob.bytes));
    let h = res.headers_mut();
    let ct = match key.rsplit('.').next() {
        Some("webp") => "image/webp",
        Some("jpg") => "image/jpeg",
        _ => "application/octet-stream",
    };
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(res)
}
