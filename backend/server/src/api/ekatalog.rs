//! `/ekatalog`: the local e-katalog export (Perwal 74/2023 Pasal 10(1)(f)) — the products ready
//! for the e-katalog in its column structure, and those that cannot be exported yet with every
//! reason; as JSON, CSV or XLSX. Dinas and admins only; anyone else gets 403.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};

use crate::auth::ApiUser;
use crate::error::{AppResult, Problem};
use crate::service::ekatalog::{self as svc, EkatalogView};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ekatalog", get(read))
        .route("/ekatalog/export.csv", get(export_csv))
        .route("/ekatalog/export.xlsx", get(export_xlsx))
}

/// Products ready for the local e-katalog (`rows`) and those still missing something
/// (`blocked`, with every reason).
#[utoipa::path(get, path = "/api/v1/ekatalog", tag = "dinas", security(("bearer" = [])), responses(
    (status = 200, body = EkatalogView), (status = 403, body = Problem)))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
) -> AppResult<Json<EkatalogView>> {
    Ok(Json(svc::build(&state, &user, &svc::origin(&headers)).await?))
}

/// The ready products as CSV, one row each in the e-katalog's columns.
#[utoipa::path(get, path = "/api/v1/ekatalog/export.csv", tag = "dinas", security(("bearer" = [])), responses(
    (status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
pub async fn export_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
) -> AppResult<Response> {
    svc::download(&state, &user, &headers, svc::Format::Csv).await
}

/// The ready products (first sheet) and those still missing something (second sheet) as XLSX.
#[utoipa::path(get, path = "/api/v1/ekatalog/export.xlsx", tag = "dinas", security(("bearer" = [])), responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 403, body = Problem)))]
pub async fn export_xlsx(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
) -> AppResult<Response> {
    svc::download(&state, &user, &headers, svc::Format::Xlsx).await
}
