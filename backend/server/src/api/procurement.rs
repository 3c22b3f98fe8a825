//! `/procurement`: government demand (Perwal 74/2023 Pasal 11(b)–(e)). The Dinas (or an admin)
//! registers buyer organisations (Perangkat Daerah, BUMD), their yearly budget and their
//! accounts; a buyer account records, corrects and deletes its own purchases and picks a catalog
//! UMKM as supplier; the Pasal 11(e) report (monthly share on local UMKM against 40%, the
//! Pasal 11(b)–(d) categories apart) as JSON, CSV or XLSX: every buyer for the Dinas, its own
//! for a buyer. Another buyer's records are 404; other roles 403.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use etalase_domain::procurement::PurchaseInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::ApiUser;
use crate::error::{AppResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::procurement::export::{Format, download};
use crate::service::procurement::purchases::{self, PurchaseView};
use crate::service::procurement::report::{self, ReportView};
use crate::service::procurement::{
    self as svc, BudgetInput, BuyerAccountInput, BuyerView, NewBuyer, SupplierView,
};
use crate::service::users::UserView;
use crate::service::{PageQuery, Paginated};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/procurement/buyers", get(buyers).post(create_buyer))
        .route("/procurement/buyers/{id}/budget", put(set_budget))
        .route("/procurement/buyers/{id}/accounts", post(create_account))
        .route("/procurement/suppliers", get(suppliers))
        .route("/procurement/purchases", get(list).post(create))
        .route("/procurement/purchases/{id}", get(read).put(correct).delete(remove))
        .route("/procurement/report", get(read_report))
        .route("/procurement/report.csv", get(report_csv))
        .route("/procurement/report.xlsx", get(report_xlsx))
}

/// The buyers the caller may see (a buyer: its own).
#[utoipa::path(get, path = "/api/v1/procurement/buyers", tag = "pengadaan", security(("bearer" = [])), responses(
    (status = 200, body = Vec<BuyerView>), (status = 403, body = Problem)))]
pub async fn buyers(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<Vec<BuyerView>>> {
    let all = svc::buyers(&state, &user).await?;
    Ok(Json(all.iter().map(BuyerView::from).collect()))
}

/// Registers a Perangkat Daerah or BUMD as a buyer (Dinas, admin).
#[utoipa::path(post, path = "/api/v1/procurement/buyers", tag = "pengadaan", security(("bearer" = [])), request_body = NewBuyer, responses(
    (status = 201, body = BuyerView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_buyer(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<NewBuyer>,
) -> AppResult<(StatusCode, Json<BuyerView>)> {
    let m = svc::create_buyer(&state, &user, body).await?;
    Ok((StatusCode::CREATED, Json(BuyerView::from(&m))))
}

/// A budget as set.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetSet {
    pub buyer_id: i64,
    pub year: i32,
    pub amount: i64,
}

/// Sets a buyer's procurement budget of a year (Dinas, admin).
#[utoipa::path(put, path = "/api/v1/procurement/buyers/{id}/budget", tag = "pengadaan", security(("bearer" = [])), params(("id" = i64, Path)), request_body = BudgetInput, responses(
    (status = 200, body = BudgetSet), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_budget(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<BudgetInput>,
) -> AppResult<Json<BudgetSet>> {
    let (year, amount) = svc::set_budget(&state, &user, id, body).await?;
    Ok(Json(BudgetSet { buyer_id: id, year, amount }))
}

/// Creates a login recording for this buyer (Dinas, admin).
#[utoipa::path(post, path = "/api/v1/procurement/buyers/{id}/accounts", tag = "pengadaan", security(("bearer" = [])), params(("id" = i64, Path)), request_body = BuyerAccountInput, responses(
    (status = 201, body = UserView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_account(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<BuyerAccountInput>,
) -> AppResult<(StatusCode, Json<UserView>)> {
    let u = svc::create_account(&state, &user, id, body).await?;
    Ok((StatusCode::CREATED, Json(UserView::from(&u))))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SupplierQuery {
    /// Part of the business name.
    #[serde(default)]
    pub q: String,
}

/// Verified catalog businesses by name, to pick as supplier (at most 20).
#[utoipa::path(get, path = "/api/v1/procurement/suppliers", tag = "pengadaan", security(("bearer" = [])), params(SupplierQuery), responses(
    (status = 200, body = Vec<SupplierView>), (status = 403, body = Problem)))]
pub async fn suppliers(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<SupplierQuery>,
) -> AppResult<Json<Vec<SupplierView>>> {
    Ok(Json(svc::suppliers(&state, &user, &q.q).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PurchaseQuery {
    /// Budget year (default: every year).
    pub year: Option<i32>,
    /// One buyer (Dinas); a buyer may only name its own.
    pub buyer_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Purchases, newest first: a buyer's own; for the Dinas every buyer's (or one).
#[utoipa::path(get, path = "/api/v1/procurement/purchases", tag = "pengadaan", security(("bearer" = [])), params(PurchaseQuery), responses(
    (status = 200, body = Paginated<PurchaseView>), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<PurchaseQuery>,
) -> AppResult<Json<Paginated<PurchaseView>>> {
    let req = PageQuery { page: q.page, per_page: q.per_page }.req();
    let year = q.year.map(|y| report::year_or_now(&state, Some(y))).transpose()?;
    let page = purchases::list(&state, &user, q.buyer_id, year, req).await?;
    Ok(Json(Paginated::new(
        page.items.iter().map(PurchaseView::from).collect(),
        page.page,
        page.per_page,
        page.total,
    )))
}

/// Records a purchase of the caller's organisation (buyer accounts only). The supplier is a
/// catalog business (`producer_id`) or another one (`supplier_name` and `supplier_local_umkm`).
#[utoipa::path(post, path = "/api/v1/procurement/purchases", tag = "pengadaan", security(("bearer" = [])), request_body = PurchaseInput, responses(
    (status = 201, body = PurchaseView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<PurchaseInput>,
) -> AppResult<(StatusCode, Json<PurchaseView>)> {
    let m = purchases::create(&state, &user, body).await?;
    Ok((StatusCode::CREATED, Json(PurchaseView::from(&m))))
}

/// One purchase.
#[utoipa::path(get, path = "/api/v1/procurement/purchases/{id}", tag = "pengadaan", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = PurchaseView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<PurchaseView>> {
    Ok(Json(PurchaseView::from(&purchases::get(&state, &user, id).await?)))
}

/// Corrects a purchase of the caller's organisation (every field; recorded in the audit log).
#[utoipa::path(put, path = "/api/v1/procurement/purchases/{id}", tag = "pengadaan", security(("bearer" = [])), params(("id" = i64, Path)), request_body = PurchaseInput, responses(
    (status = 200, body = PurchaseView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn correct(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PurchaseInput>,
) -> AppResult<Json<PurchaseView>> {
    Ok(Json(PurchaseView::from(&purchases::correct(&state, &user, id, body).await?)))
}

/// Deletes a purchase of the caller's organisation recorded by mistake (audit log keeps it).
#[utoipa::path(delete, path = "/api/v1/procurement/purchases/{id}", tag = "pengadaan", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    purchases::delete(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// Year (default: this year, WIB).
    pub year: Option<i32>,
    /// One buyer (Dinas); a buyer sees its own.
    pub buyer_id: Option<i64>,
}

/// The Pasal 11(e) report: per buyer and month the share spent on local UMKM against 40%.
#[utoipa::path(get, path = "/api/v1/procurement/report", tag = "pengadaan", security(("bearer" = [])), params(ReportQuery), responses(
    (status = 200, body = ReportView), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn read_report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> AppResult<Json<ReportView>> {
    Ok(Json(report::build(&state, &user, q.year, q.buyer_id).await?.0))
}

/// The report as CSV: one row per buyer and month, Pasal 11(b)–(d) in their own columns.
#[utoipa::path(get, path = "/api/v1/procurement/report.csv", tag = "pengadaan", security(("bearer" = [])), params(ReportQuery), responses(
    (status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn report_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> AppResult<Response> {
    download(&state, &user, q.year, q.buyer_id, Format::Csv).await
}

/// The report as XLSX: "Per bulan" (the CSV's rows) and "Rekap tahun" (year to date, budget).
#[utoipa::path(get, path = "/api/v1/procurement/report.xlsx", tag = "pengadaan", security(("bearer" = [])), params(ReportQuery), responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn report_xlsx(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> AppResult<Response> {
    download(&state, &user, q.year, q.buyer_id, Format::Xlsx).await
}
