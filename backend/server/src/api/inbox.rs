//! `/inbox`: what needs the caller's answer, and its agreements about to start or end.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::service::agreements::{self, InboxItem};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/inbox", get(inbox))
}

/// The caller's inbox (empty for the Dinas and admins, who answer nothing).
#[utoipa::path(get, path = "/api/v1/inbox", tag = "ritel", security(("bearer" = [])), responses((status = 200, body = Vec<InboxItem>)))]
pub async fn inbox(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<Vec<InboxItem>>> {
    Ok(Json(agreements::inbox(&state, &user).await?))
}
