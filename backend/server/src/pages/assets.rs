//! `/assets/*`: the stylesheet, script and icon, embedded in the binary so it runs from anywhere.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::state::AppState;

const STYLE: &str = include_str!("../../../../assets/web/style.css");
const SCRIPT: &str = include_str!("../../../../assets/web/app.js");
const ICON: &str = include_str!("../../../../assets/web/icon.svg");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assets/style.css", get(style))
        .route("/assets/app.js", get(script))
        .route("/assets/icon.svg", get(icon))
        // Asked for by browsers (and bookmarks, feed readers) that do not read the page's
        // `<link rel="icon">`: the same icon, not a 404 in every log.
        .route("/favicon.ico", get(icon))
}

/// An embedded file with its type, cached by the browser for `max_age` seconds.
fn embedded(kind: &'static str, max_age: &'static str, body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, max_age)], body)
}

async fn style() -> impl IntoResponse {
    embedded("text/css; charset=utf-8", "public, max-age=3600", STYLE)
}

async fn script() -> impl IntoResponse {
    embedded("text/javascript; charset=utf-8", "public, max-age=3600", SCRIPT)
}

async fn icon() -> impl IntoResponse {
    embedded("image/svg+xml", "public, max-age=86400", ICON)
}
