//! Chains and their stores: the chain office's overview of its stores' agreements
//! (`/jaringan`: counts by state, per store) and the registry pages of the Dinas (and a chain
//! office, for its own stores): `/dinas/toko` lists chains and stores and registers one store
//! or chain. Lists of stores are imported on `/dinas/impor` (kind `gerai`, `pages::imports`).

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use etalase_db::repo::PageReq;
use etalase_db::repo::agreements as repo;
use etalase_db::repo::stores::StoreFilter;
use etalase_domain::agreement::AgreementStatus;
use etalase_domain::error::ValidationErrors;
use etalase_domain::roles::Role;
use etalase_domain::store::{ChainKind, StoreFormat, StoreInput};

use super::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, render, see_other};
use super::forms::FormData;
use super::pager::Pager;
use super::producer::{Choices, KelurahanGroups, kelurahan_groups};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::service::agreements;
use crate::service::retail::{self, ChainInput, ChainView, StoreView};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/jaringan", get(overview))
        .route("/dinas/toko", get(registry).post(create_store))
        .route("/dinas/jaringan", post(create_chain))
}

/// One store's agreements counted by state (in `AgreementStatus::all()` order).
pub struct StoreRow {
    pub store: StoreView,
    pub counts: Vec<usize>,
}

#[derive(Template)]
#[template(path = "chain_overview.html")]
struct OverviewPage {
    nav: Nav,
    statuses: Choices,
    totals: Vec<usize>,
    rows: Vec<StoreRow>,
}

async fn overview(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    user.require(&[Role::Chain]).map_err(PageError)?;
    let chains = retail::chains(&state).await?;
    // Every store of the chain (the list reads at most 100 a page).
    let mut stores = Vec::new();
    for n in 1.. {
        let p = retail::list(&state, &user, StoreFilter::default(), PageReq::new(n, 100)).await?;
        let done = p.items.is_empty() || stores.len() + p.items.len() >= p.total as usize;
        stores.extend(p.items);
        if done {
            break;
        }
    }
    let all = match agreements::scope(&state, &user).await? {
        Some(f) => repo::all(&state.db, &f).await?,
        None => vec![],
    };
    let statuses = AgreementStatus::all();
    let count = |store: Option<i64>, s: &AgreementStatus| {
        all.iter().filter(|a| store.is_none_or(|id| a.store_id == id) && a.status == *s).count()
    };
    let rows = stores
        .iter()
        .map(|s| StoreRow {
            store: StoreView::new(s, &chains),
            counts: statuses.iter().map(|st| count(Some(s.id), st)).collect(),
        })
        .collect();
    let nav = Nav::for_user(&user);
    let page = OverviewPage {
        nav: nav.clone(),
        statuses: statuses
            .iter()
            .map(|s| (s.as_str().to_string(), s.label().to_string()))
            .collect(),
        totals: statuses.iter().map(|st| count(None, st)).collect(),
        rows,
    };
    Ok(render(&page, &nav))
}

#[derive(Template)]
#[template(path = "chain_registry.html")]
struct RegistryPage {
    nav: Nav,
    chains: Vec<ChainView>,
    stores: Vec<StoreView>,
    /// "Menampilkan 1–50 dari 240 gerai" and the page links.
    pager: Pager,
    q: String,
    formats: Choices,
    kinds: Choices,
    kelurahan: KelurahanGroups,
    form: StoreInput,
    errors: FormErrors,
    chain_errors: FormErrors,
}

impl RegistryPage {
    fn opt<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
    fn coord(&self, v: &f64) -> String {
        if *v == 0.0 { String::new() } else { v.to_string() }
    }
}

const REGISTRY_PER_PAGE: u64 = 50;

/// The store list's search and page (a bare `String` is the search on page 1).
struct RegistryList {
    q: String,
    page: Option<u64>,
}

impl From<String> for RegistryList {
    fn from(q: String) -> Self {
        RegistryList { q, page: None }
    }
}

async fn registry_page(
    state: &AppState,
    user: &CurrentUser,
    list: impl Into<RegistryList>,
    form: StoreInput,
    errors: FormErrors,
    chain_errors: FormErrors,
    notice: Option<String>,
) -> PageResult {
    user.require(&[Role::Dinas, Role::Admin, Role::Chain]).map_err(PageError)?;
    let chains = retail::chains(state).await?;
    let RegistryList { q, page: want } = list.into();
    let f = StoreFilter { q: Some(q.clone()).filter(|v| !v.is_empty()), ..Default::default() };
    let want = want.unwrap_or(1);
    let mut page =
        retail::list(state, user, f.clone(), PageReq::new(want, REGISTRY_PER_PAGE)).await?;
    let pairs = [("q", q.clone())];
    let pager =
        Pager::new("/dinas/toko", &pairs, Some(want), REGISTRY_PER_PAGE, page.total, "gerai");
    if pager.page != want {
        page = retail::list(state, user, f, PageReq::new(pager.page, REGISTRY_PER_PAGE)).await?;
    }
    let mut nav = Nav::for_user(user);
    nav.notice = notice;
    let p = RegistryPage {
        nav: nav.clone(),
        chains: chains.iter().map(ChainView::from).collect(),
        stores: page.items.iter().map(|s| StoreView::new(s, &chains)).collect(),
        pager,
        q,
        formats: StoreFormat::all()
            .iter()
            .map(|f| (f.as_str().to_string(), f.label().to_string()))
            .collect(),
        kinds: ChainKind::all()
            .iter()
            .map(|f| (f.as_str().to_string(), f.label().to_string()))
            .collect(),
        kelurahan: kelurahan_groups(),
        form,
        errors,
        chain_errors,
    };
    Ok(render(&p, &nav))
}

async fn registry(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let text = q.get("q").map(|v| v.trim().to_string()).unwrap_or_default();
    let page = match q.get("page").map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match v.parse::<u64>() {
            Ok(p) if (1..=crate::service::input::MAX_PAGE).contains(&p) => Some(p),
            _ => {
                return Err(PageError(AppError::bad_request(
                    crate::error::ErrorCode::InvalidParameter,
                    format!("Parameter \"page\" tidak sah: \"{v}\" bukan nomor halaman."),
                )));
            }
        },
    };
    let text = RegistryList { q: text, page };
    let form = StoreInput {
        format: "minimarket".into(),
        chain_code: user.chain_id.and(None),
        ..Default::default()
    };
    registry_page(&state, &user, text, form, FormErrors::default(), FormErrors::default(), None)
        .await
}

async fn create_store(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    f: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, f.csrf())?;
    let mut errs = ValidationErrors::new();
    let input = StoreInput {
        code: f.text("code"),
        name: f.text("name"),
        chain_code: f.opt("chain_code"),
        format: f.text("format"),
        address: f.text("address"),
        kelurahan_code: f.text("kelurahan_code"),
        lat: f.float("lat", &mut errs).unwrap_or(0.0),
        lon: f.float("lon", &mut errs).unwrap_or(0.0),
        local_facings: f.int("local_facings", &mut errs).unwrap_or(0),
    };
    let result = if errs.is_empty() {
        retail::create(&state, &user, input.clone()).await
    } else {
        Err(AppError::Validation(errs))
    };
    match result {
        Ok(s) => Ok(see_other(&format!("/toko/{}", s.id))),
        Err(AppError::Validation(v)) => {
            registry_page(
                &state,
                &user,
                String::new(),
                input,
                FormErrors(v.0),
                FormErrors::default(),
                None,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

async fn create_chain(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    f: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, f.csrf())?;
    let input = ChainInput {
        code: f.text("chain_code_new"),
        name: f.text("chain_name"),
        kind: f.text("chain_kind"),
    };
    let form = StoreInput { format: "minimarket".into(), ..Default::default() };
    match retail::create_chain(&state, &user, input).await {
        Ok(c) => {
            registry_page(
                &state,
                &user,
                String::new(),
                form,
                FormErrors::default(),
                FormErrors::default(),
                Some(format!("Jaringan {} dibuat.", c.code)),
            )
            .await
        }
        Err(e) => {
            let errors = FormErrors::of_refusal(e, "code")?;
            registry_page(&state, &user, String::new(), form, FormErrors::default(), errors, None)
                .await
        }
    }
}
