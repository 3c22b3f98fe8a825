//! `/perjanjian`: the placement agreement pages — the proposal form (from Rekomendasi or Toko
//! potensial), the counter form, and the detail with the terms (payment term first), the
//! Permendag 23/2021 warnings, the full history and the buttons the caller may use. Every
//! rule (who may propose, answer, suspend, end; versions; reasons) is `service::agreements`.
//! The proposal and counter forms are in `form`, the detail page and its buttons in `detail`.

mod detail;
mod form;

use axum::Router;
use axum::routing::{get, post};

use super::ctx::PageError;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::service::agreements::{self, AgreementView};
use crate::state::AppState;
use detail::{act, detail};
use form::{counter, counter_form, new_form, propose};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/perjanjian/baru", get(new_form).post(propose))
        .route("/perjanjian/{id}", get(detail))
        .route("/perjanjian/{id}/aksi", post(act))
        .route("/perjanjian/{id}/tawar", get(counter_form).post(counter))
}

/// The caller's view of one agreement (its terms, flags and the actions open to the caller).
async fn one_view(
    state: &AppState,
    user: &CurrentUser,
    a: &etalase_db::entities::agreement::Model,
) -> Result<AgreementView, PageError> {
    agreements::views(state, user, std::slice::from_ref(a))
        .await?
        .into_iter()
        .next()
        .ok_or(PageError(AppError::NotFound("Perjanjian")))
}
