//! `/dinas/usaha/{id}`: a business as the Dinas sees it — its data with the derivation of its
//! scale (PP 7/2021 Pasal 35) and its history: every audit event about the business, its
//! products and its owner's account, newest first, paged. Dinas and admin only.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use etalase_db::repo::PageReq;
use etalase_db::repo::producers as repo;
use etalase_domain::roles::Role;
use serde::Deserialize;

use super::ctx::{Nav, PageError, PageResult, render};
use super::pager::Pager;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::pages::ctx::PagePath;
use crate::service::business_history::{self, HistoryEntry};
use crate::service::catalog::views::ProducerView;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/dinas/usaha/{id}", get(show))
}

const EVENTS_PER_PAGE: u64 = 20;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
}

#[derive(Template)]
#[template(path = "dinas_business.html")]
struct BusinessPage {
    nav: Nav,
    p: ProducerView,
    events: Vec<HistoryEntry>,
    pager: Pager,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    query: Result<ApiQuery<HistoryQuery>, AppError>,
) -> PageResult {
    user.require(&[Role::Dinas, Role::Admin]).map_err(PageError)?;
    let m = repo::find(&state.db, id).await?.ok_or(PageError(AppError::NotFound("Data usaha")))?;
    let want = query.map(|ApiQuery(q)| q.page).unwrap_or_default().unwrap_or(1);
    let mut page =
        business_history::history(&state, &m, PageReq::new(want, EVENTS_PER_PAGE)).await?;
    let path = format!("/dinas/usaha/{id}");
    let pager = Pager::new(&path, &[], Some(want), EVENTS_PER_PAGE, page.total, "kejadian");
    if pager.page != want {
        page = business_history::history(&state, &m, PageReq::new(pager.page, EVENTS_PER_PAGE))
            .await?;
    }
    let nav = Nav::for_user(&user);
    let out =
        BusinessPage { nav: nav.clone(), p: ProducerView::from(&m), events: page.items, pager };
    Ok(render(&out, &nav))
}
