//! The pages' middleware: looks up the caller once per request (extractors reuse the answer),
//! counts their unread Kotak masuk, and keeps both for `Nav` and for error pages (which then
//! show the signed-in menu). On the way out: a page that needs a session answers with a 303
//! to `/masuk?next=…` (never raw JSON); signed-in pages are `Cache-Control: no-store` so Back
//! after logout asks again; a wrong method gets an Indonesian 405 page. Unknown addresses get
//! [`fallback`]: an HTML 404 page, or problem+json under `/api/`.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ctx::{Nav, error_page};
use super::flash::see_other_flash;
use crate::auth::CurrentUser;
use crate::auth::extract::{Identified, cookie_token, identify};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Clone, Default)]
struct PageCtx {
    user: Option<CurrentUser>,
    unread: u64,
}

tokio::task_local! {
    static PAGE: PageCtx;
}

/// The signed-in caller of the page being answered, if any.
pub fn current_user() -> Option<CurrentUser> {
    PAGE.try_with(|c| c.user.clone()).ok().flatten()
}

/// The caller's unread Kotak masuk entries.
pub fn unread() -> u64 {
    PAGE.try_with(|c| c.unread).unwrap_or(0)
}

/// The menu of whoever is asking (signed in or not).
pub fn nav_of_caller(headers: &HeaderMap) -> Nav {
    match current_user() {
        Some(u) => Nav::for_user(&u),
        None => Nav::anonymous(headers),
    }
}

/// A `next` target worth going back to: a path on this site, never another site.
pub fn safe_next(raw: &str) -> Option<String> {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.contains('\\')
        && !raw.chars().any(|c| c.is_control() || c.is_whitespace())
        && raw.len() <= 2000
        && !raw.starts_with("/masuk")
        && !raw.starts_with("/keluar");
    ok.then(|| raw.to_string())
}

/// Where to return after login: this page (GET), or the page the form was on (POST).
fn return_to(method: &Method, headers: &HeaderMap, uri: &axum::http::Uri) -> Option<String> {
    if matches!(*method, Method::GET | Method::HEAD) {
        return uri.path_and_query().and_then(|pq| safe_next(pq.as_str()));
    }
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer.split_once("://")?.1;
    let (authority, path) = rest.split_at(rest.find('/')?);
    (authority == host).then(|| safe_next(path)).flatten()
}

/// The 303 to the login page, remembering where the caller was.
pub fn to_login(next: Option<&str>, expired: bool) -> Response {
    let to = match next {
        Some(n) => {
            let enc: String = form_urlencoded::byte_serialize(n.as_bytes()).collect();
            format!("/masuk?next={enc}")
        }
        None => "/masuk".to_string(),
    };
    let message = if expired {
        "Sesi Anda berakhir, silakan masuk lagi."
    } else {
        "Silakan masuk untuk membuka halaman itu."
    };
    see_other_flash(&to, message)
}

fn is_html(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/assets/") {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let had_session = cookie_token(&parts).is_some();
    let user = match identify(&parts, &state).await {
        Ok(u) => {
            parts.extensions.insert(Identified(u.clone()));
            u
        }
        Err(e) => {
            tracing::warn!(error = %e, "caller not identified");
            None
        }
    };
    let unread = match &user {
        Some(u) if parts.method == Method::GET => {
            crate::service::accounts::inbox_unread(&state, u).await.unwrap_or_else(|e| {
                tracing::warn!(error = %e, "unread count failed");
                0
            })
        }
        _ => 0,
    };
    let back = return_to(&parts.method, &parts.headers, &parts.uri);
    let headers = parts.headers.clone();
    let ctx = PageCtx { user, unread };
    let signed_in = ctx.user.is_some();
    let mut res = PAGE.scope(ctx.clone(), next.run(Request::from_parts(parts, body))).await;
    if res.status() == StatusCode::UNAUTHORIZED {
        return to_login(back.as_deref(), had_session);
    }
    if res.status() == StatusCode::METHOD_NOT_ALLOWED && !is_html(&res) {
        let allow = res.headers().get(header::ALLOW).cloned();
        res = PAGE.sync_scope(ctx, || {
            error_page(
                StatusCode::METHOD_NOT_ALLOWED,
                "Cara membuka halaman ini salah",
                "Halaman ini tidak bisa dibuka dengan cara itu (misalnya alamat formulir yang \
                 dibuka langsung). Kembali ke halaman sebelumnya lalu gunakan tombolnya.",
                &nav_of_caller(&headers),
            )
        });
        if let Some(a) = allow {
            res.headers_mut().insert(header::ALLOW, a);
        }
    }
    if signed_in && is_html(&res) {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store, private"));
    }
    res
}

/// Unknown addresses: problem+json under `/api/`, otherwise a 404 page with the caller's menu.
pub async fn fallback(State(state): State<AppState>, req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        return AppError::NotFound("Alamat API").into_response();
    }
    let (parts, _) = req.into_parts();
    let user = identify(&parts, &state).await.ok().flatten();
    let ctx = PageCtx { user: user.clone(), unread: 0 };
    let mut res = PAGE.sync_scope(ctx, || {
        error_page(
            StatusCode::NOT_FOUND,
            "Halaman tidak ditemukan",
            "Alamat ini tidak ada di Etalase. Periksa ejaannya, atau mulai lagi dari beranda.",
            &nav_of_caller(&parts.headers),
        )
    });
    if user.is_some() {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store, private"));
    }
    res
}

/// A wrong method under `/api/` answers problem+json (axum's own 405 has no body): `res`, the
/// answer to a `method` request, with a body when it is that bare 405 (called by
/// `crate::observe::observe` on every answer).
pub fn api_method(method: &Method, res: Response) -> Response {
    let bare = res.headers().get(header::CONTENT_TYPE).is_none();
    if res.status() != StatusCode::METHOD_NOT_ALLOWED || !bare {
        return res;
    }
    let allow = res.headers().get(header::ALLOW).cloned();
    let mut out = AppError::MethodNotAllowed(method.to_string()).into_response();
    if let Some(a) = allow {
        out.headers_mut().insert(header::ALLOW, a);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        assert_eq!(
            safe_next("/toko?tab=produk&page=2").as_deref(),
            Some("/toko?tab=produk&page=2")
        );
        for bad in
            ["//evil.example/x", "http://evil.example/", "/\\evil.example", "evil", "", "/masuk"]
        {
            assert_eq!(safe_next(bad), None, "{bad}");
        }
    }
}
