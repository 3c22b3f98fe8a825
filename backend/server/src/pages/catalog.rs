//! `/katalog`: the public catalog of published products (Pasal 10(1)(d)) — list with filters
//! by category, kecamatan and name, and a detail page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::Router;

use super::ctx::{render, Nav, PageResult};
use super::producer::Choices;
use crate::api::catalog::CatalogQuery;
use crate::auth::MaybeUser;
use crate::service::products;
use crate::service::views::ProductView;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/katalog", get(list)).route("/katalog/{id}", get(detail))
}

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogPage {
    nav: Nav,
    items: Vec<ProductView>,
    total: u64,
    page: u64,
    pages: u64,
    q: String,
    category: String,
    kecamatan: String,
    categories: Choices,
    kecamatans: Choices,
}

impl CatalogPage {
    fn link(&self, page: u64) -> String {
        let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        format!("/katalog?q={}&category={}&kecamatan={}&page={page}", enc(&self.q), enc(&self.category), enc(&self.kecamatan))
    }
}

async fn list(State(state): State<AppState>, MaybeUser(user): MaybeUser, headers: HeaderMap, Query(q): Query<CatalogQuery>) -> PageResult {
    let req = crate::service::PageQuery { page: q.page, per_page: Some(24) }.req();
    let page = products::catalog(&state, q.filter(), req).await?;
    let nav = Nav::of(user.as_ref(), &headers);
    let w = etalase_domain::wilayah::kota_serang();
    let view = CatalogPage {
        nav: nav.clone(),
        pages: page.total.div_ceil(page.per_page.max(1)).max(1),
        total: page.total,
        page: page.page,
        items: page.items,
        q: q.q.clone().unwrap_or_default(),
        category: q.category.clone().unwrap_or_default(),
        kecamatan: q.kecamatan.clone().unwrap_or_default(),
        categories: etalase_domain::category::categories().iter().map(|c| (c.slug.clone(), c.name.clone())).collect(),
        kecamatans: w.kecamatan().iter().map(|k| (k.code.clone(), k.name.clone())).collect(),
    };
    Ok(render(&view, &nav))
}

#[derive(Template)]
#[template(path = "catalog_detail.html")]
struct DetailPage {
    nav: Nav,
    p: ProductView,
}

async fn detail(State(state): State<AppState>, MaybeUser(user): MaybeUser, headers: HeaderMap, Path(id): Path<i64>) -> PageResult {
    let m = products::get(&state, None, id).await?;
    let p = products::view(&state, &m).await?;
    let signed_in_retail = user.as_ref().is_some_and(|u| u.role.is_retail() || matches!(u.role, etalase_domain::roles::Role::Dinas));
    let p = if signed_in_retail { p } else { p.public() };
    let nav = Nav::of(user.as_ref(), &headers);
    Ok(render(&DetailPage { nav: nav.clone(), p }, &nav))
}
