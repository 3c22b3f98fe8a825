//! `/katalog`: the public catalog (Pasal 10(1)(d)) and the store managers' search, both on the
//! search index: words typed as people type, filters with facet counts, distance from the
//! store, sorting. A small script searches as you type by fetching the same page with
//! `fragment=1`; without it the form works as a plain GET. The detail page reads the database.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use etalase_domain::search::{Facets, Hit, SortBy};

use super::ctx::{Nav, PageError, PageResult, render};
use super::pager::Pager;
use super::producer::Choices;
use crate::auth::MaybeUser;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::pages::ctx::PagePath;
use crate::service::catalog::products;
use crate::service::catalog::search::{SearchParams, caller_store, to_query};
use crate::service::catalog::views::ProductView;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/katalog", get(list)).route("/katalog/{id}", get(detail))
}

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogPage {
    nav: Nav,
    hits: Vec<Hit>,
    facets: Facets,
    total: u64,
    /// "Menampilkan 25–48 dari 902 produk" and the links to the pages around it.
    pager: Pager,
    ms: u64,
    p: SearchParams,
    sort: String,
    categories: Choices,
    kecamatans: Choices,
    sorts: Choices,
    has_store: bool,
    /// The standard of the caller's store, for "layak" badges and the filter.
    my_standard: Option<i64>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "catalog_results.html")]
struct ResultsFragment<'a> {
    page: &'a CatalogPage,
}

/// Items per catalog page.
const PER_PAGE: u32 = 24;

/// The search's parameters as query pairs (empty ones included; links drop them).
fn query_pairs(p: &SearchParams) -> Vec<(&'static str, String)> {
    vec![
        ("q", p.q.clone().unwrap_or_default()),
        ("category", p.category.clone().unwrap_or_default()),
        ("kecamatan", p.kecamatan.clone().unwrap_or_default()),
        ("halal", p.halal.map(|h| h.to_string()).unwrap_or_default()),
        ("price_min", p.price_min.map(|v| v.to_string()).unwrap_or_default()),
        ("price_max", p.price_max.map(|v| v.to_string()).unwrap_or_default()),
        ("radius_km", p.radius_km.map(|v| v.to_string()).unwrap_or_default()),
        ("sort", p.sort.clone().unwrap_or_default()),
        ("standard", p.standard.clone().unwrap_or_default()),
        ("near", p.near.clone().unwrap_or_default()),
        ("cert", p.cert.clone().unwrap_or_default()),
    ]
}

impl CatalogPage {
    fn link_with(&self, key: &str, value: &str) -> String {
        let mut pairs = query_pairs(&self.p);
        pairs.retain(|(k, _)| *k != key);
        pairs.push((key, value.to_string()));
        let qs: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (*k, v.as_str())),
            )
            .finish();
        format!("/katalog?{qs}")
    }
    fn category_name(&self, slug: &str) -> String {
        self.categories
            .iter()
            .find(|c| c.0 == slug)
            .map(|c| c.1.clone())
            .unwrap_or_else(|| slug.to_string())
    }
    fn kecamatan_name(&self, code: &str) -> String {
        self.kecamatans
            .iter()
            .find(|c| c.0 == code)
            .map(|c| c.1.clone())
            .unwrap_or_else(|| code.to_string())
    }
    fn eligible_for_me(&self, doc: &etalase_domain::search::ProductDoc) -> bool {
        self.my_standard.is_some_and(|s| doc.eligible_standards.contains(&s))
    }
    fn rupiah(&self, v: Option<&i64>) -> String {
        v.copied()
            .and_then(|x| etalase_domain::money::Rupiah::new("harga", x).ok())
            .map(|r| r.to_string())
            .unwrap_or_else(|| "Harga belum diisi".into())
    }
    fn km(&self, d: &f64) -> String {
        format!("{d:.1} km").replace('.', ",")
    }
    fn opt(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
    /// "Filter lain" stays open while one of its filters is in use, so it can be seen.
    fn more_open(&self) -> bool {
        let p = &self.p;
        p.halal.is_some()
            || p.standard.is_some()
            || p.radius_km.is_some()
            || p.price_min.is_some()
            || p.price_max.is_some()
    }
    fn num(&self, v: &Option<i64>) -> String {
        v.map(|x| x.to_string()).unwrap_or_default()
    }
}

async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    query: Result<ApiQuery<SearchParams>, AppError>,
) -> PageResult {
    let nav = Nav::of(user.as_ref(), &headers);
    let fragment = headers.get("x-fragment").is_some();
    let (params, mut error) = match query {
        Ok(ApiQuery(p)) => (p, None),
        Err(e) => (SearchParams::default(), Some(e.problem().detail)),
    };
    let store = caller_store(&state, user.as_ref()).await?;
    let mut page = CatalogPage {
        nav: nav.clone(),
        hits: Vec::new(),
        facets: Facets::default(),
        total: 0,
        pager: Pager::new("/katalog", &[], None, u64::from(PER_PAGE), 0, "produk"),
        ms: 0,
        sort: params.sort.clone().unwrap_or_default(),
        p: params.clone(),
        categories: etalase_domain::category::categories()
            .iter()
            .map(|c| (c.slug.clone(), c.name.clone()))
            .collect(),
        kecamatans: etalase_domain::wilayah::kota_serang()
            .kecamatan()
            .iter()
            .map(|k| (k.code.clone(), k.name.clone()))
            .collect(),
        sorts: SortBy::all()
            .iter()
            .map(|s| (s.as_str().to_string(), s.label().to_string()))
            .collect(),
        has_store: store.is_some(),
        my_standard: store.and_then(|s| s.1),
        error: None,
    };
    let mut params = params;
    params.per_page = Some(PER_PAGE);
    match to_query(&params, store) {
        Ok(q) => match state.search.search(&q).await {
            Ok(r) => {
                page.pager = Pager::new(
                    "/katalog",
                    &query_pairs(&page.p),
                    Some(u64::from(q.page)),
                    u64::from(q.per_page),
                    r.total,
                    "produk",
                );
                // A page past the end (an old link, a shrunk result) goes to the last page.
                if r.hits.is_empty() && page.pager.page < u64::from(q.page) && !fragment {
                    return Ok(super::ctx::see_other(&page.pager.link(page.pager.page)));
                }
                page.total = r.total;
                page.ms = r.processing_ms;
                page.hits = r.hits;
                page.facets = r.facets;
            }
            Err(e) => {
                tracing::error!(cause = %e, "search engine failure on the catalog page");
                error = Some("Pencarian sedang tidak tersedia. Coba beberapa saat lagi.".into())
            }
        },
        Err(e) => error = Some(e.problem().detail),
    }
    page.error = error;
    if fragment {
        return Ok(render(&ResultsFragment { page: &page }, &nav));
    }
    Ok(render(&page, &nav))
}

#[derive(Template)]
#[template(path = "catalog_detail.html")]
struct DetailPage {
    nav: Nav,
    p: ProductView,
    standards: Vec<crate::service::standards::Badge>,
    /// A store manager's own store: what it may do with this product.
    mine: Option<StoreActions>,
}

/// What a store manager sees on a product page: the shortlist and "Ajukan penempatan"
/// buttons, and whether the product meets the store's own standard (and what it lacks).
struct StoreActions {
    store_id: i64,
    shortlisted: bool,
    fit: Option<crate::service::store_side::StandardFit>,
}

async fn store_actions(
    state: &AppState,
    user: Option<&crate::auth::CurrentUser>,
    p: &ProductView,
) -> Result<Option<StoreActions>, AppError> {
    let Some(u) = user else { return Ok(None) };
    let (etalase_domain::roles::Role::Store, Some(store_id)) = (u.role, u.store_id) else {
        return Ok(None);
    };
    if p.status != "published" {
        return Ok(None);
    }
    use crate::service::store_side;
    Ok(Some(StoreActions {
        store_id,
        shortlisted: store_side::is_shortlisted(state, store_id, p.id).await?,
        fit: store_side::fit(state, store_id, p.id).await?,
    }))
}

async fn detail(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let m = crate::service::access::product(&state, None, id).await.map_err(PageError)?;
    let p = products::view_for(&state, user.as_ref(), &m).await?;
    let mine = store_actions(&state, user.as_ref(), &p).await?;
    let nav = Nav::of(user.as_ref(), &headers);
    Ok(render(
        &DetailPage {
            nav: nav.clone(),
            standards: crate::service::standards::badges(&state, id).await?,
            p,
            mine,
        },
        &nav,
    ))
}
