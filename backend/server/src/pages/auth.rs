//! Login (`/masuk`), UMKM registration (`/daftar`), logout (`/keluar`) and the home page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};
use etalase_domain::error::{FieldError, ValidationErrors};

use super::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, home_of, render, see_other};
use super::flash::see_other_flash;
use super::forms::FormData;
use super::guard::safe_next;
use crate::auth::session::{self, SessionKind};
use crate::auth::{ClientAddr, MaybeUser};
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::service::users::{self, NewAccount};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/masuk", get(login_form).post(login))
        .route("/daftar", get(register_form).post(register))
        .route("/keluar", post(logout))
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    nav: Nav,
    categories: Vec<(String, String)>,
}

async fn home(MaybeUser(user): MaybeUser, headers: HeaderMap) -> PageResult {
    let nav = Nav::of(user.as_ref(), &headers);
    let categories = etalase_domain::category::categories()
        .iter()
        .map(|c| (c.slug.clone(), c.name.clone()))
        .collect();
    Ok(render(&Home { nav, categories }, &Nav::default()))
}

#[derive(Template)]
#[template(path = "login.html")]
struct Login {
    nav: Nav,
    email: String,
    /// Where to go after login (a path on this site), or "".
    next: String,
    errors: FormErrors,
}

#[derive(Debug, Default, serde::Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

/// The `next` the login page was given, when it is a path on this site.
fn next_of(raw: Option<&str>) -> String {
    raw.and_then(safe_next).unwrap_or_default()
}

async fn login_form(
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    q: Result<ApiQuery<LoginQuery>, AppError>,
) -> PageResult {
    let next = next_of(q.ok().and_then(|ApiQuery(q)| q.next).as_deref());
    if let Some(u) = user {
        let to = if next.is_empty() { home_of(u.role).to_string() } else { next };
        return Ok(see_other(&to));
    }
    let nav = Nav::anonymous(&headers);
    Ok(render(
        &Login { nav: nav.clone(), email: String::new(), next, errors: FormErrors::default() },
        &nav,
    ))
}

fn with_session_cookie(mut res: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(None, &headers, form.csrf())?;
    let email = form.text("email");
    let next = next_of(form.opt("next").as_deref());
    match users::login(&state, &email, &form.text("password"), &client, SessionKind::Web).await {
        Ok((u, issued)) => {
            let role = u.role;
            let cookie =
                session::cookie(&state, &issued.token, state.config.web_session_hours * 3600);
            let to = if next.is_empty() { home_of(role).to_string() } else { next };
            Ok(with_session_cookie(see_other(&to), &cookie))
        }
        Err(AppError::Validation(v)) => {
            let nav = Nav::anonymous(&headers);
            Ok(render(&Login { nav: nav.clone(), email, next, errors: FormErrors(v.0) }, &nav))
        }
        Err(AppError::TooManyRequests { retry_after }) => {
            let nav = Nav::anonymous(&headers);
            let msg = format!(
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {}.",
                wait_text(retry_after)
            );
            Ok(render(
                &Login {
                    nav: nav.clone(),
                    email,
                    next,
                    errors: FormErrors(vec![FieldError::new("password", "too_many_requests", msg)]),
                },
                &nav,
            ))
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Template)]
#[template(path = "register.html")]
struct Register {
    nav: Nav,
    display_name: String,
    email: String,
    errors: FormErrors,
}

async fn register_form(headers: HeaderMap) -> PageResult {
    let nav = Nav::anonymous(&headers);
    Ok(render(
        &Register {
            nav: nav.clone(),
            display_name: String::new(),
            email: String::new(),
            errors: FormErrors::default(),
        },
        &nav,
    ))
}

async fn register(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(None, &headers, form.csrf())?;
    let (display_name, email, password) =
        (form.text("display_name"), form.text("email"), form.text("password"));
    let again = |errors: Vec<FieldError>| {
        let nav = Nav::anonymous(&headers);
        render(
            &Register {
                nav: nav.clone(),
                display_name: display_name.clone(),
                email: email.clone(),
                errors: FormErrors(errors),
            },
            &nav,
        )
    };
    if password != form.text("password_confirm") {
        return Ok(again(vec![FieldError::new(
            "password_confirm",
            "mismatch",
            "Ulangi kata sandi yang sama.",
        )]));
    }
    let account = NewAccount {
        email: email.clone(),
        password: password.clone(),
        display_name: display_name.clone(),
    };
    match users::register(&state, account, &client, SessionKind::Web).await {
        Ok((_, issued)) => {
            let cookie =
                session::cookie(&state, &issued.token, state.config.web_session_hours * 3600);
            Ok(with_session_cookie(see_other("/usaha"), &cookie))
        }
        Err(AppError::Validation(ValidationErrors(v))) => Ok(again(v)),
        Err(AppError::Conflict { message, .. }) => {
            Ok(again(vec![FieldError::new("email", "email_taken", message)]))
        }
        Err(AppError::TooManyRequests { retry_after }) => Ok(again(vec![FieldError::new(
            "email",
            "too_many_requests",
            format!(
                "Terlalu banyak pendaftaran dari jaringan ini. Coba lagi dalam {}.",
                wait_text(retry_after)
            ),
        )])),
        Err(e) => Err(PageError(e)),
    }
}

/// "45 detik" or "3 menit": a short wait is said in seconds.
fn wait_text(seconds: u64) -> String {
    if seconds < 60 {
        format!("{seconds} detik")
    } else {
        format!("{} menit", seconds.div_ceil(60))
    }
}

async fn logout(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    if let Some(u) = &user {
        check_csrf(Some(u), &headers, form.csrf())?;
        users::logout(&state, u).await?;
    }
    let cookie = session::cookie(&state, "", 0);
    Ok(with_session_cookie(see_other_flash("/", "Anda sudah keluar."), &cookie))
}
