//! `/dinas/ekatalog`: the local e-katalog export for the Dinas (Perwal 74/2023 Pasal 10(1)(f)):
//! how many products are ready, the ready ones (paged), the ones still missing something with
//! every reason and a link to the business (paged separately), and the downloads
//! (`/dinas/ekatalog.csv`, `/dinas/ekatalog.xlsx`). Dinas and admins only; the rows come from
//! `service::ekatalog`, the same as the API.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::pages::ctx::PageQuery;
use crate::pages::ctx::{Nav, PageError, PageResult, render};
use crate::pages::pager::Pager;
use crate::service::ekatalog::{self as svc, EkatalogBlocked, EkatalogRow};
use crate::state::AppState;

const PER_PAGE: u64 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dinas/ekatalog", get(page))
        .route("/dinas/ekatalog.csv", get(export_csv))
        .route("/dinas/ekatalog.xlsx", get(export_xlsx))
}

#[derive(Template)]
#[template(path = "ekatalog.html")]
struct EkatalogPage {
    nav: Nav,
    ready: Vec<EkatalogRow>,
    ready_pager: Pager,
    blocked: Vec<EkatalogBlocked>,
    blocked_pager: Pager,
}

impl EkatalogPage {
    fn rupiah(&self, v: &i64) -> String {
        format!("Rp{}", etalase_domain::money::group_thousands(v.unsigned_abs()))
    }
}

/// `?page=` for the ready list, `?bpage=` for the blocked one.
#[derive(Debug, Default, Deserialize)]
pub struct EkatalogPageQuery {
    pub page: Option<u64>,
    pub bpage: Option<u64>,
}

/// `GET /dinas/ekatalog`.
async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    PageQuery(q): PageQuery<EkatalogPageQuery>,
) -> PageResult {
    let view = svc::build(&state, &user, &svc::origin(&headers)).await?;
    let for_ready: Vec<(&str, String)> =
        q.bpage.map(|p| ("bpage", p.to_string())).into_iter().collect();
    let for_blocked: Vec<(&str, String)> =
        q.page.map(|p| ("page", p.to_string())).into_iter().collect();
    let ready_pager = Pager::new(
        "/dinas/ekatalog",
        &for_ready,
        q.page,
        PER_PAGE,
        view.rows.len() as u64,
        "produk siap",
    );
    let blocked_pager = Pager::with_param(
        "bpage",
        "/dinas/ekatalog",
        &for_blocked,
        q.bpage,
        PER_PAGE,
        view.blocked.len() as u64,
        "produk belum siap",
    );
    let take = |p: &Pager| (p.offset() as usize, PER_PAGE as usize);
    let (skip, n) = take(&ready_pager);
    let ready = view.rows.into_iter().skip(skip).take(n).collect();
    let (skip, n) = take(&blocked_pager);
    let blocked = view.blocked.into_iter().skip(skip).take(n).collect();
    let nav = Nav::for_user(&user);
    let page = EkatalogPage { nav: nav.clone(), ready, ready_pager, blocked, blocked_pager };
    Ok(render(&page, &nav))
}

/// `GET /dinas/ekatalog.csv`: every ready product.
async fn export_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    Ok(svc::download(&state, &user, &headers, svc::Format::Csv).await?)
}

/// `GET /dinas/ekatalog.xlsx`: the ready products and, on a second sheet, what the others lack.
async fn export_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    Ok(svc::download(&state, &user, &headers, svc::Format::Xlsx).await?)
}
