//! `/dinas/pengadaan`: the Dinas's Pasal 11(e) dashboard — every Perangkat Daerah/BUMD × month
//! with its share spent on local UMKM and a clear meets / does-not-meet marker, the year to
//! date and budget used, the Pasal 11(b)–(d) categories apart, CSV/XLSX downloads; and the
//! forms to register a buyer, set its yearly budget and give it a login. Dinas and admins.
//! The figures come from `service::procurement::report`, as the API's.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::Datelike;
use etalase_domain::code_enum::CodeEnum;
use etalase_domain::error::ValidationErrors;
use etalase_domain::procurement::BuyerKind;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::ctx::PageQuery;
use crate::pages::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, render};
use crate::pages::flash::see_other_flash;
use crate::pages::forms::FormData;
use crate::service::procurement::export::{Format, download};
use crate::service::procurement::report::{ReportView, build};
use crate::service::procurement::{
    self as svc, BudgetInput, BuyerAccountInput, BuyerView, NewBuyer,
};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dinas/pengadaan", get(page))
        .route("/dinas/pengadaan.csv", get(export_csv))
        .route("/dinas/pengadaan.xlsx", get(export_xlsx))
        .route("/dinas/pengadaan/pembeli", post(register))
        .route("/dinas/pengadaan/anggaran", post(budget))
        .route("/dinas/pengadaan/akun", post(account))
}

/// `?tahun=&pembeli=`; empty fields are absent.
#[derive(Debug, Default, Deserialize)]
pub struct ReportFilter {
    pub tahun: Option<String>,
    pub pembeli: Option<String>,
}

impl ReportFilter {
    /// (year, buyer), refusing what is not a number with the parameter named.
    pub fn parse(&self) -> Result<(Option<i32>, Option<i64>), AppError> {
        let num = |k: &str, v: &Option<String>| -> Result<Option<i64>, AppError> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => s.parse::<i64>().map(Some).map_err(|_| {
                    AppError::field(k, "invalid_number", format!("\"{k}\" harus bilangan bulat."))
                }),
            }
        };
        let year = num("tahun", &self.tahun)?.map(|y| i32::try_from(y).unwrap_or(i32::MAX));
        Ok((year, num("pembeli", &self.pembeli)?))
    }
}

/// Shared by the dashboard and the buyer's view: rupiah and the share markers.
pub trait Figures {
    fn rupiah(&self, v: &i64) -> String {
        let sign = if *v < 0 { "-" } else { "" };
        format!("{sign}Rp{}", etalase_domain::money::group_thousands(v.unsigned_abs()))
    }
    fn opt_rupiah(&self, v: &Option<i64>) -> String {
        v.map_or_else(|| "belum diisi".into(), |x| self.rupiah(&x))
    }
    /// "Jan", "Feb", … for table headers.
    fn short(&self, month_name: &str) -> String {
        month_name.chars().take(3).collect()
    }
    /// "✔" / "✘" / "–" before the status label (the marker is text, not only a colour).
    fn mark(&self, status: &str) -> &'static str {
        match status {
            "meets" => "✔",
            "below" => "✘",
            _ => "–",
        }
    }
}

#[derive(Template)]
#[template(path = "procurement_dashboard.html")]
struct Dashboard {
    nav: Nav,
    report: ReportView,
    all_buyers: Vec<BuyerView>,
    year: i32,
    buyer: Option<i64>,
    query: String,
    years: Vec<i32>,
    kinds: Vec<(String, String)>,
    /// Which form failed ("pembeli", "anggaran", "akun"), with its errors.
    failed: String,
    errors: FormErrors,
    form: std::collections::HashMap<String, String>,
}

impl Figures for Dashboard {}

impl Dashboard {
    fn selected(&self, id: &i64) -> bool {
        self.buyer == Some(*id)
    }
    fn field(&self, k: &str) -> String {
        self.form.get(k).cloned().unwrap_or_default()
    }
    fn err(&self, which: &str, k: &str) -> String {
        if self.failed == which { self.errors.get(k) } else { String::new() }
    }
}

struct Failed {
    which: &'static str,
    errors: FormErrors,
    form: std::collections::HashMap<String, String>,
}

async fn render_page(
    state: &AppState,
    user: &CurrentUser,
    filter: &ReportFilter,
    failed: Option<Failed>,
) -> PageResult {
    crate::service::compliance::require_dinas(user)?;
    let (year, buyer) = filter.parse()?;
    let (report, _) = build(state, user, year, buyer).await?;
    let all_buyers = svc::buyers(state, user).await?.iter().map(BuyerView::from).collect();
    let now = state.clock.today_wib().year();
    let query = match buyer {
        Some(b) => format!("tahun={}&pembeli={b}", report.year),
        None => format!("tahun={}", report.year),
    };
    let nav = Nav::for_user(user);
    let failed = failed.unwrap_or(Failed {
        which: "",
        errors: FormErrors::default(),
        form: Default::default(),
    });
    let page = Dashboard {
        nav: nav.clone(),
        year: report.year,
        report,
        all_buyers,
        buyer,
        query,
        years: (2020..=now + 1).rev().collect(),
        kinds: BuyerKind::all()
            .iter()
            .map(|k| (k.as_str().to_string(), k.label().to_string()))
            .collect(),
        failed: failed.which.into(),
        errors: failed.errors,
        form: failed.form,
    };
    Ok(render(&page, &nav))
}

/// `GET /dinas/pengadaan`.
async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    PageQuery(q): PageQuery<ReportFilter>,
) -> PageResult {
    render_page(&state, &user, &q, None).await
}

async fn export(
    state: AppState,
    user: CurrentUser,
    q: ReportFilter,
    f: Format,
) -> Result<Response, PageError> {
    crate::service::compliance::require_dinas(&user)?;
    let (year, buyer) = q.parse()?;
    Ok(download(&state, &user, year, buyer, f).await?)
}

/// `GET /dinas/pengadaan.csv`.
async fn export_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    PageQuery(q): PageQuery<ReportFilter>,
) -> Result<Response, PageError> {
    export(state, user, q, Format::Csv).await
}

/// `GET /dinas/pengadaan.xlsx`.
async fn export_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    PageQuery(q): PageQuery<ReportFilter>,
) -> Result<Response, PageError> {
    export(state, user, q, Format::Xlsx).await
}

/// Renders the dashboard again with the failed form's errors, or passes other errors on.
async fn or_form_errors(
    state: &AppState,
    user: &CurrentUser,
    which: &'static str,
    form: &FormData,
    e: AppError,
) -> PageResult {
    match e {
        AppError::Validation(_) | AppError::Conflict { .. } => {
            let errors = match &e {
                AppError::Validation(v) => FormErrors(v.0.clone()),
                other => FormErrors(vec![etalase_domain::error::FieldError::new(
                    if which == "akun" { "email" } else { "name" },
                    "conflict",
                    other.problem().detail,
                )]),
            };
            let mut kept = form.0.clone();
            kept.remove("password");
            kept.remove("csrf");
            let f = Failed { which, errors, form: kept.into_iter().collect() };
            render_page(state, user, &ReportFilter::default(), Some(f)).await
        }
        other => Err(PageError(other)),
    }
}

/// `POST /dinas/pengadaan/pembeli`: registers a Perangkat Daerah/BUMD.
async fn register(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let input = NewBuyer { name: form.text("name"), kind: form.text("kind") };
    match svc::create_buyer(&state, &user, input).await {
        Ok(m) => Ok(see_other_flash(
            "/dinas/pengadaan#pembeli",
            &format!("\"{}\" terdaftar sebagai pembeli ({}).", m.name, m.kind.label()),
        )),
        Err(e) => or_form_errors(&state, &user, "pembeli", &form, e).await,
    }
}

/// The buyer picked in a form; "Pembeli" is required when none is.
fn chosen_buyer(form: &FormData, errs: &mut ValidationErrors) -> Option<i64> {
    let buyer = form.int("buyer_id", errs);
    if buyer.is_none() && errs.get("buyer_id").is_none() {
        errs.push(etalase_domain::error::FieldError::required("buyer_id", "Pembeli"));
    }
    buyer
}

/// `POST /dinas/pengadaan/anggaran`: sets a buyer's yearly budget.
async fn budget(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let mut errs = ValidationErrors::new();
    let buyer = chosen_buyer(&form, &mut errs);
    let year = form.int("year", &mut errs).map(|y| i32::try_from(y).unwrap_or(i32::MAX));
    let amount = form.rupiah("amount", &mut errs);
    let result = match (buyer, errs.is_empty()) {
        (Some(b), true) => svc::set_budget(&state, &user, b, BudgetInput { year, amount }).await,
        _ => Err(AppError::Validation(errs)),
    };
    match result {
        Ok((y, a)) => Ok(see_other_flash(
            &format!("/dinas/pengadaan?tahun={y}"),
            &format!(
                "Anggaran pengadaan {y} disimpan: Rp{}.",
                etalase_domain::money::group_thousands(a.unsigned_abs())
            ),
        )),
        Err(e) => or_form_errors(&state, &user, "anggaran", &form, e).await,
    }
}

/// `POST /dinas/pengadaan/akun`: a login for a buyer.
async fn account(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let mut errs = ValidationErrors::new();
    let buyer = chosen_buyer(&form, &mut errs);
    let input = BuyerAccountInput {
        email: form.text("email"),
        password: form.0.get("password").cloned().unwrap_or_default(),
        display_name: form.text("display_name"),
    };
    let result = match (buyer, errs.is_empty()) {
        (Some(b), true) => svc::create_account(&state, &user, b, input).await,
        _ => Err(AppError::Validation(errs)),
    };
    match result {
        Ok(u) => Ok(see_other_flash(
            "/dinas/pengadaan#akun",
            &format!("Akun pengadaan {} dibuat.", u.email),
        )),
        Err(e) => or_form_errors(&state, &user, "akun", &form, e).await,
    }
}
