//! `/pengadaan`: a Perangkat Daerah/BUMD's own procurement (Pasal 11(e)) — its months with the
//! share spent on local UMKM against 40%, budget used, its purchases (paged, newest first) and a
//! form to record a purchase: from a catalog UMKM found by name, or from another supplier typed
//! in with whether it is a local UMKM. Buyer accounts only.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use chrono::Datelike;
use etalase_db::repo::PageReq;
use etalase_domain::code_enum::CodeEnum;
use etalase_domain::error::ValidationErrors;
use etalase_domain::procurement::{PurchaseCategory, PurchaseInput};
use serde::Deserialize;

use super::procurement::Figures;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::ctx::PagePath;
use crate::pages::ctx::PageQuery;
use crate::pages::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, render};
use crate::pages::flash::see_other_flash;
use crate::pages::forms::FormData;
use crate::pages::pager::Pager;
use crate::service::procurement::purchases::{self, PurchaseView};
use crate::service::procurement::report::{BuyerReport, build};
use crate::service::procurement::{self as svc, SupplierView};
use crate::state::AppState;

const PER_PAGE: u64 = 20;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pengadaan", get(page))
        .route("/pengadaan/belanja", post(record))
        .route("/pengadaan/belanja/{id}/hapus", post(delete))
}

/// `?tahun=&page=&cari=`.
#[derive(Debug, Default, Deserialize)]
pub struct BuyerQuery {
    pub tahun: Option<String>,
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
    pub cari: Option<String>,
}

/// The add form as typed.
#[derive(Debug, Clone, Default)]
struct Form {
    date: String,
    value: String,
    description: String,
    category: String,
    producer_id: String,
    supplier_name: String,
    local: String,
}

#[derive(Template)]
#[template(path = "procurement_buyer.html")]
struct BuyerPage {
    nav: Nav,
    report: BuyerReport,
    year: i32,
    through_month: u32,
    items: Vec<PurchaseView>,
    pager: Pager,
    cari: String,
    found: Vec<SupplierView>,
    categories: Vec<(String, String)>,
    form: Form,
    errors: FormErrors,
    today: String,
    /// The purchase the buyer asked to delete, shown for a confirmation first.
    confirm_delete: Option<PurchaseView>,
}

impl Figures for BuyerPage {}

impl BuyerPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        etalase_domain::format_date_id(*d)
    }
    fn used_width(&self) -> i64 {
        self.report.budget.used_bp.map_or(0, |b| (b / 100).clamp(0, 100))
    }
}

async fn render_page(
    state: &AppState,
    user: &CurrentUser,
    q: &BuyerQuery,
    (form, errors): (Form, FormErrors),
    confirm_delete: Option<PurchaseView>,
) -> PageResult {
    let buyer_id = svc::own_buyer(state, user).await?;
    let year = match q.tahun.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(s.parse::<i32>().map_err(|_| {
            AppError::field("tahun", "invalid_number", "\"tahun\" harus bilangan bulat.")
        })?),
    };
    let (view, _) = build(state, user, year, Some(buyer_id)).await?;
    let year = view.year;
    let report = view.buyers.into_iter().next().ok_or(AppError::NotFound(svc::BUYER))?;
    let list =
        purchases::list(state, user, None, Some(year), PageReq::new(q.page.unwrap_or(1), PER_PAGE))
            .await?;
    let pager = Pager::new(
        "/pengadaan",
        &[("tahun", year.to_string())],
        q.page,
        PER_PAGE,
        list.total,
        "catatan belanja",
    );
    let cari = q.cari.clone().unwrap_or_default().trim().to_string();
    let found =
        if cari.is_empty() { Vec::new() } else { svc::suppliers(state, user, &cari).await? };
    let today = state.clock.today_wib();
    let nav = Nav::for_user(user);
    let page = BuyerPage {
        nav: nav.clone(),
        report,
        year,
        through_month: view.through_month,
        items: list.items.iter().map(PurchaseView::from).collect(),
        pager,
        cari,
        found,
        categories: PurchaseCategory::all()
            .iter()
            .map(|c| (c.as_str().to_string(), c.label().to_string()))
            .collect(),
        form,
        errors,
        today: today.format("%Y-%m-%d").to_string(),
        confirm_delete,
    };
    Ok(render(&page, &nav))
}

/// `GET /pengadaan`.
async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    PageQuery(q): PageQuery<BuyerQuery>,
) -> PageResult {
    let form =
        Form { date: state.clock.today_wib().format("%Y-%m-%d").to_string(), ..Form::default() };
    render_page(&state, &user, &q, (form, FormErrors::default()), None).await
}

/// `POST /pengadaan/belanja/{id}/hapus`: first shows what would be deleted and asks; deletes
/// only with `confirm=1` (the record leaves the shares and the budget; the audit keeps it).
async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    data: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, data.csrf())?;
    if data.text("confirm") != "1" {
        let p = purchases::get(&state, &user, id).await?;
        let q =
            BuyerQuery { tahun: Some(p.purchase_date.year().to_string()), ..Default::default() };
        let form = Form {
            date: state.clock.today_wib().format("%Y-%m-%d").to_string(),
            ..Form::default()
        };
        let view = PurchaseView::from(&p);
        return render_page(&state, &user, &q, (form, FormErrors::default()), Some(view)).await;
    }
    let m = purchases::delete(&state, &user, id).await?;
    Ok(see_other_flash(
        &format!("/pengadaan?tahun={}#daftar", m.purchase_date.year()),
        &format!(
            "Catatan belanja \"{}\" (Rp{}, {}) dihapus; porsi UMKM lokal dan anggaran dihitung ulang.",
            m.description,
            etalase_domain::money::group_thousands(m.value.unsigned_abs()),
            etalase_domain::format_date_id(m.purchase_date)
        ),
    ))
}

/// `POST /pengadaan/belanja`: records a purchase; every problem is shown on the form.
async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    data: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, data.csrf())?;
    let form = Form {
        date: data.text("date"),
        value: data.text("value"),
        description: data.text("description"),
        category: data.text("category"),
        producer_id: data.text("producer_id"),
        supplier_name: data.text("supplier_name"),
        local: data.text("supplier_local_umkm"),
    };
    let mut typed = ValidationErrors::new();
    let value = data.rupiah("value", &mut typed);
    let producer_id = data.int("producer_id", &mut typed);
    let input = PurchaseInput {
        date: form.date.clone(),
        value,
        description: form.description.clone(),
        category: form.category.clone(),
        producer_id,
        supplier_name: data.opt("supplier_name").filter(|_| producer_id.is_none()),
        supplier_local_umkm: match form.local.as_str() {
            "ya" => Some(true),
            "tidak" => Some(false),
            _ => None,
        },
    };
    let result = purchases::create(&state, &user, input).await;
    let errors = match result {
        Ok(m) => {
            let month = etalase_domain::datefmt::month_name_id(m.purchase_date.month());
            return Ok(see_other_flash(
                &format!("/pengadaan?tahun={}", m.purchase_date.year()),
                &format!(
                    "Belanja Rp{} \"{}\" dari {} dicatat untuk {month} {}.",
                    etalase_domain::money::group_thousands(m.value.unsigned_abs()),
                    m.description,
                    m.supplier_name,
                    m.purchase_date.year()
                ),
            ));
        }
        Err(AppError::Validation(v)) => {
            // What could not be read as typed is named once, with its own message.
            let mut all = typed.0.clone();
            all.extend(v.0.into_iter().filter(|e| typed.get(&e.field).is_none()));
            FormErrors(all)
        }
        Err(e) => return Err(PageError(e)),
    };
    let q = BuyerQuery::default();
    render_page(&state, &user, &q, (form, errors), None).await
}
