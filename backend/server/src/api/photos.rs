//! `/products/{id}/photos`: upload (multipart, one or more `photos` files), reorder, choose the
//! main photo, alt text, delete. Only the owning UMKM (and the Dinas) may change photos.

use crate::extract::ApiMultipart;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::ApiUser;
use crate::error::{AppResult, Problem};
use crate::extract::{ApiJson, ApiPath};
use crate::service::catalog::photos::{self, PhotoPatch};
use crate::service::catalog::views::PhotoView;
use crate::service::upload::{check_declared, read_photos};
use crate::state::AppState;

pub fn router(config: &crate::config::Config) -> Router<AppState> {
    let limit = config.photo_upload_bytes();
    Router::new()
        .route(
            "/products/{id}/photos",
            post(upload)
                .layer(DefaultBodyLimit::max(limit))
                .layer(axum::middleware::map_response(crate::service::upload::close_on_refusal)),
        )
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

/// Adds photos to a product: all are checked first; one bad file refuses the whole upload.
#[utoipa::path(post, path = "/api/v1/products/{id}/photos", tag = "produk", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content = PhotoUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = Vec<PhotoView>), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    ApiMultipart(mp): ApiMultipart,
) -> AppResult<(StatusCode, Json<Vec<PhotoView>>)> {
    // Who may change this product's photos, and the declared size, are known before a byte of
    // the body is read.
    crate::service::access::photo_editable_product(&state, &user, id).await?;
    check_declared(&headers, state.config.photo_upload_bytes(), "Unggahan foto")?;
    let files = read_photos(mp, state.config.photo_max_bytes).await?;
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
