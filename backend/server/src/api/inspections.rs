//! `/inspections`: a Dinas officer records what was (and was not) on a store's shelf, as JSON
//! or as `multipart/form-data` (the same JSON in a `data` part plus up to six `photos` parts).

use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::ApiUser;
use crate::error::{AppError, AppResult, Problem};
use crate::extract::ApiJson;
use crate::service::compliance::{
    self as svc, InspectionRecorded, MAX_INSPECTION_PHOTOS, NewInspection,
};
use crate::service::input::from_value;
use crate::service::upload::{Upload, read_photo_form};
use crate::state::AppState;

pub fn router(config: &crate::config::Config) -> Router<AppState> {
    Router::new().route(
        "/inspections",
        post(create)
            .layer(DefaultBodyLimit::max(inspection_upload_bytes(config)))
            .layer(axum::middleware::map_response(crate::service::upload::close_on_refusal)),
    )
}

/// Largest body of an inspection with its photos (the API and the page).
pub(crate) fn inspection_upload_bytes(config: &crate::config::Config) -> usize {
    config.photo_max_bytes.saturating_mul(MAX_INSPECTION_PHOTOS + 1).saturating_add(1 << 20)
}

/// An inspection with shelf photos, as `multipart/form-data`.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct InspectionUpload {
    /// The inspection as JSON (the same body as `application/json`).
    #[schema(value_type = NewInspection)]
    pub data: String,
    /// Up to 6 shelf photos: JPEG, PNG or WebP; at most 15 MB, 10,000 px a side and 40 megapixels each.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub photos: Vec<Vec<u8>>,
}

/// The inspection and its photos from a multipart body.
async fn from_multipart(state: &AppState, req: Request) -> AppResult<(NewInspection, Vec<Upload>)> {
    let crate::extract::ApiMultipart(mp) =
        crate::extract::ApiMultipart::from_request(req, state).await?;
    let (files, mut texts) =
        read_photo_form(mp, state.config.photo_max_bytes, |name| name == "data").await?;
    let data = texts.remove("data").ok_or_else(|| {
        AppError::field("data", "required", "Kirim data inspeksi (JSON) dalam bagian \"data\".")
    })?;
    let value = serde_json::from_str(&data).map_err(|e| {
        AppError::field(
            "data",
            "malformed_json",
            format!("Bagian \"data\" bukan JSON yang sah: {e}."),
        )
    })?;
    Ok((from_value(value)?, files))
}

/// Records an inspection (Dinas only), with up to 6 shelf photos when sent as multipart (one
/// bad photo refuses the whole inspection); returns it and the agreements now flagged.
#[utoipa::path(post, path = "/api/v1/inspections", tag = "kepatuhan", security(("bearer" = [])),
    request_body(content((NewInspection = "application/json"), (InspectionUpload = "multipart/form-data"))), responses(
    (status = 201, body = InspectionRecorded), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    req: Request,
) -> AppResult<(StatusCode, Json<InspectionRecorded>)> {
    // Who may send this is known before a byte of the body is read.
    crate::service::compliance::require_dinas(&user)?;
    crate::service::upload::check_declared(
        req.headers(),
        inspection_upload_bytes(&state.config),
        "Unggahan inspeksi",
    )?;
    let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let (body, photos) = if ct.starts_with("multipart/form-data") {
        from_multipart(&state, req).await?
    } else {
        (ApiJson::<NewInspection>::from_request(req, &state).await?.0, Vec::new())
    };
    Ok((StatusCode::CREATED, Json(svc::record_inspection(&state, &user, body, photos).await?)))
}
