//! `/placement-plans`: the city-wide placement plan (issue 16). The Dinas computes a plan for a
//! date with the compliance policy in force, reads it (by kecamatan and by chain, with each
//! store's proposals and the reasons a store cannot reach the policy), and sends its proposals
//! once as draft agreements (`confirm: true` required). Dinas and admins only.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::auth::ApiUser;
use crate::error::{AppError, AppResult, Problem};
use crate::extract::{ApiJson, ApiPath};
use crate::service::placement_plan::{self as svc, ComputeInput, PlanView, SendInput, SendResult};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/placement-plans", post(compute))
        .route("/placement-plans/latest", get(latest))
        .route("/placement-plans/{id}", get(show))
        .route("/placement-plans/{id}/send", post(send))
}

/// Computes and keeps a plan for `date` (default today, WIB) with the policy in force.
#[utoipa::path(post, path = "/api/v1/placement-plans", tag = "dinas", security(("bearer" = [])), request_body = ComputeInput, responses(
    (status = 201, body = PlanView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn compute(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<ComputeInput>,
) -> AppResult<(StatusCode, Json<PlanView>)> {
    Ok((StatusCode::CREATED, Json(svc::compute(&state, &user, body).await?)))
}

/// The latest plan.
#[utoipa::path(get, path = "/api/v1/placement-plans/latest", tag = "dinas", security(("bearer" = [])), responses(
    (status = 200, body = PlanView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn latest(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<PlanView>> {
    svc::latest(&state, &user).await?.map(Json).ok_or(AppError::NotFound("Rencana penempatan"))
}

/// One kept plan.
#[utoipa::path(get, path = "/api/v1/placement-plans/{id}", tag = "dinas", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = PlanView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<PlanView>> {
    Ok(Json(svc::get(&state, &user, id).await?))
}

/// Sends the plan's proposals as draft agreements, once.
#[utoipa::path(post, path = "/api/v1/placement-plans/{id}/send", tag = "dinas", security(("bearer" = [])), params(("id" = i64, Path)), request_body = SendInput, responses(
    (status = 200, body = SendResult), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn send(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SendInput>,
) -> AppResult<Json<SendResult>> {
    Ok(Json(svc::send(&state, &user, id, body).await?))
}
