//! `/dinas/peta-risiko`: the risk map of Pasal 3(3)(a) for the Dinas — a table per kecamatan and
//! kelurahan of businesses by OSS risk level and scale, with how many still lack a NIB, a food
//! permit, halal or a product eligible for any standard — and its CSV (`/dinas/peta-risiko.csv`).
//! Dinas and admins only; the figures come from `service::risk_map`, the same as the API.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::auth::CurrentUser;
use crate::download::{CSV, attachment};
use crate::pages::ctx::{Nav, PageError, PageResult, render};
use crate::service::risk_map::{self as svc, RiskCounts, RiskRow};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dinas/peta-risiko", get(page))
        .route("/dinas/peta-risiko.csv", get(export_csv))
}

#[derive(Template)]
#[template(path = "risk_map.html")]
struct RiskMapPage {
    nav: Nav,
    rows: Vec<RiskRow>,
    city: RiskCounts,
}

/// `GET /dinas/peta-risiko`.
async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    let map = svc::risk_map(&state, &user).await?;
    let nav = Nav::for_user(&user);
    Ok(render(&RiskMapPage { nav: nav.clone(), rows: map.rows, city: map.city }, &nav))
}

/// `GET /dinas/peta-risiko.csv`.
async fn export_csv(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let map = svc::risk_map(&state, &user).await?;
    let date = state.clock.today_wib();
    Ok(attachment(CSV, format!("peta-risiko-umkm-{date}.csv"), svc::csv(&map).into_bytes()))
}
