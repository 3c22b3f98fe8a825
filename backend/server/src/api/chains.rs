//! `/chains`: retail chains (jaringan). Anyone signed in lists them; the Dinas registers them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};

use crate::auth::ApiUser;
use crate::error::{AppResult, Problem};
use crate::extract::ApiJson;
use crate::service::retail::{self, ChainInput, ChainView};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/chains", get(list).post(create))
}

/// Lists every chain.
#[utoipa::path(get, path = "/api/v1/chains", tag = "ritel", security(("bearer" = [])), responses((status = 200, body = Vec<ChainView>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
) -> AppResult<Json<Vec<ChainView>>> {
    Ok(Json(retail::chains(&state).await?.iter().map(ChainView::from).collect()))
}

/// Registers a chain (Dinas or admin).
#[utoipa::path(post, path = "/api/v1/chains", tag = "ritel", security(("bearer" = [])), request_body = ChainInput, responses(
    (status = 201, body = ChainView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<ChainInput>,
) -> AppResult<(StatusCode, Json<ChainView>)> {
    let c = retail::create_chain(&state, &user, body).await?;
    Ok((StatusCode::CREATED, Json(ChainView::from(&c))))
}
