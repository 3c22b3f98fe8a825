//! `/dinas/verifikasi`: the Dinas' queue — businesses waiting for verification and products
//! waiting for review, each list paged (`upage` for businesses, `page` for products) and
//! searchable by name, kecamatan and category, with verify/publish and reject-with-reason
//! forms that come back to the same page and filters with a message naming what was done.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use etalase_db::repo::PageReq;
use etalase_db::repo::producers::ProducerFilter;
use etalase_db::repo::products::ProductFilter;
use etalase_domain::lifecycle::{ListingAction, ListingStatus};
use etalase_domain::producer::{ProducerAction, ProducerStatus};
use etalase_domain::roles::Role;
use serde::Deserialize;

use super::ctx::{Nav, PageError, PageResult, check_csrf, render};
use super::flash::see_other_flash;
use super::forms::FormData;
use super::pager::Pager;
use super::producer::Choices;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::{ApiQuery, non_empty_query};
use crate::pages::ctx::PagePath;
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

const PRODUCTS_PER_PAGE: u64 = 20;
const PRODUCERS_PER_PAGE: u64 = 10;

/// The queue's search and the two lists' pages.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    /// Words in the product's or business's name.
    pub q: Option<String>,
    pub kecamatan: Option<String>,
    /// Category slug (products only).
    pub category: Option<String>,
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub upage: Option<u64>,
}

impl QueueQuery {
    fn filters(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone().unwrap_or_default()),
            ("kecamatan", self.kecamatan.clone().unwrap_or_default()),
            ("category", self.category.clone().unwrap_or_default()),
        ]
    }
    /// The filters and both pages, for links and for coming back after an action.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut v = self.filters();
        v.push(("page", self.page.map(|p| p.to_string()).unwrap_or_default()));
        v.push(("upage", self.upage.map(|p| p.to_string()).unwrap_or_default()));
        v
    }
    /// `?…` for this query without empty parameters ("" when there are none).
    fn query_string(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.pairs().iter().filter(|(_, v)| !v.trim().is_empty()))
            .finish()
    }
    /// Reads the `back` field of an action form (the queue's query); anything malformed is
    /// dropped rather than followed.
    fn from_back(back: Option<String>) -> QueueQuery {
        const KEYS: [&str; 5] = ["q", "kecamatan", "category", "page", "upage"];
        let back = back.unwrap_or_default();
        let known = form_urlencoded::parse(back.as_bytes()).filter(|(k, _)| KEYS.contains(&&**k));
        let qs = form_urlencoded::Serializer::new(String::new()).extend_pairs(known).finish();
        serde_urlencoded::from_str(&non_empty_query(&qs)).unwrap_or_default()
    }
    fn url(&self) -> String {
        let qs = self.query_string();
        if qs.is_empty() { "/dinas/verifikasi".into() } else { format!("/dinas/verifikasi?{qs}") }
    }
}

#[derive(Template)]
#[template(path = "dinas_queue.html")]
struct Queue {
    nav: Nav,
    producers: Vec<ProducerView>,
    producers_pager: Pager,
    products: Vec<ProductView>,
    products_pager: Pager,
    query: QueueQuery,
    /// The query to come back to after an action (hidden field `back`).
    back: String,
    kecamatans: Choices,
    categories: Choices,
    error: Option<String>,
}

impl Queue {
    fn opt(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
    /// Whether the search or a filter narrows the lists.
    fn filtered(&self) -> bool {
        self.query.filters().iter().any(|(_, v)| !v.trim().is_empty())
    }
}

/// Lists one page; a page past the end (the last item just left the queue) shows the last one.
async fn producer_page(
    state: &AppState,
    user: &CurrentUser,
    q: &QueueQuery,
) -> Result<(Vec<ProducerView>, Pager), AppError> {
    let f = ProducerFilter {
        status: Some(ProducerStatus::Registered),
        kecamatan: q.kecamatan.clone(),
        q: q.q.clone(),
        ..Default::default()
    };
    let want = q.upage.unwrap_or(1);
    let mut list =
        producers::list(state, user, f.clone(), PageReq::new(want, PRODUCERS_PER_PAGE)).await?;
    let pager = Pager::with_param(
        "upage",
        "/dinas/verifikasi",
        &q.pairs(),
        Some(want),
        PRODUCERS_PER_PAGE,
        list.total,
        "usaha",
    );
    if pager.page != want {
        list =
            producers::list(state, user, f, PageReq::new(pager.page, PRODUCERS_PER_PAGE)).await?;
    }
    Ok((list.items.iter().map(ProducerView::from).collect(), pager))
}

async fn product_page(
    state: &AppState,
    user: &CurrentUser,
    q: &QueueQuery,
) -> Result<(Vec<ProductView>, Pager), AppError> {
    let f = ProductFilter {
        status: Some(ListingStatus::Submitted),
        kecamatan: q.kecamatan.clone(),
        category: q.category.clone(),
        q: q.q.clone(),
        q_matches_producer: true,
        ..Default::default()
    };
    let want = q.page.unwrap_or(1);
    let mut list =
        products::list(state, user, f.clone(), PageReq::new(want, PRODUCTS_PER_PAGE)).await?;
    let pager = Pager::new(
        "/dinas/verifikasi",
        &q.pairs(),
        Some(want),
        PRODUCTS_PER_PAGE,
        list.total,
        "produk",
    );
    if pager.page != want {
        list = products::list(state, user, f, PageReq::new(pager.page, PRODUCTS_PER_PAGE)).await?;
    }
    Ok((products::views(state, &list.items).await?, pager))
}

async fn queue_page(
    state: &AppState,
    user: &CurrentUser,
    mut query: QueueQuery,
    error: Option<String>,
) -> PageResult {
    user.require(&[Role::Dinas]).map_err(PageError)?;
    let (producers, producers_pager) = producer_page(state, user, &query).await?;
    let (products, products_pager) = product_page(state, user, &query).await?;
    query.page = Some(products_pager.page).filter(|p| *p > 1);
    query.upage = Some(producers_pager.page).filter(|p| *p > 1);
    let nav = Nav::for_user(user);
    let page = Queue {
        nav: nav.clone(),
        producers,
        producers_pager,
        products,
        products_pager,
        back: query.query_string(),
        query,
        kecamatans: etalase_domain::wilayah::kota_serang()
            .kecamatan()
            .iter()
            .map(|k| (k.code.clone(), k.name.clone()))
            .collect(),
        categories: etalase_domain::category::categories()
            .iter()
            .map(|c| (c.slug.clone(), c.name.clone()))
            .collect(),
        error,
    };
    Ok(render(&page, &nav))
}

async fn queue(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<ApiQuery<QueueQuery>, AppError>,
) -> PageResult {
    match query {
        Ok(ApiQuery(q)) => queue_page(&state, &user, q, None).await,
        Err(e) => queue_page(&state, &user, QueueQuery::default(), Some(e.problem().detail)).await,
    }
}

/// A refusal that the officer can fix on the same page (missing reason, unverified producer).
fn recoverable(e: &AppError) -> bool {
    matches!(e, AppError::Validation(_) | AppError::Conflict { .. })
}

async fn review_producer(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath((id, action)): PagePath<(i64, String)>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let back = QueueQuery::from_back(form.opt("back"));
    let action = match action.as_str() {
        "verifikasi" => ProducerAction::Verify,
        "tolak" => ProducerAction::Reject,
        _ => return Err(PageError(AppError::NotFound("Tindakan"))),
    };
    match producers::review(&state, &user, id, action, form.opt("reason")).await {
        Ok(p) => {
            let msg = match action {
                ProducerAction::Verify => format!("Usaha \"{}\" diverifikasi.", p.name),
                _ => format!("Usaha \"{}\" ditolak; alasannya dilihat pelaku UMKM.", p.name),
            };
            Ok(see_other_flash(&back.url(), &msg))
        }
        Err(e) if recoverable(&e) => {
            queue_page(&state, &user, back, Some(e.problem().detail)).await
        }
        Err(e) => Err(PageError(e)),
    }
}

async fn review_product(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath((id, action)): PagePath<(i64, String)>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let back = QueueQuery::from_back(form.opt("back"));
    let action = match action.as_str() {
        "tayangkan" => ListingAction::Publish,
        "tolak" => ListingAction::Reject,
        _ => return Err(PageError(AppError::NotFound("Tindakan"))),
    };
    match products::transition(&state, &user, id, action, form.opt("reason"), None).await {
        Ok(p) => {
            let msg = match action {
                ListingAction::Publish => format!("Produk \"{}\" ditayangkan di katalog.", p.name),
                _ => format!("Produk \"{}\" ditolak; alasannya dilihat pelaku UMKM.", p.name),
            };
            Ok(see_other_flash(&back.url(), &msg))
        }
        Err(e) if recoverable(&e) => {
            queue_page(&state, &user, back, Some(e.problem().detail)).await
        }
        Err(e) => Err(PageError(e)),
    }
}
