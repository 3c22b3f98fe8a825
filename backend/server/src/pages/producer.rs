//! `/usaha`: the UMKM's business profile — register it, see its verification status (and the
//! Dinas' reason when rejected), edit it.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use etalase_domain::code_enum::CodeEnum;
use etalase_domain::error::ValidationErrors;
use etalase_domain::producer::{CapitalRange, ProducerInput, RiskLevel, SalesRange};
use etalase_domain::roles::Role;
use etalase_domain::wilayah::kota_serang;

use super::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, render, see_other};
use super::forms::FormData;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorCode};
use crate::service::catalog::views::ProducerView;
use crate::service::producers;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/usaha", get(show).post(save))
}

/// Choices for a `<select>`: (code, label).
pub type Choices = Vec<(String, String)>;

/// Kelurahan grouped by kecamatan: (kecamatan code, kecamatan name, [(code, name)]).
pub type KelurahanGroups = Vec<(String, String, Choices)>;

fn choices<T: CodeEnum>(all: &[T]) -> Choices {
    all.iter().map(|s| (s.as_str().to_string(), s.label().to_string())).collect()
}

pub fn kelurahan_groups() -> KelurahanGroups {
    let w = kota_serang();
    w.kecamatan()
        .iter()
        .map(|k| {
            (
                k.code.clone(),
                k.name.clone(),
                w.kelurahan_in(&k.code).map(|l| (l.code.clone(), l.name.clone())).collect(),
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "producer.html")]
struct ProducerPage {
    nav: Nav,
    existing: Option<ProducerView>,
    form: ProducerInput,
    version: i64,
    errors: FormErrors,
    capital_ranges: Choices,
    sales_ranges: Choices,
    risks: Choices,
    kelurahan: KelurahanGroups,
}

impl ProducerPage {
    fn new(
        nav: Nav,
        existing: Option<ProducerView>,
        form: ProducerInput,
        errors: FormErrors,
    ) -> Self {
        ProducerPage {
            nav,
            version: existing.as_ref().map(|e| e.version).unwrap_or(0),
            existing,
            form,
            errors,
            capital_ranges: choices(CapitalRange::all()),
            sales_ranges: choices(SalesRange::all()),
            risks: choices(RiskLevel::all()),
            kelurahan: kelurahan_groups(),
        }
    }
    /// Whether `code` is the chosen option of an optional select.
    fn chosen(&self, v: &Option<String>, code: &str) -> bool {
        v.as_deref() == Some(code)
    }
    fn opt<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
    fn coord(&self, v: &Option<f64>) -> String {
        v.map(|x| format!("{x:.6}")).unwrap_or_default()
    }
}

async fn show(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    user.require(&[Role::Umkm]).map_err(PageError)?;
    let existing = producers::mine(&state, &user).await?;
    let form = existing.as_ref().map(producers::input_of).unwrap_or_default();
    let nav = Nav::for_user(&user);
    Ok(render(
        &ProducerPage::new(
            nav.clone(),
            existing.as_ref().map(ProducerView::from),
            form,
            FormErrors::default(),
        ),
        &nav,
    ))
}

fn read_form(form: &FormData, errs: &mut ValidationErrors) -> ProducerInput {
    ProducerInput {
        name: form.text("name"),
        owner_name: form.text("owner_name"),
        nib: form.text("nib"),
        capital_range: form.opt("capital_range"),
        sales_range: form.opt("sales_range"),
        scale: None,
        risk_level: form.text("risk_level"),
        address: form.text("address"),
        kelurahan_code: form.text("kelurahan_code"),
        lat: form.float("lat", errs),
        lon: form.float("lon", errs),
        phone: form.opt("phone"),
        whatsapp: form.opt("whatsapp"),
    }
}

async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    user.require(&[Role::Umkm]).map_err(PageError)?;
    let mut errs = ValidationErrors::new();
    let input = read_form(&form, &mut errs);
    let existing = producers::mine(&state, &user).await?;
    let result = if !errs.is_empty() {
        Err(AppError::Validation(errs))
    } else {
        match &existing {
            None => producers::create(&state, &user, input.clone()).await,
            Some(cur) => {
                let version = form.int("version", &mut ValidationErrors::new()).unwrap_or(0);
                producers::update_validated(&state, &user, cur.clone(), version, input.clone())
                    .await
            }
        }
    };
    let nav = Nav::for_user(&user);
    match result {
        Ok(_) => Ok(see_other(if existing.is_none() { "/produk-saya" } else { "/usaha" })),
        Err(e) => {
            let errors = FormErrors::of_refusal_by(e, |code| {
                if code == ErrorCode::NibTaken { "nib" } else { "version" }
            })?;
            Ok(render(
                &ProducerPage::new(
                    nav.clone(),
                    existing.as_ref().map(ProducerView::from),
                    input,
                    errors,
                ),
                &nav,
            ))
        }
    }
}
