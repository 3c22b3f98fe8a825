//! `/kepatuhan/toko/{id}`: why one store has its status — figures against the policy, what it
//! lacks, its agreements with products and producers, flags, inspections, notices and its
//! monthly history; for the Dinas, the inspection link and the "kirim surat teguran" button.

use askama::Template;
use axum::extract::{Path, Query, State};
use chrono::NaiveDate;

use super::{DashQuery, chosen_date};
use crate::auth::CurrentUser;
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
            .unwrap_or_else(|| format!("Produk #{id}"))
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
    Path(id): Path<i64>,
    Query(q): Query<DashQuery>,
) -> PageResult {
    let date = chosen_date(&q, state.clock.today_wib())?;
    page(&state, &user, id, Some(date), None).await
}
