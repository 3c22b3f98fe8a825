//! `/compliance`: policies, the store list with levels and figures, one store's evidence, the
//! summary by chain / kecamatan / kelurahan, the trend and the CSV/XLSX exports. The Dinas
//! sees every store, a chain office its own; anyone else gets 403.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::ApiUser;
use crate::download::attachment;
use crate::error::{AppResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::Paginated;
use crate::service::compliance::{
    self as svc, NewPolicy, PolicyView, StoreDetailView, StoreStatusView, StoresQuery,
    SummaryQuery, SummaryView, TrendQuery, TrendView, export,
};
use crate::service::compliance::{PermendagBreach, PermendagQuery};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/compliance/policies", get(policies).post(create_policy))
        .route("/compliance/stores", get(stores))
        .route("/compliance/stores/{id}", get(store))
        .route("/compliance/summary", get(summary))
        .route("/compliance/trend", get(trend))
        .route("/compliance/export.csv", get(export_csv))
        .route("/compliance/export.xlsx", get(export_xlsx))
        .route("/compliance/permendag", get(permendag))
        .route("/compliance/drift", get(drift))
        .route("/compliance/drift/repair", axum::routing::post(repair_drift))
}

/// Compares the maintained compliance table with the live aggregation (admin, Dinas).
#[utoipa::path(get, path = "/api/v1/compliance/drift", tag = "sistem", security(("bearer" = [])), responses(
    (status = 200, body = svc::ComplianceDrift), (status = 403, body = Problem)))]
pub async fn drift(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<svc::ComplianceDrift>> {
    user.require(&[etalase_domain::roles::Role::Admin, etalase_domain::roles::Role::Dinas])?;
    Ok(Json(svc::check_drift(&state, false).await?))
}

/// Recomputes the stores that drifted, or the whole table when it is not for today and the
/// policy in force (admin).
#[utoipa::path(post, path = "/api/v1/compliance/drift/repair", tag = "sistem", security(("bearer" = [])), responses(
    (status = 200, body = svc::ComplianceDrift), (status = 403, body = Problem)))]
pub async fn repair_drift(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<svc::ComplianceDrift>> {
    user.require(&[etalase_domain::roles::Role::Admin])?;
    Ok(Json(svc::check_drift(&state, true).await?))
}

/// Policy versions, newest first (Dinas, chain offices).
#[utoipa::path(get, path = "/api/v1/compliance/policies", tag = "kepatuhan", security(("bearer" = [])), responses((status = 200, body = Vec<PolicyView>), (status = 403, body = Problem)))]
pub async fn policies(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<Vec<PolicyView>>> {
    Ok(Json(svc::list_policies(&state, &user).await?))
}

/// Adds a policy version taking effect on `effective_from` (Dinas only).
#[utoipa::path(post, path = "/api/v1/compliance/policies", tag = "kepatuhan", security(("bearer" = [])), request_body = NewPolicy, responses(
    (status = 201, body = PolicyView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_policy(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<NewPolicy>,
) -> AppResult<(StatusCode, Json<PolicyView>)> {
    Ok((StatusCode::CREATED, Json(svc::create_policy(&state, &user, body).await?)))
}

/// Store list query with paging.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StoresPageQuery {
    #[serde(default, deserialize_with = "crate::service::input::plain_date")]
    pub date: Option<NaiveDate>,
    /// Chain id or code.
    pub chain: Option<String>,
    pub kecamatan: Option<String>,
    pub kelurahan: Option<String>,
    /// `patuh`, `berisiko` or `tidak_patuh`.
    pub level: Option<String>,
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl StoresPageQuery {
    fn filter(&self) -> StoresQuery {
        StoresQuery {
            date: self.date,
            chain: self.chain.clone(),
            kecamatan: self.kecamatan.clone(),
            kelurahan: self.kelurahan.clone(),
            level: self.level.clone(),
        }
    }
}

/// Stores with their level and figures on the date (default today), by store code.
#[utoipa::path(get, path = "/api/v1/compliance/stores", tag = "kepatuhan", security(("bearer" = [])), params(StoresPageQuery), responses(
    (status = 200, body = Paginated<StoreStatusView>), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn stores(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<StoresPageQuery>,
) -> AppResult<Json<Paginated<StoreStatusView>>> {
    let req = crate::service::PageQuery { page: q.page, per_page: q.per_page }.req();
    let (_, _, rows) = svc::store_list(&state, &user, &q.filter()).await?;
    let total = rows.len() as u64;
    let items = rows.into_iter().skip(req.offset() as usize).take(req.per_page as usize).collect();
    Ok(Json(Paginated::new(items, req.page, req.per_page, total)))
}

/// `?date=` of the store detail.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DateQuery {
    #[serde(default, deserialize_with = "crate::service::input::plain_date")]
    pub date: Option<NaiveDate>,
}

/// Why one store has its status: agreements, products, producers, shortfalls, inspections.
#[utoipa::path(get, path = "/api/v1/compliance/stores/{id}", tag = "kepatuhan", security(("bearer" = [])), params(("id" = i64, Path), DateQuery), responses(
    (status = 200, body = StoreDetailView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn store(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> AppResult<Json<StoreDetailView>> {
    Ok(Json(svc::store_detail(&state, &user, id, q.date).await?))
}

/// Counts of patuh / berisiko / tidak patuh on the date, in total and by chain, kecamatan or kelurahan.
#[utoipa::path(get, path = "/api/v1/compliance/summary", tag = "kepatuhan", security(("bearer" = [])), params(SummaryQuery), responses(
    (status = 200, body = SummaryView), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn summary(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<SummaryQuery>,
) -> AppResult<Json<SummaryView>> {
    Ok(Json(svc::summary(&state, &user, &q).await?))
}

/// Counts per month from the stored monthly snapshots.
#[utoipa::path(get, path = "/api/v1/compliance/trend", tag = "kepatuhan", security(("bearer" = [])), params(TrendQuery), responses(
    (status = 200, body = TrendView), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn trend(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<TrendQuery>,
) -> AppResult<Json<TrendView>> {
    Ok(Json(svc::trend(&state, &user, &q).await?))
}

/// The store list as CSV (same filters as `/compliance/stores`, no paging).
#[utoipa::path(get, path = "/api/v1/compliance/export.csv", tag = "kepatuhan", security(("bearer" = [])), params(StoresQuery), responses(
    (status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
pub async fn export_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<StoresQuery>,
) -> AppResult<Response> {
    let (date, _, rows) = svc::store_list(&state, &user, &q).await?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        format!("kepatuhan-{date}.csv"),
        export::csv(&rows).into_bytes(),
    ))
}

/// The store list as XLSX (same filters as `/compliance/stores`, no paging).
#[utoipa::path(get, path = "/api/v1/compliance/export.xlsx", tag = "kepatuhan", security(("bearer" = [])), params(StoresQuery), responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 403, body = Problem)))]
pub async fn export_xlsx(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<StoresQuery>,
) -> AppResult<Response> {
    let (date, _, rows) = svc::store_list(&state, &user, &q).await?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("kepatuhan-{date}.xlsx"),
        export::xlsx(&rows)?,
    ))
}

/// Agreements breaching a Permendag 23/2021 limit (margin above 15%, listing fee above Rp50.000
/// per outlet, listing fees of one UMKM item over a chain above Rp20 juta), newest first, paged;
/// filter by `limit` and `chain_id` (Dinas and admins only).
#[utoipa::path(get, path = "/api/v1/compliance/permendag", tag = "kepatuhan", security(("bearer" = [])), params(PermendagQuery), responses(
    (status = 200, body = Paginated<PermendagBreach>), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn permendag(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<PermendagQuery>,
) -> AppResult<Json<Paginated<PermendagBreach>>> {
    let rows = svc::breaches(&state, &user, &q).await?;
    let req = crate::service::PageQuery { page: q.page, per_page: q.per_page }.req();
    let total = rows.len() as u64;
    let items = rows.into_iter().skip(req.offset() as usize).take(req.per_page as usize).collect();
    Ok(Json(Paginated::new(items, req.page, req.per_page, total)))
}
