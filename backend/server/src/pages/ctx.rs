//! What every page needs: the navigation for the signed-in user, the CSRF token for forms,
//! rendering a template, and page-shaped errors (login redirect, 403/404 pages).

use askama::Template;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use etalase_domain::error::FieldError;
use etalase_domain::roles::Role;

use crate::auth::CurrentUser;
use crate::auth::session::random_token;
use crate::error::AppError;

pub const ANON_CSRF_COOKIE: &str = "etalase_csrf";

/// Navigation and form token, shown by `base.html`.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub csrf: String,
    /// A cookie to set for anonymous forms (double-submit CSRF), when one was minted.
    pub set_cookie: Option<String>,
    pub notice: Option<String>,
    /// Unread entries of the Kotak masuk (shown next to it in the menu).
    pub inbox_unread: u64,
}

impl Nav {
    pub fn for_user(user: &CurrentUser) -> Nav {
        Nav {
            name: Some(user.display_name.clone()),
            role: Some(user.role),
            csrf: user.csrf.clone(),
            notice: super::flash::current(),
            inbox_unread: super::guard::unread(),
            ..Nav::default()
        }
    }

    /// For anonymous visitors: reuse the CSRF cookie or mint one.
    pub fn anonymous(headers: &HeaderMap) -> Nav {
        match anon_csrf(headers) {
            Some(t) => Nav { csrf: t, notice: super::flash::current(), ..Nav::default() },
            None => {
                let t = random_token();
                let cookie = format!("{ANON_CSRF_COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax");
                Nav {
                    csrf: t,
                    set_cookie: Some(cookie),
                    notice: super::flash::current(),
                    ..Nav::default()
                }
            }
        }
    }

    pub fn of(user: Option<&CurrentUser>, headers: &HeaderMap) -> Nav {
        match user {
            Some(u) => Nav::for_user(u),
            None => Nav::anonymous(headers),
        }
    }

    pub fn is(&self, code: &str) -> bool {
        self.role.is_some_and(|r| r.as_str() == code)
    }
    pub fn signed_in(&self) -> bool {
        self.role.is_some()
    }
    pub fn role_label(&self) -> &'static str {
        self.role.map(|r| r.label()).unwrap_or("")
    }
}

pub fn anon_csrf(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == ANON_CSRF_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// Checks a posted form token against the session's (or the anonymous cookie's).
pub fn check_csrf(
    user: Option<&CurrentUser>,
    headers: &HeaderMap,
    sent: Option<&str>,
) -> Result<(), PageError> {
    let expected = match user {
        Some(u) => Some(u.csrf.clone()),
        None => anon_csrf(headers),
    };
    match (expected, sent) {
        (Some(e), Some(s)) if !e.is_empty() && e == s => Ok(()),
        _ => Err(PageError(AppError::Forbidden(
            "Formulir kedaluwarsa atau tidak sah (token CSRF). Muat ulang halaman lalu kirim lagi."
                .into(),
        ))),
    }
}

/// Renders a template into a response (setting the anonymous CSRF cookie when needed).
pub fn render<T: Template>(t: &T, nav: &Nav) -> Response {
    render_status(t, nav, StatusCode::OK)
}

pub fn render_status<T: Template>(t: &T, nav: &Nav, status: StatusCode) -> Response {
    match t.render() {
        Ok(html) => {
            let mut res = (status, Html(html)).into_response();
            if let Some(c) = &nav.set_cookie
                && let Ok(v) = c.parse()
            {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(e) => PageError(AppError::Internal(anyhow::anyhow!("template: {e}"))).into_response(),
    }
}

/// Field errors of a form, looked up by the templates.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(pub Vec<FieldError>);

impl FormErrors {
    pub fn get(&self, field: &str) -> String {
        self.0
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join(" ")
    }
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
    pub fn messages(&self) -> Vec<String> {
        self.0.iter().map(|e| e.message.clone()).collect()
    }

    /// What a form shows when the service refused to save it: the fields a validation error
    /// names, or a conflict (a code already taken, a stale version) on `conflict_field`. Any
    /// other error (not found, forbidden, internal) is the page's own.
    pub fn of_refusal(e: AppError, conflict_field: &str) -> Result<FormErrors, PageError> {
        Self::of_refusal_by(e, |_| conflict_field)
    }

    /// Like `of_refusal`, with the conflict's field chosen by its code.
    pub fn of_refusal_by<'a>(
        e: AppError,
        conflict_field: impl FnOnce(crate::error::ErrorCode) -> &'a str,
    ) -> Result<FormErrors, PageError> {
        match e {
            AppError::Validation(v) => Ok(FormErrors(v.0)),
            AppError::Conflict { code, message } => {
                Ok(FormErrors(vec![FieldError::new(conflict_field(code), code.as_str(), message)]))
            }
            other => Err(PageError(other)),
        }
    }
}

/// An error raised by a page handler: shown as a page, or a redirect to the login page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl From<sea_orm::DbErr> for PageError {
    fn from(e: sea_orm::DbErr) -> Self {
        PageError(AppError::from(e))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    nav: Nav,
    status: u16,
    title: String,
    detail: String,
}

/// An error page with the caller's menu.
pub fn error_page(status: StatusCode, title: &str, detail: &str, nav: &Nav) -> Response {
    let page = ErrorPage {
        nav: nav.clone(),
        status: status.as_u16(),
        title: title.to_string(),
        detail: detail.to_string(),
    };
    render_status(&page, nav, status)
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.0, AppError::Unauthorized) {
            // The pages' middleware turns this into the login redirect with `next`.
            return StatusCode::UNAUTHORIZED.into_response();
        }
        self.0.log_engine_failure();
        let status = self.0.status();
        let p = self.0.problem();
        let title = match status {
            StatusCode::NOT_FOUND => "Halaman tidak ditemukan".to_string(),
            StatusCode::METHOD_NOT_ALLOWED => "Cara membuka halaman ini salah".to_string(),
            StatusCode::FORBIDDEN => "Tidak diizinkan".to_string(),
            StatusCode::CONFLICT => "Tidak bisa diproses".to_string(),
            StatusCode::TOO_MANY_REQUESTS => "Terlalu banyak percobaan".to_string(),
            s if s.is_server_error() => "Terjadi kesalahan".to_string(),
            _ => "Permintaan tidak bisa diproses".to_string(),
        };
        let nav = super::guard::current_user().map(|u| Nav::for_user(&u)).unwrap_or_default();
        error_page(status, &title, &p.detail, &nav)
    }
}

pub type PageResult = Result<Response, PageError>;

/// Redirect after a successful POST (303 See Other).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Where a role lands after login.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Umkm => "/produk-saya",
        Role::Dinas => "/dinas/verifikasi",
        Role::Admin => "/admin/pengguna",
        Role::Store | Role::Chain => "/katalog",
        Role::Buyer => "/pengadaan",
    }
}

/// A path parameter of a page; one that does not read as its type (`/katalog/abc`) is the
/// not-found page, as an id that does not exist is (axum's own answer is English plain text).
pub struct PagePath<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> axum::extract::FromRequestParts<S>
    for PagePath<T>
{
    type Rejection = PageError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, PageError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| PagePath(p.0))
            .map_err(|_| PageError(AppError::NotFound("Halaman")))
    }
}

/// Query parameters of a page; one that does not read is the error page naming it (as
/// `ApiQuery`'s message), not a JSON problem.
pub struct PageQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S>
    for PageQuery<T>
{
    type Rejection = PageError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, PageError> {
        crate::extract::ApiQuery::<T>::from_request_parts(parts, state)
            .await
            .map(|q| PageQuery(q.0))
            .map_err(PageError)
    }
}

/// A multipart form of a page; a body that is not one is the error page, in Indonesian.
pub struct PageMultipart(pub axum::extract::Multipart);

impl<S: Send + Sync> axum::extract::FromRequest<S> for PageMultipart {
    type Rejection = PageError;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, PageError> {
        crate::extract::ApiMultipart::from_request(req, state)
            .await
            .map(|m| PageMultipart(m.0))
            .map_err(PageError)
    }
}
