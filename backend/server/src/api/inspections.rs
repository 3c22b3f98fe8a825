//! `/inspections`: a Dinas officer records what was (and was not) on a store's shelf.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};

use super::extract::ApiJson;
use crate::auth::ApiUser;
use crate::error::{AppResult, Problem};
use crate::service::compliance::{self as svc, InspectionRecorded, NewInspection};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/inspections", post(create))
}

/// Records an inspection (Dinas only); returns it and the agreements now flagged at the store.
#[utoipa::path(post, path = "/api/v1/inspections", tag = "kepatuhan", security(("bearer" = [])), request_body = NewInspection, responses(
    (status = 201, body = InspectionRecorded), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(state): State<AppState>, ApiUser(user): ApiUser, ApiJson(body): ApiJson<NewInspection>) -> AppResult<(StatusCode, Json<InspectionRecorded>)> {
    Ok((StatusCode::CREATED, Json(svc::record_inspection(&state, &user, body).await?)))
}
