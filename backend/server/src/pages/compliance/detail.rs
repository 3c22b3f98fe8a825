//! `/kepatuhan/toko/{id}`: why one store has its status — figures against the policy, what it
//! lacks, its agreements with products and producers, flags, inspections, notices and its
//! monthly history; for the Dinas, the inspection link and the "kirim surat teguran" button.

use askama::Template;
use axum::extract::State;
use chrono::NaiveDate;

use super::{DashQuery, chosen_date};
use crate::auth::CurrentUser;
use crate::pages::ctx::PagePath;
use crate::pages::ctx::PageQuery;
use crate::pages::ctx::{Nav, PageResult, render};
use crate::service::compliance::{self as svc, StoreDetailView};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "compliance_store.html")]
struct StorePage {
    nav: Nav,
    d: StoreDetailView,
    date_label: String,
    is_dinas: bool,
    today: NaiveDate,
    error: Option<String>,
}

impl StorePage {
    /// A product's name in this store's agreements.
    fn product_name(&self, id: &i64) -> String {
        self.d
            .agreements
            .iter()
            .flat_map(|a| a.products.iter())
            .find(|p| p.id == *id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "produk yang tidak lagi diperjanjikan".into())
    }
    fn d(&self, d: &NaiveDate) -> String {
        etalase_domain::datefmt::format_date_id(*d)
    }
    /// "tidak_patuh" → "Tidak patuh".
    fn level(&self, code: &str) -> String {
        level_label(code)
    }
    /// "accepted" → "Disetujui".
    fn status(&self, code: &str) -> String {
        etalase_domain::agreement::AgreementStatus::from_code(code)
            .map(|s| s.label().to_string())
            .unwrap_or_else(|| code.to_string())
    }
    /// "2026-03" → "Maret 2026".
    fn month(&self, key: &str) -> String {
        month_label(key)
    }
}

/// A compliance level's label ("tidak_patuh" → "Tidak patuh").
pub fn level_label(code: &str) -> String {
    etalase_domain::compliance::Level::from_code(code)
        .map(|l| l.label().to_string())
        .unwrap_or_else(|| code.to_string())
}

/// A month key's label ("2026-03" → "Maret 2026").
pub fn month_label(key: &str) -> String {
    match key.split_once('-').map(|(y, m)| (y, m.parse::<u32>())) {
        Some((y, Ok(m))) if (1..=12).contains(&m) => {
            format!("{} {y}", etalase_domain::datefmt::month_name_id(m))
        }
        _ => key.to_string(),
    }
}

/// Renders the detail, with an optional error from a failed action (e.g. a refused notice).
pub(super) async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    date: Option<NaiveDate>,
    error: Option<String>,
) -> PageResult {
    let d = svc::store_detail(state, user, id, date).await?;
    let nav = Nav::for_user(user);
    let p = StorePage {
        nav: nav.clone(),
        date_label: etalase_domain::datefmt::format_date_id(d.date),
        d,
        is_dinas: svc::require_dinas(user).is_ok(),
        today: state.clock.today_wib(),
        error,
    };
    Ok(render(&p, &nav))
}

pub(super) async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<DashQuery>,
) -> PageResult {
    let date = chosen_date(&q, state.clock.today_wib())?;
    page(&state, &user, id, Some(date), None).await
}
