//! Server-rendered pages in Bahasa Indonesia (askama templates in `templates/`), usable on a
//! phone. Forms post with a CSRF token; the session lives in an HttpOnly cookie.

pub mod account;
pub mod admin;
pub mod admin_account;
pub mod agreements;
pub mod assets;
pub mod auth;
pub mod catalog;
pub mod chains;
pub mod compliance;
pub mod ctx;
pub mod dinas;
pub mod dinas_business;
pub mod ekatalog;
pub mod flash;
pub mod forms;
pub mod guard;
pub mod imports;
pub mod inbox;
pub mod pager;
pub mod pendampingan;
pub mod placement_plan;
pub mod procurement;
pub mod procurement_buyer;
pub mod producer;
pub mod products;
pub mod risk_map;
pub mod standards;
pub mod stores;

use axum::Router;

use crate::state::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(auth::router())
        .merge(admin::router())
        .merge(admin_account::router())
        .merge(account::router())
        .merge(assets::router())
        .merge(producer::router())
        .merge(products::router(&state.config))
        .merge(dinas::router())
        .merge(dinas_business::router())
        .merge(ekatalog::router())
        .merge(imports::router(&state.config))
        .merge(pendampingan::router())
        .merge(procurement::router())
        .merge(procurement_buyer::router())
        .merge(placement_plan::router())
        .merge(risk_map::router())
        .merge(catalog::router())
        .merge(standards::router())
        .merge(stores::router())
        .merge(agreements::router())
        .merge(inbox::router())
        .merge(chains::router())
        .merge(compliance::router(&state.config))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::layer))
        .layer(axum::middleware::from_fn(flash::layer))
}
