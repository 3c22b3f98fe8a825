//! Server-rendered pages in Bahasa Indonesia (askama templates in `templates/`), usable on a
//! phone. Forms post with a CSRF token; the session lives in an HttpOnly cookie.

pub mod html;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}
