//! `/pendampingan`: businesses the Dinas registers and accompanies (Perwal 74/2023 Pasal
//! 3(2)–(4)): register one without a NIB, list those the officer accompanies with what each
//! still needs (ordered by what unlocks most standards), enter the NIB when OSS issues it.
//! Verification stays `POST /api/v1/producers/{id}/verify`, refused while there is no NIB.
//! Dinas only.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use etalase_domain::producer::ProducerInput;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::ApiUser;
use crate::error::{AppResult, Problem};
use crate::extract::{ApiJson, ApiPath};
use crate::service::catalog::views::ProducerView;
use crate::service::pendampingan::{self as svc, AccompaniedView};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pendampingan", get(list).post(register))
        .route("/pendampingan/{id}/nib", post(enter_nib))
}

/// Registers a business on its behalf; `nib` may be empty (pendampingan). The caller becomes
/// its companion.
#[utoipa::path(post, path = "/api/v1/pendampingan", tag = "dinas", security(("bearer" = [])), request_body = ProducerInput, responses(
    (status = 201, body = ProducerView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<ProducerInput>,
) -> AppResult<(StatusCode, Json<ProducerView>)> {
    let m = svc::register(&state, &user, body).await?;
    Ok((StatusCode::CREATED, Json(ProducerView::from(&m))))
}

/// The businesses the caller accompanies, each with what it still needs.
#[utoipa::path(get, path = "/api/v1/pendampingan", tag = "dinas", security(("bearer" = [])), responses(
    (status = 200, body = Vec<AccompaniedView>), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<Vec<AccompaniedView>>> {
    Ok(Json(svc::accompanied(&state, &user).await?))
}

/// The NIB OSS issued.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NibBody {
    pub nib: String,
}

/// Enters the NIB of a business in pendampingan (it then waits for verification).
#[utoipa::path(post, path = "/api/v1/pendampingan/{id}/nib", tag = "dinas", security(("bearer" = [])), params(("id" = i64, Path)), request_body = NibBody, responses(
    (status = 200, body = ProducerView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn enter_nib(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NibBody>,
) -> AppResult<Json<ProducerView>> {
    let m = svc::enter_nib(&state, &user, id, &body.nib).await?;
    Ok(Json(ProducerView::from(&m)))
}
