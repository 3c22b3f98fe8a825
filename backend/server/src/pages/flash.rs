//! One-time messages that survive the redirect after a POST ("Produk disimpan."): the handler
//! answers with [`see_other_flash`], which sets a short-lived cookie; the next page rendered
//! reads it through [`current`] (every `Nav` does) and the cookie is cleared on that response.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

pub const FLASH_COOKIE: &str = "etalase_flash";

tokio::task_local! {
    static FLASH: Option<String>;
}

/// The message carried to this request, if any.
pub fn current() -> Option<String> {
    FLASH.try_with(Clone::clone).ok().flatten()
}

fn read_cookie(req: &Request) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == FLASH_COOKIE)
        .map(|(_, v)| {
            form_urlencoded::parse(format!("m={v}").as_bytes())
                .next()
                .map(|(_, m)| m.into_owned())
                .unwrap_or_default()
        })
        .filter(|m| !m.is_empty())
}

/// Makes the carried message available to the handler; clears it once a page has shown it.
pub async fn layer(req: Request, next: Next) -> Response {
    let flash = read_cookie(&req);
    let had = flash.is_some();
    let mut res = FLASH.scope(flash, next.run(req)).await;
    if had && !res.status().is_redirection() {
        let clear = format!("{FLASH_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
        if let Ok(v) = HeaderValue::from_str(&clear) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// A 303 to `to` that shows `message` on the page it lands on.
pub fn see_other_flash(to: &str, message: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    let value: String = form_urlencoded::byte_serialize(message.as_bytes()).collect();
    let cookie = format!("{FLASH_COOKIE}={value}; Path=/; Max-Age=120; HttpOnly; SameSite=Lax");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::body::Body;

    #[test]
    fn a_message_round_trips_through_the_cookie() {
        let res = see_other_flash("/produk-saya", "Produk \"Emping; 250 g\" disimpan.");
        let set = res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
        let pair = set.split(';').next().unwrap().to_string();
        let req =
            Request::builder().header(header::COOKIE, format!("a=b; {pair}")).body(Body::empty());
        assert_eq!(
            read_cookie(&req.unwrap()).as_deref(),
            Some("Produk \"Emping; 250 g\" disimpan.")
        );
    }
}
