//! `/products`: a UMKM's products and their lifecycle (submit, publish, reject, archive,
//! revise).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use etalase_db::repo::products::ProductFilter;
use etalase_domain::lifecycle::{ListingAction, ListingStatus};
use etalase_domain::product::ProductInput;
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::producers::ReasonBody;
use crate::auth::ApiUser;
use crate::error::{AppResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, OptionalJson};
use crate::service::Paginated;
use crate::service::catalog::products;
use crate::service::catalog::views::ProductView;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/products", post(create).get(list))
        .route("/products/{id}", get(read).patch(update).delete(remove))
        .route("/products/{id}/submit", post(submit))
        .route("/products/{id}/publish", post(publish))
        .route("/products/{id}/reject", post(reject))
        .route("/products/{id}/archive", post(archive))
        .route("/products/{id}/revise", post(revise))
}

/// Optional body of an action: the version last read.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    pub version: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProductQuery {
    /// `draft`, `submitted` (the review queue), `published`, `rejected`, `archived`.
    pub status: Option<String>,
    pub category: Option<String>,
    /// Kecamatan code of the producer, e.g. `36.73.06`.
    pub kecamatan: Option<String>,
    /// Part of the product name.
    pub q: Option<String>,
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Adds a draft product to the caller's business (UMKM only).
#[utoipa::path(post, path = "/api/v1/products", tag = "produk", security(("bearer" = [])), request_body = ProductInput, responses(
    (status = 201, body = ProductView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<ProductInput>,
) -> AppResult<(StatusCode, Json<ProductView>)> {
    let m = products::create(&state, &user, body).await?;
    Ok((StatusCode::CREATED, Json(products::view(&state, &m).await?)))
}

/// Lists products: a UMKM's own, everything for the Dinas (`status=submitted` is the review
/// queue), published ones for store-side accounts.
#[utoipa::path(get, path = "/api/v1/products", tag = "produk", security(("bearer" = [])), params(ProductQuery), responses(
    (status = 200, body = Paginated<ProductView>), (status = 400, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> AppResult<Json<Paginated<ProductView>>> {
    let req = crate::service::PageQuery { page: q.page, per_page: q.per_page }.req();
    // An unknown status matches no product (store-side accounts see the published ones).
    let status = match q.status.as_deref().map(ListingStatus::from_code) {
        Some(None) if !user.role.is_retail() => {
            return Ok(Json(Paginated::new(vec![], req.page, req.per_page, 0)));
        }
        s => s.flatten(),
    };
    let f = ProductFilter {
        status,
        category: q.category,
        kecamatan: q.kecamatan,
        q: q.q,
        ..Default::default()
    };
    let page = products::list(&state, &user, f, req).await?;
    let items = products::views(&state, &page.items).await?;
    Ok(Json(Paginated::new(items, page.page, page.per_page, page.total)))
}

/// One product: published ones for anyone signed in, others for the owner and the Dinas. Trade
/// terms (wholesale price, minimum order, capacity) only for the owner, the Dinas and buyers.
#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "produk", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = ProductView), (status = 404, body = Problem)))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ProductView>> {
    let m = crate::service::access::product(&state, Some(&user), id).await?;
    Ok(Json(products::view_for(&state, Some(&user), &m).await?))
}

/// Edits a draft or rejected product; `version` must be the one last read (else 409).
#[utoipa::path(patch, path = "/api/v1/products/{id}", tag = "produk", security(("bearer" = [])), params(("id" = i64, Path)), request_body = super::openapi::ProductPatch, responses(
    (status = 200, body = ProductView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Value>,
) -> AppResult<Json<ProductView>> {
    let m = products::update(&state, &user, id, body).await?;
    Ok(Json(products::view(&state, &m).await?))
}

async fn act(
    state: AppState,
    user: crate::auth::CurrentUser,
    id: i64,
    action: ListingAction,
    reason: Option<String>,
    version: Option<i64>,
) -> AppResult<Json<ProductView>> {
    let m = products::transition(&state, &user, id, action, reason, version).await?;
    Ok(Json(products::view(&state, &m).await?))
}

/// The owner deletes a product that was never published, with its photos and documents.
#[utoipa::path(delete, path = "/api/v1/products/{id}", tag = "produk", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    products::delete(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The owner submits a draft (or rejected) product for review.
#[utoipa::path(post, path = "/api/v1/products/{id}/submit", tag = "produk", security(("bearer" = [])), params(("id" = i64, Path)), request_body(content = ActionBody, description = "optional"), responses(
    (status = 200, body = ProductView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    OptionalJson(b): OptionalJson<ActionBody>,
) -> AppResult<Json<ProductView>> {
    act(state, user, id, ListingAction::Submit, None, b.version).await
}

/// The Dinas publishes a submitted product (its producer must be verified).
#[utoipa::path(post, path = "/api/v1/products/{id}/publish", tag = "dinas", security(("bearer" = [])), params(("id" = i64, Path)), request_body(content = ActionBody, description = "optional"), responses(
    (status = 200, body = ProductView), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn publish(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    OptionalJson(b): OptionalJson<ActionBody>,
) -> AppResult<Json<ProductView>> {
    act(state, user, id, ListingAction::Publish, None, b.version).await
}

/// The Dinas rejects a submitted (or published) product with a reason the UMKM sees.
#[utoipa::path(post, path = "/api/v1/products/{id}/reject", tag = "dinas", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ReasonBody, responses(
    (status = 200, body = ProductView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn reject(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> AppResult<Json<ProductView>> {
    act(state, user, id, ListingAction::Reject, b.reason, b.version).await
}

/// The owner or the Dinas archives a product.
#[utoipa::path(post, path = "/api/v1/products/{id}/archive", tag = "produk", security(("bearer" = [])), params(("id" = i64, Path)), request_body(content = ActionBody, description = "optional"), responses(
    (status = 200, body = ProductView), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn archive(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    OptionalJson(b): OptionalJson<ActionBody>,
) -> AppResult<Json<ProductView>> {
    act(state, user, id, ListingAction::Archive, None, b.version).await
}

/// The owner pulls a published product back to draft to change it.
#[utoipa::path(post, path = "/api/v1/products/{id}/revise", tag = "produk", security(("bearer" = [])), params(("id" = i64, Path)), request_body(content = ActionBody, description = "optional"), responses(
    (status = 200, body = ProductView), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn revise(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    OptionalJson(b): OptionalJson<ActionBody>,
) -> AppResult<Json<ProductView>> {
    act(state, user, id, ListingAction::Revise, None, b.version).await
}
