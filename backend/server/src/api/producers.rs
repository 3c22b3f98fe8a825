//! `/producers`: register, read, edit a business; the Dinas verifies or rejects it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use etalase_db::repo::producers::ProducerFilter;
use etalase_domain::producer::{ProducerAction, ProducerInput, ProducerStatus};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::auth::ApiUser;
use crate::error::{AppResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::catalog::views::ProducerView;
use crate::service::{Paginated, producers};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/producers", post(create).get(list))
        .route("/producers/{id}", get(read).patch(update))
        .route("/producers/{id}/verify", post(verify))
        .route("/producers/{id}/reject", post(reject))
}

/// Why the Dinas refuses.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// Shown to the UMKM; 5–1000 characters.
    pub reason: Option<String>,
    /// The version last read (optional).
    pub version: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProducerQuery {
    /// `registered` (the verification queue), `verified` or `rejected`.
    pub status: Option<String>,
    /// Kecamatan code, e.g. `36.73.05`.
    pub kecamatan: Option<String>,
    /// Part of the business name.
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Registers the caller's business (UMKM only, one per account).
#[utoipa::path(post, path = "/api/v1/producers", tag = "umkm", security(("bearer" = [])), request_body = ProducerInput, responses(
    (status = 201, body = ProducerView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<ProducerInput>,
) -> AppResult<(StatusCode, Json<ProducerView>)> {
    let m = producers::create(&state, &user, body).await?;
    Ok((StatusCode::CREATED, Json(ProducerView::from(&m))))
}

/// Lists businesses: all for the Dinas (filter `status=registered` for the queue), the
/// caller's own for a UMKM, verified ones for store-side accounts.
#[utoipa::path(get, path = "/api/v1/producers", tag = "umkm", security(("bearer" = [])), params(ProducerQuery), responses(
    (status = 200, body = Paginated<ProducerView>), (status = 400, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<ProducerQuery>,
) -> AppResult<Json<Paginated<ProducerView>>> {
    let req = crate::service::PageQuery { page: q.page, per_page: q.per_page }.req();
    // An unknown status matches no business (store-side accounts see the verified ones).
    let status = match q.status.as_deref().map(ProducerStatus::from_code) {
        Some(None) if !user.role.is_retail() => {
            return Ok(Json(Paginated::new(vec![], req.page, req.per_page, 0)));
        }
        s => s.flatten(),
    };
    let f = ProducerFilter { status, kecamatan: q.kecamatan, q: q.q, owner_user_id: None };
    let page = producers::list(&state, &user, f, req).await?;
    Ok(Json(Paginated::new(
        page.items.iter().map(ProducerView::from).collect(),
        page.page,
        page.per_page,
        page.total,
    )))
}

/// One business.
#[utoipa::path(get, path = "/api/v1/producers/{id}", tag = "umkm", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = ProducerView), (status = 404, body = Problem)))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ProducerView>> {
    let m = producers::get(&state, &user, id).await?;
    Ok(Json(ProducerView::from(&m)))
}

/// Edits the caller's business; `version` must be the one last read (else 409). A rejected
/// business goes back to the verification queue.
#[utoipa::path(patch, path = "/api/v1/producers/{id}", tag = "umkm", security(("bearer" = [])), params(("id" = i64, Path)), request_body = super::openapi::ProducerPatch, responses(
    (status = 200, body = ProducerView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Value>,
) -> AppResult<Json<ProducerView>> {
    let m = producers::update(&state, &user, id, body).await?;
    Ok(Json(ProducerView::from(&m)))
}

/// The Dinas verifies a business.
#[utoipa::path(post, path = "/api/v1/producers/{id}/verify", tag = "dinas", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = ProducerView), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn verify(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ProducerView>> {
    let m = producers::review(&state, &user, id, ProducerAction::Verify, None).await?;
    Ok(Json(ProducerView::from(&m)))
}

/// The Dinas rejects a business, with a reason the UMKM sees.
#[utoipa::path(post, path = "/api/v1/producers/{id}/reject", tag = "dinas", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ReasonBody, responses(
    (status = 200, body = ProducerView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn reject(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> AppResult<Json<ProducerView>> {
    let m = producers::review(&state, &user, id, ProducerAction::Reject, body.reason).await?;
    Ok(Json(ProducerView::from(&m)))
}
