//! `/dinas/rencana-penempatan`: the city-wide placement plan page (issue 16) — compute a plan
//! for a date, see it on the kelurahan map, by kecamatan and by chain, the stores with their
//! proposals (paged), the stores that cannot reach the policy and why, the producers it lifts,
//! and send it as draft agreements after a confirmation step. Dinas and admins only; the
//! figures come from `service::placement_plan`, the same as the API.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::pages::ctx::PagePath;
use crate::pages::ctx::{Nav, PageError, PageResult, check_csrf, render};
use crate::pages::flash::see_other_flash;
use crate::pages::forms::FormData;
use crate::pages::pager::Pager;
use crate::service::placement_plan::{
    self as svc, ComputeInput, PlanView, SendInput, StorePlanView, dinas_only,
};
use crate::state::AppState;

const PATH: &str = "/dinas/rencana-penempatan";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(PATH, get(page).post(compute))
        .route("/dinas/rencana-penempatan/{id}/kirim", get(confirm).post(send))
}

#[derive(Template)]
#[template(path = "placement_plan.html")]
struct PlanPage {
    nav: Nav,
    today: String,
    plan: Option<PlanView>,
    stores: Vec<StorePlanView>,
    infeasible: Vec<StorePlanView>,
    pager: Pager,
    map_svg: String,
    legend: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "placement_plan_confirm.html")]
struct ConfirmPage {
    nav: Nav,
    plan: PlanView,
    stores_with_proposals: usize,
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    page: Option<u64>,
}

const PER_PAGE: u64 = 25;

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    q: Result<ApiQuery<PageQuery>, AppError>,
) -> PageResult {
    dinas_only(&user)?;
    let ApiQuery(q) = q?;
    let plan = svc::latest(&state, &user).await?;
    let all = plan.as_ref().map(|p| p.stores.clone()).unwrap_or_default();
    let pager = Pager::new(PATH, &[], q.page, PER_PAGE, all.len() as u64, "gerai");
    let stores: Vec<StorePlanView> =
        all.iter().skip(pager.offset() as usize).take(PER_PAGE as usize).cloned().collect();
    let infeasible = all.iter().filter(|s| !s.reaches_policy).cloned().collect();
    let (map_svg, legend) = plan.as_ref().map(svc::map::map_svg).unwrap_or_default();
    let nav = Nav::for_user(&user);
    let page = PlanPage {
        nav: nav.clone(),
        today: state.clock.today_wib().to_string(),
        plan,
        stores,
        infeasible,
        pager,
        map_svg,
        legend,
    };
    Ok(render(&page, &nav))
}

async fn compute(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    dinas_only(&user)?;
    check_csrf(Some(&user), &headers, form.csrf())?;
    let raw = form.0.get("date").map(|d| d.trim().to_string()).unwrap_or_default();
    let date = match raw.as_str() {
        "" => None,
        d => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                return Ok(see_other_flash(
                    PATH,
                    "Tanggal tidak sah; pilih tanggal dari kalender.",
                ));
            }
        },
    };
    match svc::compute(&state, &user, ComputeInput { date }).await {
        Ok(p) => Ok(see_other_flash(
            PATH,
            &format!(
                "Rencana dihitung: {} usulan penempatan, {} dari {} gerai di bawah kebijakan akan \
                 patuh, {} UMKM mendapat penempatan pertama.",
                p.placements, p.stores_reaching, p.stores_below, p.producers_lifted
            ),
        )),
        Err(AppError::NotFound(_)) => Ok(see_other_flash(
            PATH,
            "Belum ada kebijakan kepatuhan yang berlaku pada tanggal itu; tetapkan dulu di halaman \
             Kepatuhan.",
        )),
        Err(e) => Err(PageError(e)),
    }
}

async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let plan = svc::get(&state, &user, id).await?;
    let stores_with_proposals = plan.stores.iter().filter(|s| !s.proposals.is_empty()).count();
    let nav = Nav::for_user(&user);
    Ok(render(&ConfirmPage { nav: nav.clone(), plan, stores_with_proposals }, &nav))
}

async fn send(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    dinas_only(&user)?;
    check_csrf(Some(&user), &headers, form.csrf())?;
    let confirm = form.0.get("confirm").is_some_and(|v| v == "1");
    match svc::send(&state, &user, id, SendInput { confirm }).await {
        Ok(r) => Ok(see_other_flash(
            PATH,
            &format!(
                "{} draf perjanjian dikirim ke gerai; {} usulan dilewati (produk sudah ada di \
                 gerai atau tidak tayang lagi). Setiap draf tetap diterima atau ditolak oleh \
                 gerai dan UMKM.",
                r.created, r.skipped
            ),
        )),
        Err(AppError::Conflict { .. }) => Ok(see_other_flash(
            PATH,
            "Rencana ini sudah dikirim sebelumnya; tidak ada draf yang dikirim ulang.",
        )),
        Err(e) => Err(PageError(e)),
    }
}
