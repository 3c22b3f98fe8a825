//! The store side's pages: the store profile (`/toko` for a manager's own store, `/toko/{id}`
//! for the Dinas, the chain office and other readers the service allows), "Rekomendasi"
//! (`/toko/rekomendasi`: matched products with their reasons, the shortlist, "Ajukan
//! penempatan") and the UMKM's "Toko potensial" for one product. Every rule is the service's.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use etalase_db::repo::PageReq;
use etalase_db::repo::stores::StoreFilter;
use etalase_domain::error::ValidationErrors;
use etalase_domain::roles::Role;

use super::ctx::{Nav, PageError, PageResult, check_csrf, render, see_other};
use super::flash::see_other_flash;
use super::forms::FormData;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorCode};
use crate::pages::ctx::PagePath;
use crate::service::agreements::{self, AgreementView};
use crate::service::catalog::{products, views::ProductView};
use crate::service::matching::{self, Recommendation, StoreMatch};
use crate::service::retail::{self, StoreView};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/toko", get(own_profile))
        .route("/toko/{id}", get(profile))
        .route("/toko/rekomendasi", get(recommendations))
        .route("/toko/rekomendasi/pilih", post(shortlist))
        .route("/produk-saya/{id}/toko-potensial", get(potential_stores))
}

#[derive(Template)]
#[template(path = "store_profile.html")]
struct ProfilePage {
    nav: Nav,
    store: StoreView,
    /// Facings of live agreements on the local shelf.
    used_facings: i64,
    agreements: Vec<AgreementView>,
    /// True when the caller acts for this store (may open Rekomendasi).
    acts: bool,
    /// The store's compliance status (its own side, the Dinas); `None` without a policy.
    compliance: Option<crate::service::store_side::OwnCompliance>,
    /// The shortlist (its own side only).
    shortlist: Vec<crate::service::store_side::ShortItem>,
}

impl ProfilePage {
    fn d(&self, d: &chrono::NaiveDate) -> String {
        etalase_domain::datefmt::format_date_id(*d)
    }
}

async fn profile_page(state: &AppState, user: &CurrentUser, id: i64) -> PageResult {
    let s = retail::get(state, user, id).await?;
    let store = StoreView::new(&s, &retail::chains(state).await?);
    // Every agreement of the store (the shelf's used facings count them all; 100 a read).
    let mut items = Vec::new();
    for n in 1.. {
        let page = agreements::list(state, user, None, Some(s.id), PageReq::new(n, 100)).await?;
        let done = page.items.is_empty() || items.len() + page.items.len() >= page.total as usize;
        items.extend(page.items);
        if done {
            break;
        }
    }
    let mut list = agreements::views(state, user, &items).await?;
    list.sort_by_key(|a| std::cmp::Reverse(a.updated_at));
    let used_facings = list
        .iter()
        .filter(|a| matches!(a.status.as_str(), "accepted" | "active" | "suspended"))
        .flat_map(|a| a.items.iter().map(|i| i.facings))
        .sum();
    let acts = retail::acts_for_store(user, &s);
    let compliance = if retail::sees_store(user, &s) {
        crate::service::store_side::compliance(state, s.id).await?
    } else {
        None
    };
    let shortlist =
        if acts { crate::service::store_side::shortlist(state, s.id).await? } else { vec![] };
    let nav = Nav::for_user(user);
    let p = ProfilePage {
        nav: nav.clone(),
        store,
        used_facings,
        agreements: list,
        acts,
        compliance,
        shortlist,
    };
    Ok(render(&p, &nav))
}

async fn own_profile(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    match (user.role, user.store_id) {
        (Role::Store, Some(id)) => profile_page(&state, &user, id).await,
        (Role::Store, None) => Err(PageError(AppError::conflict(
            ErrorCode::NoStore,
            "Akun Anda belum terhubung ke gerai. Hubungi admin.",
        ))),
        (Role::Chain, _) => Ok(see_other("/jaringan")),
        (Role::Dinas | Role::Admin, _) => Ok(see_other("/dinas/toko")),
        _ => Err(PageError(AppError::Forbidden("Halaman ini untuk manajer toko.".into()))),
    }
}

async fn profile(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    profile_page(&state, &user, id).await
}

#[derive(Template)]
#[template(path = "rekomendasi.html")]
struct RecommendationsPage {
    nav: Nav,
    store: StoreView,
    /// The chain's stores to choose from (chain office only).
    stores: Vec<StoreView>,
    q: String,
    items: Vec<Recommendation>,
    shortlist: Vec<Recommendation>,
    pager: super::pager::Pager,
}

/// The store the caller works on: `?toko=` for a chain office (default: its first store), the
/// manager's own store otherwise.
async fn working_store(
    state: &AppState,
    user: &CurrentUser,
    asked: Option<i64>,
) -> Result<(i64, Vec<StoreView>), PageError> {
    user.require(&[Role::Store, Role::Chain]).map_err(PageError)?;
    if user.role == Role::Store {
        let id = user.store_id.ok_or_else(|| {
            PageError(AppError::conflict(
                ErrorCode::NoStore,
                "Akun Anda belum terhubung ke gerai. Hubungi admin.",
            ))
        })?;
        return Ok((id, vec![]));
    }
    let chains = retail::chains(state).await?;
    // Every store of the chain for the chooser (100 a read).
    let mut own: Vec<StoreView> = Vec::new();
    for n in 1.. {
        let p = retail::list(state, user, StoreFilter::default(), PageReq::new(n, 100)).await?;
        let done = p.items.is_empty() || own.len() + p.items.len() >= p.total as usize;
        own.extend(p.items.iter().map(|s| StoreView::new(s, &chains)));
        if done {
            break;
        }
    }
    let id = asked.or_else(|| own.first().map(|s| s.id)).ok_or_else(|| {
        PageError(AppError::conflict(
            ErrorCode::NoStore,
            "Jaringan Anda belum punya gerai terdaftar.",
        ))
    })?;
    Ok((id, own))
}

impl RecommendationsPage {
    fn rp(&self, v: &Option<i64>) -> String {
        v.map(|x| format!("Rp{}", etalase_domain::money::group_thousands(x.unsigned_abs())))
            .unwrap_or_default()
    }
}

/// Recommendations a page of Rekomendasi shows.
const PER_PAGE: usize = 30;

async fn recommendations(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let asked = q.get("toko").and_then(|v| v.parse().ok());
    let (id, stores) = working_store(&state, &user, asked).await?;
    let s = retail::get(&state, &user, id).await?;
    let text = q.get("q").map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let want = q.get("page").and_then(|v| v.parse::<u64>().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let (mut items, total) =
        matching::recommendations_page(&state, &user, id, text.clone(), want, PER_PAGE).await?;
    let query = [("toko", id.to_string()), ("q", text.clone().unwrap_or_default())];
    let pager = super::pager::Pager::new(
        "/toko/rekomendasi",
        &query,
        Some(want),
        PER_PAGE as u64,
        total as u64,
        "produk",
    );
    if pager.page != want {
        items =
            matching::recommendations_page(&state, &user, id, text.clone(), pager.page, PER_PAGE)
                .await?
                .0;
    }
    let shortlist = matching::shortlist(&state, &user, id).await?;
    let nav = Nav::for_user(&user);
    let page = RecommendationsPage {
        nav: nav.clone(),
        store: StoreView::new(&s, &retail::chains(&state).await?),
        stores,
        q: text.unwrap_or_default(),
        items,
        shortlist,
        pager,
    };
    Ok(render(&page, &nav))
}

async fn shortlist(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let mut errs = ValidationErrors::new();
    let (Some(store_id), Some(product_id)) =
        (form.int("store_id", &mut errs), form.int("product_id", &mut errs))
    else {
        return Err(PageError(AppError::bad_request(
            ErrorCode::MalformedForm,
            "Gerai dan produk wajib dipilih.",
        )));
    };
    let message = if form.text("op") == "hapus" {
        matching::shortlist_remove(&state, &user, store_id, product_id).await?;
        "Produk dihapus dari daftar pendek."
    } else {
        matching::shortlist_add(&state, &user, store_id, product_id).await?;
        "Produk disimpan ke daftar pendek."
    };
    // Back to the page the button was on (a local path only), else Rekomendasi.
    let back = form.text("kembali");
    let to = if back.starts_with('/') && !back.starts_with("//") && !back.contains('\\') {
        back
    } else {
        format!("/toko/rekomendasi?toko={store_id}#produk-{product_id}")
    };
    Ok(see_other_flash(&to, message))
}

#[derive(Template)]
#[template(path = "toko_potensial.html")]
struct PotentialPage {
    nav: Nav,
    product: ProductView,
    matches: Vec<StoreMatch>,
    /// Stores whose standard the product does not meet yet.
    failing: Vec<crate::service::retail::StoreView>,
    /// The product against each store's own standard.
    fits: HashMap<i64, crate::service::store_side::StandardFit>,
}

impl PotentialPage {
    fn fit(&self, store_id: &i64) -> Option<&crate::service::store_side::StandardFit> {
        self.fits.get(store_id)
    }
}

async fn potential_stores(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    user.require(&[Role::Umkm]).map_err(PageError)?;
    let p = crate::service::access::owned_product(&state, &user, id).await?;
    let product = products::view(&state, &p).await?;
    let matches = matching::store_matches(&state, &user, id, 30).await?;
    let failing = matching::stores_failing_standard(&state, &user, id, 30).await?;
    let ids: Vec<i64> =
        matches.iter().map(|m| m.store.id).chain(failing.iter().map(|s| s.id)).collect();
    let fits = crate::service::store_side::fits(&state, &ids, id).await?;
    let nav = Nav::for_user(&user);
    Ok(render(&PotentialPage { nav: nav.clone(), product, matches, failing, fits }, &nav))
}
