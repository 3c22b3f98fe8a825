//! `/dinas/pendampingan`: the businesses the officer accompanies (Perwal 74/2023 Pasal
//! 3(2)–(4)), each with what it still needs in the order that unlocks most standards first, a
//! form to enter the NIB once OSS issues it, and a form to register a business without a NIB on
//! its behalf. Verification stays on the business page (`/dinas/usaha/{id}`). Dinas only.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use etalase_domain::code_enum::CodeEnum;
use etalase_domain::producer::{CapitalRange, ProducerInput, RiskLevel, SalesRange};
use etalase_domain::roles::Role;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::ctx::PagePath;
use crate::pages::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, render};
use crate::pages::flash::see_other_flash;
use crate::pages::forms::FormData;
use crate::pages::producer::{KelurahanGroups, kelurahan_groups};
use crate::service::pendampingan::{self as svc, AccompaniedView};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dinas/pendampingan", get(page).post(register))
        .route("/dinas/pendampingan/{id}/nib", post(enter_nib))
}

type Choices = Vec<(String, String)>;

fn choices<T: CodeEnum>() -> Choices {
    T::all().iter().map(|s| (s.as_str().to_string(), s.label().to_string())).collect()
}

#[derive(Template)]
#[template(path = "pendampingan.html")]
struct PendampinganPage {
    nav: Nav,
    items: Vec<AccompaniedView>,
    form: ProducerInput,
    errors: FormErrors,
    /// The business whose NIB form failed, and why.
    nib_error: Option<(i64, String)>,
    kelurahan: KelurahanGroups,
    capital_ranges: Choices,
    sales_ranges: Choices,
    risk_levels: Choices,
}

async fn render_page(
    state: &AppState,
    user: &CurrentUser,
    form: ProducerInput,
    errors: FormErrors,
    nib_error: Option<(i64, String)>,
) -> PageResult {
    let items = svc::accompanied(state, user).await.map_err(PageError)?;
    let nav = Nav::for_user(user);
    let page = PendampinganPage {
        nav: nav.clone(),
        items,
        form,
        errors,
        nib_error,
        kelurahan: kelurahan_groups(),
        capital_ranges: choices::<CapitalRange>(),
        sales_ranges: choices::<SalesRange>(),
        risk_levels: choices::<RiskLevel>(),
    };
    Ok(render(&page, &nav))
}

async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    user.require(&[Role::Dinas]).map_err(PageError)?;
    render_page(&state, &user, ProducerInput::default(), FormErrors::default(), None).await
}

async fn register(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    user.require(&[Role::Dinas]).map_err(PageError)?;
    check_csrf(Some(&user), &headers, form.csrf())?;
    let get = |k: &str| form.0.get(k).cloned().unwrap_or_default();
    let opt = |k: &str| Some(get(k)).filter(|v| !v.trim().is_empty());
    let input = ProducerInput {
        name: get("name"),
        owner_name: get("owner_name"),
        nib: get("nib"),
        capital_range: opt("capital_range"),
        sales_range: opt("sales_range"),
        scale: None,
        risk_level: get("risk_level"),
        address: get("address"),
        kelurahan_code: get("kelurahan_code"),
        lat: None,
        lon: None,
        phone: opt("phone"),
        whatsapp: opt("whatsapp"),
    };
    match svc::register(&state, &user, input.clone()).await {
        Ok(m) => Ok(see_other_flash(
            "/dinas/pendampingan",
            &format!("Usaha \"{}\" didaftarkan dengan Anda sebagai pendamping.", m.name),
        )),
        Err(e) => {
            let errors = FormErrors::of_refusal(e, "nib")?;
            render_page(&state, &user, input, errors, None).await
        }
    }
}

async fn enter_nib(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    user.require(&[Role::Dinas]).map_err(PageError)?;
    check_csrf(Some(&user), &headers, form.csrf())?;
    let nib = form.0.get("nib").cloned().unwrap_or_default();
    match svc::enter_nib(&state, &user, id, &nib).await {
        Ok(m) => Ok(see_other_flash(
            "/dinas/pendampingan",
            &format!(
                "NIB {} dicatat untuk \"{}\". Verifikasi usahanya agar produknya bisa tayang.",
                m.nib.unwrap_or_default(),
                m.name
            ),
        )),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let msg = e.field_errors().first().map_or(e.problem().detail, |f| f.message.clone());
            let (form, errors) = (ProducerInput::default(), FormErrors::default());
            render_page(&state, &user, form, errors, Some((id, msg))).await
        }
        Err(e) => Err(PageError(e)),
    }
}
