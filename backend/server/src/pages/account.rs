//! `/akun/sandi`: every signed-in user changes their password; their other sessions end.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;

use super::ctx::{
    FormErrors, Nav, PageError, PageResult, check_csrf, home_of, render, render_status,
};
use super::flash::see_other_flash;
use super::forms::FormData;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::service::accounts::{self, PasswordChange};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/akun/sandi", get(form).post(change))
}

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    nav: Nav,
    email: String,
    errors: FormErrors,
}

async fn form(user: CurrentUser) -> PageResult {
    let nav = Nav::for_user(&user);
    let p =
        PasswordPage { nav: nav.clone(), email: user.email.clone(), errors: FormErrors::default() };
    Ok(render(&p, &nav))
}

async fn change(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let c = PasswordChange {
        current: form.0.get("current_password").cloned().unwrap_or_default(),
        new: form.0.get("password").cloned().unwrap_or_default(),
        confirm: form.0.get("password_confirm").cloned().unwrap_or_default(),
    };
    match accounts::change_password(&state, &user, c).await {
        Ok(ended) => {
            let msg = if ended > 0 {
                format!("Kata sandi diganti. {ended} sesi lain sudah diakhiri.")
            } else {
                "Kata sandi diganti.".to_string()
            };
            Ok(see_other_flash(home_of(user.role), &msg))
        }
        Err(AppError::Validation(v)) => {
            let nav = Nav::for_user(&user);
            let p = PasswordPage {
                nav: nav.clone(),
                email: user.email.clone(),
                errors: FormErrors(v.0),
            };
            Ok(render_status(&p, &nav, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Err(PageError(e)),
    }
}
