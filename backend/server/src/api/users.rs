//! `POST|GET /users`: the admin creates Dinas, chain, store (and other) accounts.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use etalase_domain::roles::Role;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::ApiUser;
use crate::error::{AppResult, Problem};
use crate::extract::{ApiJson, ApiQuery};
use crate::service::Paginated;
use crate::service::users::{self, NewAccountWithRole, UserView};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/users", post(create).get(list))
}

/// Creates an account of any role (admin only).
#[utoipa::path(post, path = "/api/v1/users", tag = "akun", security(("bearer" = [])), request_body = NewAccountWithRole, responses(
    (status = 201, body = UserView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<NewAccountWithRole>,
) -> AppResult<(StatusCode, Json<UserView>)> {
    let u = users::create_by_admin(&state, &user, body).await?;
    Ok((StatusCode::CREATED, Json(UserView::from(&u))))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Only accounts of this role.
    pub role: Option<String>,
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Lists accounts (admin only).
#[utoipa::path(get, path = "/api/v1/users", tag = "akun", security(("bearer" = [])), params(UserQuery), responses(
    (status = 200, body = Paginated<UserView>), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> AppResult<Json<Paginated<UserView>>> {
    user.require(&[Role::Admin])?;
    let req = crate::service::PageQuery { page: q.page, per_page: q.per_page }.req();
    let role = match q.role.as_deref().map(Role::from_code) {
        None => None,
        Some(Some(r)) => Some(r),
        // An unknown role matches no account.
        Some(None) => return Ok(Json(Paginated::new(vec![], req.page, req.per_page, 0))),
    };
    let page = etalase_db::repo::users::list(&state.db, role, req).await?;
    let items = page.items.iter().map(UserView::from).collect();
    Ok(Json(Paginated::new(items, page.page, page.per_page, page.total)))
}
