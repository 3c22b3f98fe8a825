//! `GET /api/v1/search/products`: the product search (published products only — nothing else
//! is ever indexed), with typo tolerance, synonyms, filters, facet counts, distance and sort.
//! Anyone may search; a store manager's `standard=mine` and missing `near` use their store.

use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use etalase_domain::search::{Facets, Hit};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::MaybeUser;
use crate::error::{AppError, AppResult, Problem};
use crate::extract::ApiQuery;
use crate::service::catalog::search::{SearchParams, caller_store, to_query};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/search/products", get(search))
        .route("/search/reindex", axum::routing::post(reindex))
        .route("/search/drift", get(drift))
}

/// How a rebuild went.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReindexReport {
    pub documents: usize,
    pub seconds: f64,
}

/// Rebuilds the index into a fresh one and swaps it in; search keeps answering (admin).
#[utoipa::path(post, path = "/api/v1/search/reindex", tag = "sistem", security(("bearer" = [])), responses(
    (status = 200, body = ReindexReport), (status = 403, body = Problem), (status = 503, body = Problem)))]
pub async fn reindex(
    State(state): State<AppState>,
    crate::auth::ApiUser(user): crate::auth::ApiUser,
) -> AppResult<Json<ReindexReport>> {
    user.require(&[etalase_domain::roles::Role::Admin])?;
    let t0 = std::time::Instant::now();
    let documents = crate::service::search_sync::reindex(&state).await?;
    Ok(Json(ReindexReport { documents, seconds: t0.elapsed().as_secs_f64() }))
}

/// Compares database and index (admin, Dinas).
#[utoipa::path(get, path = "/api/v1/search/drift", tag = "sistem", security(("bearer" = [])), responses(
    (status = 200, body = crate::service::search_sync::Drift), (status = 403, body = Problem)))]
pub async fn drift(
    State(state): State<AppState>,
    crate::auth::ApiUser(user): crate::auth::ApiUser,
) -> AppResult<Json<crate::service::search_sync::Drift>> {
    user.require(&[etalase_domain::roles::Role::Admin, etalase_domain::roles::Role::Dinas])?;
    Ok(Json(crate::service::search_sync::drift(&state).await?))
}

// The schema of what the search index writes (`etalase_domain::search::results_json`, or the
// Meilisearch adapter's copy of its own documents).
/// The answer: hits with highlight and distance, facet counts over all matches, total.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    #[schema(value_type = Vec<Object>)]
    pub hits: Vec<Hit>,
    #[schema(value_type = Object)]
    pub facets: Facets,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub processing_ms: u64,
}

/// Searches published products.
#[utoipa::path(get, path = "/api/v1/search/products", tag = "katalog", params(SearchParams), responses(
    (status = 200, body = SearchResponse), (status = 400, body = Problem), (status = 503, body = Problem)))]
pub async fn search(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> AppResult<axum::response::Response> {
    let store = caller_store(&state, user.as_ref()).await?;
    let q = to_query(&p, store)?;
    // The adapter writes the answer (`SearchResponse`'s shape) itself: Meilisearch's documents
    // are copied through, not rebuilt and serialized again.
    let json =
        state.search.search_json(&q).await.map_err(|e| AppError::Unavailable(e.to_string()))?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], json).into_response())
}
