//! `/notices`: surat teguran — the Dinas sends one to a store that is not patuh; the Dinas,
//! the store's chain office and its manager read it and download it as PDF.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::auth::ApiUser;
use crate::error::{AppResult, Problem};
use crate::extract::{ApiJson, ApiPath};
use crate::service::compliance::{self as svc, NewNotice, NoticeView, pdf};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notices", post(create).get(list))
        .route("/notices/{id}/pdf", get(download))
}

/// Sends a notice to a store that is berisiko or tidak patuh (Dinas only).
#[utoipa::path(post, path = "/api/v1/notices", tag = "kepatuhan", security(("bearer" = [])), request_body = NewNotice, responses(
    (status = 201, body = NoticeView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<NewNotice>,
) -> AppResult<(StatusCode, Json<NoticeView>)> {
    Ok((StatusCode::CREATED, Json(svc::send_notice(&state, &user, body).await?)))
}

/// The notices the caller may read (all for the Dinas, its chain's for a chain office, its store's for a manager).
#[utoipa::path(get, path = "/api/v1/notices", tag = "kepatuhan", security(("bearer" = [])), responses((status = 200, body = Vec<NoticeView>), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<Vec<NoticeView>>> {
    Ok(Json(svc::list_notices(&state, &user).await?))
}

/// One notice as PDF.
#[utoipa::path(get, path = "/api/v1/notices/{id}/pdf", tag = "kepatuhan", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = Problem)))]
pub async fn download(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let n = svc::notice_for(&state, &user, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"surat-teguran-{}.pdf\"", n.id),
            ),
        ],
        pdf::letter_pdf(&svc::LETTERHEAD, &n.body),
    )
        .into_response())
}
