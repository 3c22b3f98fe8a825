//! `POST /auth/register`, `POST /auth/login` (bearer token), `POST /auth/logout`, `GET /me`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::session::SessionKind;
use crate::auth::{ApiUser, ClientAddr};
use crate::error::{AppResult, Problem};
use crate::extract::ApiJson;
use crate::service::catalog::views::ProducerView;
use crate::service::producers;
use crate::service::users::{self, NewAccount, UserView};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(register))
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/me", get(me))
}

/// Email and password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A bearer token for the API.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub token: String,
    /// Always `Bearer`.
    pub token_type: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserView,
}

/// The caller, with their business when they are a UMKM.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    pub user: UserView,
    pub producer: Option<ProducerView>,
}

/// Registers a UMKM owner's account and returns a bearer token. Limited per client address
/// (429 with `Retry-After`); 503 `busy` when the server's password hashing queue is full.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "akun", request_body = NewAccount, responses(
    (status = 201, body = TokenResponse), (status = 409, body = Problem), (status = 422, body = Problem),
    (status = 429, body = Problem), (status = 503, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<NewAccount>,
) -> AppResult<(StatusCode, Json<TokenResponse>)> {
    let (u, issued) = users::register(&state, body, &client, SessionKind::Api).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenResponse {
            token: issued.token,
            token_type: "Bearer".into(),
            expires_at: issued.expires_at,
            user: UserView::from(&u),
        }),
    ))
}

/// Logs in and returns a bearer token. Attempts are counted per account and per client address
/// before the password is checked: past the free ones, 429 with `Retry-After`. 503 `busy` when
/// the password-check queue is full.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "akun", request_body = LoginRequest, responses(
    (status = 200, body = TokenResponse), (status = 422, description = "Email atau kata sandi salah (`invalid_credentials` pada isian `password`), atau isian tidak sah", body = Problem), (status = 429, body = Problem), (status = 503, body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<LoginRequest>,
) -> AppResult<Json<TokenResponse>> {
    let (u, issued) =
        users::login(&state, &body.email, &body.password, &client, SessionKind::Api).await?;
    Ok(Json(TokenResponse {
        token: issued.token,
        token_type: "Bearer".into(),
        expires_at: issued.expires_at,
        user: UserView::from(&u),
    }))
}

/// Ends the session of the token used.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "akun", security(("bearer" = [])), responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<StatusCode> {
    users::logout(&state, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who am I.
#[utoipa::path(get, path = "/api/v1/me", tag = "akun", security(("bearer" = [])), responses(
    (status = 200, body = MeResponse), (status = 401, body = Problem)))]
pub async fn me(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<MeResponse>> {
    let u = etalase_db::repo::users::find(&state.db, user.id)
        .await?
        .ok_or(crate::error::AppError::Unauthorized)?;
    let producer = producers::mine(&state, &user).await?.as_ref().map(ProducerView::from);
    Ok(Json(MeResponse { user: UserView::from(&u), producer }))
}
