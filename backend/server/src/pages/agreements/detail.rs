//! `/perjanjian/{id}`: one agreement with its terms (payment term first), the Permendag
//! 23/2021 warnings, the full history with a one-line summary per step, and the buttons the
//! caller may use (`/perjanjian/{id}/aksi`; a refusal is shown on the page). Every action
//! asks first: the first POST shows a confirmation page with what the action means and the
//! terms it concerns; only a POST with `confirm=1` acts, then a flash says what happened.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use chrono::NaiveDate;
use etalase_domain::agreement::{AgreementAction, TermsInput};
use etalase_domain::datefmt::format_date_id;
use etalase_domain::error::ValidationErrors;

use super::one_view;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorCode};
use crate::pages::ctx::PagePath;
use crate::pages::ctx::{Nav, PageError, PageResult, check_csrf, render};
use crate::pages::flash::see_other_flash;
use crate::pages::forms::FormData;
use crate::service::agreements::{self, ActionInput, AgreementEventView, AgreementView};
use crate::state::AppState;

/// One history entry with a one-line summary of the terms at that moment.
pub struct EventRow {
    pub e: AgreementEventView,
    pub summary: String,
}

fn summary(terms: &serde_json::Value) -> String {
    let Ok(t) = serde_json::from_value::<TermsInput>(terms.clone()) else { return String::new() };
    let scheme = match (t.scheme.as_str(), t.store_margin_percent) {
        ("konsinyasi", Some(m)) => format!("Konsinyasi, margin toko {m}%"),
        ("konsinyasi", None) => "Konsinyasi".to_string(),
        _ => "Beli putus".to_string(),
    };
    format!(
        "{} · {scheme} · {} produk · {} s.d. {}",
        agreements::payment_term_label(t.payment_term_days),
        t.items.len(),
        format_date_id(t.start_date),
        format_date_id(t.end_date)
    )
}

#[derive(Template)]
#[template(path = "agreement_detail.html")]
struct DetailPage {
    nav: Nav,
    a: AgreementView,
    events: Vec<EventRow>,
    error: Option<String>,
}

impl DetailPage {
    fn can(&self, action: &str) -> bool {
        self.a.actions.iter().any(|x| x == action)
    }
    fn d(&self, d: &NaiveDate) -> String {
        format_date_id(*d)
    }
    fn rp(&self, v: &i64) -> String {
        format!("Rp{}", etalase_domain::money::group_thousands(v.unsigned_abs()))
    }
    fn label(&self, action: &str) -> &'static str {
        AgreementAction::from_code(action).map(|a| a.label()).unwrap_or("")
    }
}

async fn detail_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<String>,
) -> PageResult {
    let a = agreements::get(state, user, id).await?;
    let view = one_view(state, user, &a).await?;
    let events = agreements::events(state, user, id)
        .await?
        .iter()
        .map(|e| {
            let e = AgreementEventView::from(e);
            EventRow { summary: summary(&e.terms), e }
        })
        .collect();
    let nav = Nav::for_user(user);
    Ok(render(&DetailPage { nav: nav.clone(), a: view, events, error }, &nav))
}

pub(super) async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    detail_page(&state, &user, id, None).await
}

pub(super) async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    f: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, f.csrf())?;
    let action = AgreementAction::from_code(&f.text("action"))
        .filter(|a| *a != AgreementAction::Counter)
        .ok_or_else(|| {
            PageError(AppError::bad_request(ErrorCode::UnknownAction, "Tindakan tidak dikenal."))
        })?;
    let version = f.int("version", &mut ValidationErrors::new());
    if f.text("confirm") != "1" {
        return confirm_page(&state, &user, id, action, version, f.opt("note")).await;
    }
    match agreements::act(
        &state,
        &user,
        id,
        action,
        ActionInput { version, note: f.opt("note"), terms: None },
    )
    .await
    {
        Ok(a) => Ok(see_other_flash(&format!("/perjanjian/{id}"), &done_message(action, &a))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let msg = match &e {
                AppError::Validation(v) => {
                    v.0.iter().map(|x| x.message.clone()).collect::<Vec<_>>().join(" ")
                }
                other => other.problem().detail,
            };
            detail_page(&state, &user, id, Some(msg)).await
        }
        Err(e) => Err(PageError(e)),
    }
}

/// What an action means for the caller, shown before it is taken.
fn meaning(action: AgreementAction) -> &'static str {
    match action {
        AgreementAction::Accept => {
            "Dengan menyetujui, kedua pihak terikat pada ketentuan di bawah: harga, skema, tempo pembayaran dan masa perjanjian. Perjanjian berjalan mulai tanggal mulainya."
        }
        AgreementAction::Reject => {
            "Tawaran ini ditolak dan perjanjian ditutup. Pihak lain membaca alasan Anda; untuk berunding lagi perlu tawaran baru."
        }
        AgreementAction::Withdraw => {
            "Tawaran Anda ditarik: pihak lain tidak dapat lagi menyetujuinya. Perjanjian ditutup."
        }
        AgreementAction::End => {
            "Perjanjian diakhiri: produk tidak lagi dipasarkan di gerai ini dan tidak lagi dihitung untuk kepatuhan gerai. Pihak lain membaca alasan Anda."
        }
        AgreementAction::Suspend => {
            "Perjanjian ditangguhkan sementara: tidak dihitung untuk kepatuhan gerai sampai dilanjutkan."
        }
        AgreementAction::Resume => "Perjanjian berjalan kembali dengan ketentuan di bawah.",
        AgreementAction::Counter => "",
    }
}

/// The flash after an action: "Perjanjian disetujui." etc.
fn done_message(action: AgreementAction, a: &etalase_db::entities::agreement::Model) -> String {
    let what = match action {
        AgreementAction::Accept => "disetujui",
        AgreementAction::Reject => "ditolak",
        AgreementAction::Withdraw => "ditarik",
        AgreementAction::End => "diakhiri",
        AgreementAction::Suspend => "ditangguhkan",
        AgreementAction::Resume => "dilanjutkan",
        AgreementAction::Counter => "ditawar balik",
    };
    format!("Perjanjian {what}. Status sekarang: {}.", a.status.label())
}

#[derive(Template)]
#[template(path = "agreement_confirm.html")]
struct ConfirmPage {
    nav: Nav,
    a: AgreementView,
    action: String,
    action_label: &'static str,
    meaning: &'static str,
    version: Option<i64>,
    note: String,
}

impl ConfirmPage {
    fn d(&self, d: &NaiveDate) -> String {
        format_date_id(*d)
    }
    fn rp(&self, v: &i64) -> String {
        format!("Rp{}", etalase_domain::money::group_thousands(v.unsigned_abs()))
    }
}

async fn confirm_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AgreementAction,
    version: Option<i64>,
    note: Option<String>,
) -> PageResult {
    let a = agreements::get(state, user, id).await?;
    let view = one_view(state, user, &a).await?;
    if !view.actions.iter().any(|x| x == action.as_str()) {
        let msg = format!(
            "Tindakan \u{201c}{}\u{201d} tidak tersedia untuk perjanjian ini.",
            action.label()
        );
        return detail_page(state, user, id, Some(msg)).await;
    }
    let nav = Nav::for_user(user);
    let page = ConfirmPage {
        nav: nav.clone(),
        a: view,
        action: action.as_str().into(),
        action_label: action.label(),
        meaning: meaning(action),
        version,
        note: note.unwrap_or_default(),
    };
    Ok(render(&page, &nav))
}
