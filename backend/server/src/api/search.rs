//! `GET /api/v1/search/products`: the product search (published products only — nothing else
//! is ever indexed), with typo tolerance, synonyms, filters, facet counts, distance and sort.
//! Anyone may search; a store manager's `standard=mine` and missing `near` use their store.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use etalase_domain::error::{FieldError, ValidationErrors};
use etalase_domain::search::{Facets, Hit, SearchQuery, SortBy};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::ApiQuery;
use crate::auth::MaybeUser;
use crate::error::{AppError, AppResult, Problem};
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

/// Query parameters; every one is optional.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words, typed as people type ("kripik pedes", "sambel").
    pub q: Option<String>,
    /// Category slug.
    pub category: Option<String>,
    /// Kecamatan code, e.g. `36.73.05`.
    pub kecamatan: Option<String>,
    /// `true`: only products with a valid halal certificate.
    pub halal: Option<bool>,
    /// Certificate kinds the product must all have, comma-separated (`pirt,halal`).
    pub cert: Option<String>,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    /// `lat,lon` to measure distance from (a store manager's store when left out).
    pub near: Option<String>,
    pub radius_km: Option<f64>,
    /// `relevance` (default), `distance`, `price_asc`, `price_desc`, `newest`.
    pub sort: Option<String>,
    /// Only products eligible for this standard id (`standard=mine`: the caller's store's).
    pub standard: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

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

fn bad(field: &str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, "invalid_parameter", message)
}

/// Turns parameters into a validated query; `store` is the caller's store (lat, lon, standard).
pub fn to_query(
    p: &SearchParams,
    store: Option<((f64, f64), Option<i64>)>,
) -> Result<SearchQuery, AppError> {
    let mut errs = ValidationErrors::new();
    let near = match p.near.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => {
            match s.split_once(',').map(|(a, b)| (a.trim().parse::<f64>(), b.trim().parse::<f64>()))
            {
                Some((Ok(lat), Ok(lon)))
                    if lat.is_finite()
                        && lon.is_finite()
                        && lat.abs() <= 90.0
                        && lon.abs() <= 180.0 =>
                {
                    Some((lat, lon))
                }
                _ => {
                    errs.push(bad(
                        "near",
                        "Parameter \"near\" harus berbentuk lintang,bujur, contoh -6.12,106.15.",
                    ));
                    None
                }
            }
        }
        None => store.map(|s| s.0),
    };
    let sort = match p.sort.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => SortBy::from_code(s).unwrap_or_else(|| {
            errs.push(bad(
                "sort",
                "Parameter \"sort\" harus relevance, distance, price_asc, price_desc atau newest.",
            ));
            SortBy::Relevance
        }),
        None => SortBy::Relevance,
    };
    let eligible_for = match p.standard.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some("mine") => match store {
            Some((_, Some(id))) => Some(id),
            _ => {
                errs.push(bad(
                    "standard",
                    "\"standard=mine\" hanya untuk akun toko yang tokonya punya standar.",
                ));
                None
            }
        },
        Some(s) => s.parse::<i64>().map(Some).unwrap_or_else(|_| {
            errs.push(bad("standard", "Parameter \"standard\" harus nomor standar atau \"mine\"."));
            None
        }),
        None => None,
    };
    let clean =
        |v: &Option<String>| v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let q = SearchQuery {
        text: clean(&p.q),
        category: clean(&p.category),
        kecamatan: clean(&p.kecamatan),
        halal: p.halal,
        cert: p
            .cert
            .as_deref()
            .map(|c| c.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect())
            .unwrap_or_default(),
        price_min: p.price_min,
        price_max: p.price_max,
        near,
        radius_km: p.radius_km,
        eligible_for,
        sort,
        page: p.page.unwrap_or(1),
        per_page: p.per_page.unwrap_or(20),
    };
    if let Err(v) = q.validate() {
        for e in v.0 {
            errs.push(FieldError::new(
                match e.field.as_str() {
                    "text" => "q",
                    f => f,
                },
                "invalid_parameter",
                e.message,
            ));
        }
    }
    if errs.is_empty() { Ok(q) } else { Err(AppError::InvalidParameters(errs)) }
}

/// The caller's store location and standard, when the caller is a store manager.
pub async fn caller_store(
    state: &AppState,
    user: Option<&crate::auth::CurrentUser>,
) -> AppResult<Option<((f64, f64), Option<i64>)>> {
    let Some(store_id) = user.and_then(|u| u.store_id) else { return Ok(None) };
    let Some(store) =
        etalase_db::entities::store::Entity::find_by_id(store_id).one(&state.db).await?
    else {
        return Ok(None);
    };
    let standard = crate::service::standards::standard_for_store(state, store_id).await?;
    Ok(Some(((store.lat, store.lon), standard)))
}

use sea_orm::EntityTrait;

/// Searches published products.
#[utoipa::path(get, path = "/api/v1/search/products", tag = "katalog", params(SearchParams), responses(
    (status = 200, body = SearchResponse), (status = 400, body = Problem), (status = 503, body = Problem)))]
pub async fn search(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> AppResult<Json<SearchResponse>> {
    let store = caller_store(&state, user.as_ref()).await?;
    let q = to_query(&p, store)?;
    let r = state.search.search(&q).await.map_err(|e| AppError::Unavailable(e.to_string()))?;
    Ok(Json(SearchResponse {
        hits: r.hits,
        facets: r.facets,
        total: r.total,
        page: q.page,
        per_page: q.per_page,
        processing_ms: r.processing_ms,
    }))
}
