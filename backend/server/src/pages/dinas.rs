//! `/dinas/verifikasi`: the Dinas' queue — businesses waiting for verification and products
//! waiting for review, each with verify/publish and reject-with-reason forms.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use etalase_db::repo::PageReq;
use etalase_db::repo::producers::ProducerFilter;
use etalase_db::repo::products::ProductFilter;
use etalase_domain::lifecycle::{ListingAction, ListingStatus};
use etalase_domain::producer::{ProducerAction, ProducerStatus};
use etalase_domain::roles::Role;

use super::ctx::{Nav, PageError, PageResult, check_csrf, render, see_other};
use super::forms::FormData;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::service::catalog::products;
use crate::service::catalog::views::{ProducerView, ProductView};
use crate::service::producers;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dinas/verifikasi", get(queue))
        .route("/dinas/usaha/{id}/{action}", post(review_producer))
        .route("/dinas/produk/{id}/{action}", post(review_product))
}

#[derive(Template)]
#[template(path = "dinas_queue.html")]
struct Queue {
    nav: Nav,
    producers: Vec<ProducerView>,
    producers_total: u64,
    products: Vec<ProductView>,
    products_total: u64,
    error: Option<String>,
}

async fn queue_page(state: &AppState, user: &CurrentUser, error: Option<String>) -> PageResult {
    user.require(&[Role::Dinas]).map_err(PageError)?;
    let pf = ProducerFilter { status: Some(ProducerStatus::Registered), ..Default::default() };
    let prods = producers::list(state, user, pf, PageReq::new(1, 50)).await?;
    let f = ProductFilter { status: Some(ListingStatus::Submitted), ..Default::default() };
    let items = products::list(state, user, f, PageReq::new(1, 50)).await?;
    let nav = Nav::for_user(user);
    let page = Queue {
        nav: nav.clone(),
        producers: prods.items.iter().map(ProducerView::from).collect(),
        producers_total: prods.total,
        products: products::views(state, &items.items).await?,
        products_total: items.total,
        error,
    };
    Ok(render(&page, &nav))
}

async fn queue(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    queue_page(&state, &user, None).await
}

/// A refusal that the officer can fix on the same page (missing reason, unverified producer).
fn recoverable(e: &AppError) -> bool {
    matches!(e, AppError::Validation(_) | AppError::Conflict { .. })
}

async fn review_producer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, action)): Path<(i64, String)>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let action = match action.as_str() {
        "verifikasi" => ProducerAction::Verify,
        "tolak" => ProducerAction::Reject,
        _ => return Err(PageError(AppError::NotFound("Tindakan"))),
    };
    match producers::review(&state, &user, id, action, form.opt("reason")).await {
        Ok(_) => Ok(see_other("/dinas/verifikasi")),
        Err(e) if recoverable(&e) => queue_page(&state, &user, Some(e.problem().detail)).await,
        Err(e) => Err(PageError(e)),
    }
}

async fn review_product(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, action)): Path<(i64, String)>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let action = match action.as_str() {
        "tayangkan" => ListingAction::Publish,
        "tolak" => ListingAction::Reject,
        _ => return Err(PageError(AppError::NotFound("Tindakan"))),
    };
    match products::transition(&state, &user, id, action, form.opt("reason"), None).await {
        Ok(_) => Ok(see_other("/dinas/verifikasi")),
        Err(e) if recoverable(&e) => queue_page(&state, &user, Some(e.problem().detail)).await,
        Err(e) => Err(PageError(e)),
    }
}
