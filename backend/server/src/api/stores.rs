//! `/stores`: outlets (gerai) — register one, import a CSV/XLSX list, read, edit — plus the
//! store's Rekomendasi and shortlist, and `/products/{id}/store-matches` (Toko potensial).

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use etalase_db::repo::stores::StoreFilter;
use etalase_domain::store::StoreInput;
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::auth::ApiUser;
use crate::error::{AppResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::imports::{self, ImportKind, ImportSaved, Quiet};
use crate::service::matching::{self, Recommendation, StoreMatch};
use crate::service::retail::{self, StoreView};
use crate::service::{PageQuery, Paginated};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stores", get(list).post(create))
        .route(
            "/stores/import",
            post(import)
                .layer(axum::middleware::map_response(crate::service::upload::close_on_refusal)),
        )
        .route("/stores/{id}", get(read).patch(update))
        .route("/stores/{id}/recommendations", get(recommendations))
        .route("/stores/{id}/shortlist", get(shortlist).post(shortlist_add))
        .route("/stores/{id}/shortlist/{product_id}", delete(shortlist_remove))
        .route("/products/{id}/store-matches", get(store_matches))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StoreQuery {
    pub chain_id: Option<i64>,
    /// Kecamatan code, e.g. `36.73.01`.
    pub kecamatan: Option<String>,
    pub q: Option<String>,
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MatchQuery {
    /// Part of the product name.
    pub q: Option<String>,
    /// At most this many results (default 20, at most 100).
    pub limit: Option<usize>,
    /// Page of `limit` results, 1-based (default 1); the pages end after a pool of the 300
    /// nearest candidates.
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
}

/// A product to shortlist.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShortlistBody {
    pub product_id: i64,
}

async fn view(state: &AppState, s: &etalase_db::entities::store::Model) -> AppResult<StoreView> {
    Ok(StoreView::new(s, &retail::chains(state).await?))
}

/// Lists stores: all for the Dinas, admins and UMKM; a chain's own; a manager's own.
#[utoipa::path(get, path = "/api/v1/stores", tag = "ritel", security(("bearer" = [])), params(StoreQuery), responses((status = 200, body = Paginated<StoreView>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<StoreQuery>,
) -> AppResult<Json<Paginated<StoreView>>> {
    let req = PageQuery { page: q.page, per_page: q.per_page }.req();
    let f = StoreFilter { chain_id: q.chain_id, kecamatan: q.kecamatan, q: q.q, store_id: None };
    let page = retail::list(&state, &user, f, req).await?;
    let chains = retail::chains(&state).await?;
    let items = page.items.iter().map(|s| StoreView::new(s, &chains)).collect();
    Ok(Json(Paginated::new(items, page.page, page.per_page, page.total)))
}

/// Registers a store (Dinas, admin, or a chain office for its own chain).
#[utoipa::path(post, path = "/api/v1/stores", tag = "ritel", security(("bearer" = [])), request_body = etalase_domain::store::StoreInput, responses(
    (status = 201, body = StoreView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<StoreInput>,
) -> AppResult<(StatusCode, Json<StoreView>)> {
    let s = retail::create(&state, &user, body).await?;
    Ok((StatusCode::CREATED, Json(view(&state, &s).await?)))
}

/// What a store import saved (`imported`: new and changed stores).
#[derive(Debug, Clone, serde::Serialize, ToSchema)]
pub struct ImportReport {
    pub imported: usize,
    #[serde(flatten)]
    pub saved: ImportSaved,
}

/// Imports stores from a CSV (UTF-8, `,` or `;`) or XLSX body: the same import as
/// `POST /api/v1/imports/gerai` (columns kode_gerai, nama_gerai, jaringan, format, alamat,
/// kecamatan, kelurahan, lat, lon, facing_lokal; the older headers code, name, chain_code,
/// format, address, kelurahan_code, lat, lon, local_facings are accepted). Every bad row is
/// reported (422, field `rows[LINE].COLUMN`) and nothing is saved until the file is clean; a
/// store already there is found by its code and updated when the row changed it.
#[utoipa::path(post, path = "/api/v1/stores/import", tag = "ritel", security(("bearer" = [])), request_body(content = String, content_type = "text/csv"), responses(
    (status = 201, body = ImportReport), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn import(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    body: Body,
) -> AppResult<(StatusCode, Json<ImportReport>)> {
    // Who may import, and the declared size, are checked before the body is read.
    imports::require_importer(&user, ImportKind::Stores)?;
    let limit = state.config.import_max_bytes;
    let body = crate::service::upload::read_body(&headers, body, limit, "Berkas impor").await?;
    let limits = state.config.import_limits();
    match imports::save(&state, user.id, ImportKind::Stores, body.to_vec(), limits, &Quiet).await? {
        Ok(saved) => Ok((
            StatusCode::CREATED,
            Json(ImportReport { imported: saved.new + saved.updated, saved }),
        )),
        Err(refused) => Err(refused.into_error()),
    }
}

/// One store.
#[utoipa::path(get, path = "/api/v1/stores/{id}", tag = "ritel", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = StoreView), (status = 404, body = Problem)))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<StoreView>> {
    let s = retail::get(&state, &user, id).await?;
    Ok(Json(view(&state, &s).await?))
}

/// Edits a store; `version` must be the one last read.
#[utoipa::path(patch, path = "/api/v1/stores/{id}", tag = "ritel", security(("bearer" = [])), params(("id" = i64, Path)), request_body = Object, responses(
    (status = 200, body = StoreView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Value>,
) -> AppResult<Json<StoreView>> {
    let s = retail::update(&state, &user, id, body).await?;
    Ok(Json(view(&state, &s).await?))
}

/// Rekomendasi: published products matched to the store, best first, each with its reasons.
#[utoipa::path(get, path = "/api/v1/stores/{id}/recommendations", tag = "ritel", security(("bearer" = [])), params(("id" = i64, Path), MatchQuery), responses(
    (status = 200, body = Vec<Recommendation>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn recommendations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<MatchQuery>,
) -> AppResult<Json<Vec<Recommendation>>> {
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let page = q.page.unwrap_or(1);
    Ok(Json(matching::recommendations_page(&state, &user, id, q.q, page, limit).await?.0))
}

/// The store's shortlist (with the reasons of each product).
#[utoipa::path(get, path = "/api/v1/stores/{id}/shortlist", tag = "ritel", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<Recommendation>), (status = 403, body = Problem)))]
pub async fn shortlist(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<Recommendation>>> {
    Ok(Json(matching::shortlist(&state, &user, id).await?))
}

/// Adds a product to the store's shortlist (the store's side only).
#[utoipa::path(post, path = "/api/v1/stores/{id}/shortlist", tag = "ritel", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ShortlistBody, responses(
    (status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn shortlist_add(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ShortlistBody>,
) -> AppResult<StatusCode> {
    matching::shortlist_add(&state, &user, id, b.product_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a product from the store's shortlist.
#[utoipa::path(delete, path = "/api/v1/stores/{id}/shortlist/{product_id}", tag = "ritel", security(("bearer" = [])), params(("id" = i64, Path), ("product_id" = i64, Path)), responses(
    (status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn shortlist_remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, product_id)): ApiPath<(i64, i64)>,
) -> AppResult<StatusCode> {
    matching::shortlist_remove(&state, &user, id, product_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Toko potensial: stores whose product standard the caller's published product meets,
/// furthest below the compliance policy first, then furthest below their local-shelf
/// commitment, each with its reasons.
#[utoipa::path(get, path = "/api/v1/products/{id}/store-matches", tag = "ritel", security(("bearer" = [])), params(("id" = i64, Path), MatchQuery), responses(
    (status = 200, body = Vec<StoreMatch>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn store_matches(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<MatchQuery>,
) -> AppResult<Json<Vec<StoreMatch>>> {
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    Ok(Json(matching::store_matches(&state, &user, id, limit).await?))
}
