//! The proposal form (`/perjanjian/baru`, from Rekomendasi or Toko potensial) and the counter
//! form (`/perjanjian/{id}/tawar`): the terms as text fields, the producer's products as lines,
//! reading a posted form and showing it again with what was typed and why it was refused.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use chrono::{Days, NaiveDate};
use etalase_db::entities::product;
use etalase_db::repo::agreements as repo;
use etalase_domain::agreement::{AgreementAction, ItemInput, TermsFlag, TermsInput};
use etalase_domain::error::{FieldError, ValidationErrors};
use etalase_domain::roles::Role;

use super::one_view;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorCode};
use crate::pages::ctx::PagePath;
use crate::pages::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, render};
use crate::pages::flash::see_other_flash;
use crate::pages::forms::FormData;
use crate::service::agreements::{self, ActionInput, ProposalInput};
use crate::service::retail::{self, StoreView};
use crate::state::AppState;

/// One product row of the form.
#[derive(Debug, Clone)]
pub struct Line {
    pub product_id: i64,
    pub name: String,
    /// Net content ("250 g"), to tell products with the same name apart.
    pub size: String,
    pub include: bool,
    pub price: String,
    pub facings: String,
}

#[derive(Template)]
#[template(path = "agreement_form.html")]
struct FormPage {
    nav: Nav,
    /// Counter (`true`) or first proposal.
    counter: bool,
    action: String,
    store: StoreView,
    producer_name: String,
    lines: Vec<Line>,
    pids: String,
    terms: TermsFields,
    note: String,
    version: i64,
    errors: FormErrors,
    flags: Vec<TermsFlag>,
    /// Ticked products that fail the store's own standard, with what they lack.
    unmet: Vec<Unmet>,
}

/// A ticked product that fails the store's standard.
struct Unmet {
    name: String,
    fit: crate::service::store_side::StandardFit,
}

/// The ticked lines that fail the store's standard: the proposal may still go, but both
/// sides see why the product does not meet it.
async fn unmet_for(
    state: &AppState,
    store_id: i64,
    lines: &[Line],
) -> Result<Vec<Unmet>, PageError> {
    let mut out = Vec::new();
    for l in lines.iter().filter(|l| l.include) {
        if let Some(fit) = crate::service::store_side::fit(state, store_id, l.product_id).await?
            && !fit.eligible
        {
            out.push(Unmet { name: l.name.clone(), fit });
        }
    }
    Ok(out)
}

/// The terms as text fields.
#[derive(Debug, Clone, Default)]
struct TermsFields {
    scheme: String,
    margin: String,
    payment_term_days: String,
    start_date: String,
    end_date: String,
    delivery_schedule: String,
    listing_fee: String,
}

impl TermsFields {
    fn of(t: &TermsInput) -> Self {
        TermsFields {
            scheme: t.scheme.clone(),
            margin: t.store_margin_percent.map(|m| m.to_string()).unwrap_or_default(),
            payment_term_days: t.payment_term_days.to_string(),
            start_date: t.start_date.to_string(),
            end_date: t.end_date.to_string(),
            delivery_schedule: t.delivery_schedule.clone(),
            listing_fee: t.listing_fee.map(|m| m.to_string()).unwrap_or_default(),
        }
    }
    fn read(f: &FormData) -> Self {
        TermsFields {
            scheme: f.text("scheme"),
            margin: f.text("store_margin_percent"),
            payment_term_days: f.text("payment_term_days"),
            start_date: f.text("start_date"),
            end_date: f.text("end_date"),
            delivery_schedule: f.text("delivery_schedule"),
            listing_fee: f.text("listing_fee"),
        }
    }
}

fn price_of(p: &product::Model) -> i64 {
    p.wholesale_price.or(p.retail_price).unwrap_or(0)
}

/// The producer's published products as form lines, `items` ticked with their terms.
async fn lines_for(
    state: &AppState,
    producer_id: i64,
    items: &[ItemInput],
) -> Result<Vec<Line>, PageError> {
    let mut ps = repo::published_products(&state.db, Some(producer_id), None, 100).await?;
    let missing: Vec<i64> =
        items.iter().map(|i| i.product_id).filter(|id| !ps.iter().any(|p| p.id == *id)).collect();
    ps.extend(repo::products_by_ids(&state.db, missing).await?);
    Ok(ps
        .iter()
        .map(|p| {
            let it = items.iter().find(|i| i.product_id == p.id);
            Line {
                product_id: p.id,
                name: p.name.clone(),
                size: match (p.net_content, p.net_unit) {
                    (Some(n), Some(u)) => format!("{n} {}", u.as_str()),
                    _ => String::new(),
                },
                include: it.is_some(),
                price: it.map(|i| i.price).unwrap_or_else(|| price_of(p)).to_string(),
                facings: it.map(|i| i.facings).unwrap_or(2).to_string(),
            }
        })
        .collect())
}

/// Reads the terms of a posted form; parse errors are collected with the fields they name.
fn read_terms(f: &FormData, errs: &mut ValidationErrors) -> (TermsInput, Vec<Line>) {
    let mut items = Vec::new();
    let mut lines = Vec::new();
    for pid in f.text("pids").split(',').filter_map(|s| s.trim().parse::<i64>().ok()) {
        let include = !f.text(&format!("item_{pid}")).is_empty();
        let line = Line {
            product_id: pid,
            name: f.text(&format!("name_{pid}")),
            size: f.text(&format!("size_{pid}")),
            include,
            price: f.text(&format!("price_{pid}")),
            facings: f.text(&format!("facings_{pid}")),
        };
        if include {
            let price = f.rupiah(&format!("price_{pid}"), errs).unwrap_or(0);
            let facings = f.int(&format!("facings_{pid}"), errs).unwrap_or(0);
            items.push(ItemInput { product_id: pid, price, facings });
        }
        lines.push(line);
    }
    let mut date = |k: &str| {
        f.date(k, errs).unwrap_or_else(|| {
            if f.text(k).is_empty() {
                errs.push(FieldError::new(k, "required", "Tanggal wajib diisi."));
            }
            NaiveDate::MIN
        })
    };
    let start_date = date("start_date");
    let end_date = date("end_date");
    let terms = TermsInput {
        items,
        scheme: f.text("scheme"),
        store_margin_percent: f.int("store_margin_percent", errs),
        payment_term_days: f.int("payment_term_days", errs).unwrap_or(-1),
        start_date,
        end_date,
        delivery_schedule: f.text("delivery_schedule"),
        listing_fee: f.rupiah("listing_fee", errs),
    };
    (terms, lines)
}

fn store_view(
    s: &etalase_db::entities::store::Model,
    chains: &[etalase_db::entities::chain::Model],
) -> StoreView {
    StoreView::new(s, chains)
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    user.require(&[Role::Store, Role::Chain, Role::Umkm]).map_err(PageError)?;
    let num = |k: &str| {
        q.get(k).and_then(|v| v.parse::<i64>().ok()).ok_or_else(|| {
            PageError(AppError::bad_request(
                ErrorCode::MalformedQuery,
                "Pilih gerai dan produk dulu.",
            ))
        })
    };
    let (store_id, product_id) = (num("toko")?, num("produk")?);
    let s = retail::get(&state, &user, store_id).await?;
    let p = match user.role {
        Role::Umkm => crate::service::access::owned_product(&state, &user, product_id).await?,
        _ => crate::service::access::product(&state, Some(&user), product_id).await?,
    };
    let producer = etalase_db::repo::producers::find(&state.db, p.producer_id)
        .await?
        .ok_or(AppError::NotFound("Pelaku UMKM"))?;
    let start = state.clock.today_wib().checked_add_days(Days::new(7)).unwrap_or(NaiveDate::MAX);
    let terms = TermsInput {
        items: vec![ItemInput { product_id: p.id, price: price_of(&p), facings: 2 }],
        scheme: "konsinyasi".into(),
        store_margin_percent: Some(10),
        payment_term_days: 14,
        start_date: start,
        end_date: start.checked_add_days(Days::new(182)).unwrap_or(NaiveDate::MAX),
        delivery_schedule: "Setiap Senin pagi".into(),
        listing_fee: None,
    };
    let lines = lines_for(&state, producer.id, &terms.items).await?;
    let unmet = unmet_for(&state, s.id, &lines).await?;
    let nav = Nav::for_user(&user);
    let page = FormPage {
        nav: nav.clone(),
        unmet,
        counter: false,
        action: "/perjanjian/baru".into(),
        store: store_view(&s, &retail::chains(&state).await?),
        producer_name: producer.name,
        pids: lines.iter().map(|l| l.product_id.to_string()).collect::<Vec<_>>().join(","),
        lines,
        terms: TermsFields::of(&terms),
        note: String::new(),
        version: 0,
        errors: FormErrors::default(),
        flags: vec![],
    };
    Ok(render(&page, &nav))
}

/// Shows the form again with what was typed and why it was refused.
async fn form_again(
    state: &AppState,
    user: &CurrentUser,
    f: &FormData,
    lines: Vec<Line>,
    counter: Option<i64>,
    errors: Vec<FieldError>,
) -> PageResult {
    let s = retail::get(state, user, f.int("store_id", &mut ValidationErrors::new()).unwrap_or(0))
        .await?;
    let unmet = unmet_for(state, s.id, &lines).await?;
    let nav = Nav::for_user(user);
    let page = FormPage {
        nav: nav.clone(),
        unmet,
        counter: counter.is_some(),
        action: counter
            .map(|id| format!("/perjanjian/{id}/tawar"))
            .unwrap_or_else(|| "/perjanjian/baru".into()),
        store: store_view(&s, &retail::chains(state).await?),
        producer_name: f.text("producer_name"),
        pids: lines.iter().map(|l| l.product_id.to_string()).collect::<Vec<_>>().join(","),
        lines,
        terms: TermsFields::read(f),
        note: f.text("note"),
        version: f.int("version", &mut ValidationErrors::new()).unwrap_or(0),
        errors: FormErrors(errors),
        flags: vec![],
    };
    Ok(render(&page, &nav))
}

pub(super) async fn propose(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    f: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, f.csrf())?;
    let mut errs = ValidationErrors::new();
    let store_id = f.int("store_id", &mut errs).unwrap_or(0);
    let (terms, lines) = read_terms(&f, &mut errs);
    if !errs.is_empty() {
        return form_again(&state, &user, &f, lines, None, errs.0).await;
    }
    match agreements::propose(&state, &user, ProposalInput { store_id, terms, note: f.opt("note") })
        .await
    {
        Ok(a) => Ok(see_other_flash(
            &format!("/perjanjian/{}", a.id),
            "Pengajuan penempatan dikirim. Pihak lain akan melihatnya di kotak masuknya.",
        )),
        Err(e) => {
            form_again(&state, &user, &f, lines, None, FormErrors::of_refusal(e, "items")?.0).await
        }
    }
}

pub(super) async fn counter_form(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let a = agreements::get(&state, &user, id).await?;
    let v = one_view(&state, &user, &a).await?;
    if !v.actions.iter().any(|x| x == AgreementAction::Counter.as_str()) {
        return Err(PageError(AppError::conflict(
            ErrorCode::InvalidTransition,
            "Perjanjian ini tidak bisa ditawar balik oleh Anda sekarang.",
        )));
    }
    let items = repo::items_of(&state.db, vec![a.id]).await?;
    let terms = agreements::terms_of(&a, &items);
    let lines = lines_for(&state, a.producer_id, &terms.items).await?;
    let s = retail::get(&state, &user, a.store_id).await?;
    let unmet = unmet_for(&state, s.id, &lines).await?;
    let nav = Nav::for_user(&user);
    let page = FormPage {
        nav: nav.clone(),
        unmet,
        counter: true,
        action: format!("/perjanjian/{id}/tawar"),
        store: store_view(&s, &retail::chains(&state).await?),
        producer_name: v.producer_name.clone(),
        pids: lines.iter().map(|l| l.product_id.to_string()).collect::<Vec<_>>().join(","),
        lines,
        terms: TermsFields::of(&terms),
        note: String::new(),
        version: a.version,
        errors: FormErrors::default(),
        flags: v.flags.clone(),
    };
    Ok(render(&page, &nav))
}

pub(super) async fn counter(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    f: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, f.csrf())?;
    let mut errs = ValidationErrors::new();
    let version = f.int("version", &mut errs);
    let (terms, lines) = read_terms(&f, &mut errs);
    if !errs.is_empty() {
        return form_again(&state, &user, &f, lines, Some(id), errs.0).await;
    }
    match agreements::act(
        &state,
        &user,
        id,
        AgreementAction::Counter,
        ActionInput { version, note: f.opt("note"), terms: Some(terms) },
    )
    .await
    {
        Ok(_) => Ok(see_other_flash(&format!("/perjanjian/{id}"), "Tawaran balik dikirim.")),
        Err(e) => {
            form_again(&state, &user, &f, lines, Some(id), FormErrors::of_refusal(e, "items")?.0)
                .await
        }
    }
}
