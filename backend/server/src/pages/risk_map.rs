//! `/dinas/peta-risiko`: the risk map of Pasal 3(3)(a) for the Dinas — a table per kecamatan and
//! kelurahan of businesses by OSS risk level and scale, with how many still lack a NIB, a food
//! permit, halal or a product eligible for any standard — drawn on the kelurahan map coloured
//! by the measure chosen with `?ukuran=`, and its CSV (`/dinas/peta-risiko.csv`).
//! Dinas and admins only; the figures come from `service::risk_map`, the same as the API.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::download::{CSV, attachment};
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::pages::ctx::{Nav, PageError, PageResult, render};
use crate::service::risk_map::map::{LegendItem, Measure};
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
    /// The measure the map is coloured by, and the choices: (`ukuran`, label).
    measure: Measure,
    measures: Vec<(&'static str, &'static str)>,
    map_svg: String,
    legend: Vec<LegendItem>,
}

/// `?ukuran=`: what the map is coloured by (`usaha` when left out).
#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    ukuran: Option<String>,
}

/// `GET /dinas/peta-risiko`.
async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    q: Result<ApiQuery<PageQuery>, AppError>,
) -> PageResult {
    crate::service::compliance::require_dinas(&user)?;
    let ApiQuery(q) = q?;
    let measure = Measure::parse(q.ukuran.as_deref())?;
    let map = svc::risk_map(&state, &user).await?;
    let (map_svg, legend) = svc::map::map_svg(&map, measure);
    let nav = Nav::for_user(&user);
    let page = RiskMapPage {
        nav: nav.clone(),
        rows: map.rows,
        city: map.city,
        measure,
        measures: Measure::ALL.iter().map(|m| (m.key(), m.label())).collect(),
        map_svg,
        legend,
    };
    Ok(render(&page, &nav))
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
