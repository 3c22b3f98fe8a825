//! `/risk-map`: the Dinas' risk map of its UMKM (Pasal 3(3)(a)) — businesses by kecamatan and
//! kelurahan, by OSS risk level and scale, and how many still lack a NIB, a food permit, a halal
//! certificate or a product eligible for any standard; JSON and CSV. Dinas and admins only.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};

use crate::auth::ApiUser;
use crate::download::{CSV, attachment};
use crate::error::{AppResult, Problem};
use crate::service::risk_map::{self as svc, RiskMap};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/risk-map", get(read)).route("/risk-map.csv", get(export_csv))
}

/// The risk map: a row per kelurahan, a total per kecamatan, and the city.
#[utoipa::path(get, path = "/api/v1/risk-map", tag = "dinas", security(("bearer" = [])), responses(
    (status = 200, body = RiskMap), (status = 403, body = Problem)))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<RiskMap>> {
    Ok(Json(svc::risk_map(&state, &user).await?))
}

/// The risk map as CSV.
#[utoipa::path(get, path = "/api/v1/risk-map.csv", tag = "dinas", security(("bearer" = [])), responses(
    (status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
pub async fn export_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Response> {
    let map = svc::risk_map(&state, &user).await?;
    let date = state.clock.today_wib();
    Ok(attachment(CSV, format!("peta-risiko-umkm-{date}.csv"), svc::csv(&map).into_bytes()))
}
