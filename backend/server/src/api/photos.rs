//! `/products/{id}/photos`: upload (multipart, one or more `photos` files), reorder, choose the
//! main photo, alt text, delete. Only the owning UMKM (and the Dinas) may change photos.

use std::collections::HashMap;

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::routing::{patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath};
use crate::auth::ApiUser;
use crate::error::{AppError, AppResult, ErrorCode, Problem};
use crate::service::certificates::Upload;
use crate::service::photos::{self, PhotoPatch};
use crate::service::views::PhotoView;
use crate::state::AppState;

pub fn router(config: &crate::config::Config) -> Router<AppState> {
    let limit = config
        .photo_max_bytes
        .saturating_mul(config.max_photos_per_product + 1)
        .saturating_add(1 << 20);
    Router::new()
        .route("/products/{id}/photos", post(upload).layer(DefaultBodyLimit::max(limit)))
        .route("/products/{id}/photos/{photo_id}", patch(update).delete(remove))
}

/// One or more photos as `multipart/form-data`, each in a part named `photos`.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct PhotoUpload {
    /// JPEG, PNG or WebP; at most 15 MB, 10,000 px a side and 40 megapixels each.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub photos: Vec<Vec<u8>>,
}

/// Reads the files, refusing any one larger than the limit before it is fully received.
pub async fn read_files(mp: Multipart, max_bytes: usize) -> AppResult<Vec<Upload>> {
    Ok(read_form(mp, max_bytes, |name| name == "csrf").await?.0)
}

/// Reads a form of `photos` files (each refused once past `max_bytes`, before it is fully
/// received) and the text parts `is_text` accepts; any other part is refused.
pub async fn read_form(
    mut mp: Multipart,
    max_bytes: usize,
    is_text: impl Fn(&str) -> bool,
) -> AppResult<(Vec<Upload>, HashMap<String, String>)> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge("Unggahan terlalu besar.".into())
        } else {
            AppError::bad_request(
                ErrorCode::MalformedMultipart,
                format!("Unggahan tidak bisa dibaca: {e}."),
            )
        }
    };
    let mut files = Vec::new();
    let mut texts = HashMap::new();
    while let Some(mut field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if !matches!(name.as_str(), "photos" | "photo" | "photos[]") {
            if is_text(&name) {
                let value = field.text().await.map_err(bad)?;
                texts.insert(name, value);
                continue;
            }
            return Err(AppError::field(
                &name,
                "unknown_field",
                format!("Bagian \"{name}\" tidak dikenal; kirim foto dalam bagian \"photos\"."),
            ));
        }
        let filename = field.file_name().unwrap_or("foto").to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            if bytes.len() + chunk.len() > max_bytes {
                return Err(AppError::PayloadTooLarge(format!(
                    "Foto {filename} terlalu besar; maksimal {} MB per foto.",
                    max_bytes / 1_000_000
                )));
            }
            bytes.extend_from_slice(&chunk);
        }
        files.push(Upload { bytes, filename });
    }
    Ok((files, texts))
}

/// Adds photos to a product: all are checked first; one bad file refuses the whole upload.
#[utoipa::path(post, path = "/api/v1/products/{id}/photos", tag = "produk", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content = PhotoUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = Vec<PhotoView>), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    mp: Multipart,
) -> AppResult<(StatusCode, Json<Vec<PhotoView>>)> {
    let files = read_files(mp, state.config.photo_max_bytes).await?;
    photos::add(&state, &user, id, files).await?;
    let all = etalase_db::repo::photos::for_product(&state.db, id).await?;
    Ok((StatusCode::CREATED, Json(all.iter().map(PhotoView::from).collect())))
}

/// Moves a photo, makes it the main one or sets its alt text; returns all photos in order.
#[utoipa::path(patch, path = "/api/v1/products/{id}/photos/{photo_id}", tag = "produk", security(("bearer" = [])),
    params(("id" = i64, Path), ("photo_id" = i64, Path)), request_body = PhotoPatch,
    responses((status = 200, body = Vec<PhotoView>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, photo_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<PhotoPatch>,
) -> AppResult<Json<Vec<PhotoView>>> {
    let all = photos::update(&state, &user, id, photo_id, body).await?;
    Ok(Json(all.iter().map(PhotoView::from).collect()))
}

/// Deletes a photo (and its files when no other product uses the same photo).
#[utoipa::path(delete, path = "/api/v1/products/{id}/photos/{photo_id}", tag = "produk", security(("bearer" = [])),
    params(("id" = i64, Path), ("photo_id" = i64, Path)), responses((status = 204), (status = 404, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, photo_id)): ApiPath<(i64, i64)>,
) -> AppResult<StatusCode> {
    photos::delete(&state, &user, id, photo_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
