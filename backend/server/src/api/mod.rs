//! The JSON API under `/api/v1`, one module per resource, each exposing `router()`; the
//! OpenAPI 3.1 document at `/api/openapi.json`, a docs page that needs no internet and the
//! table of error codes at `/problems`.

pub mod agreements;
pub mod auth;
pub mod catalog;
pub mod certificates;
pub mod chains;
pub mod compliance;
pub mod docs;
pub mod ekatalog;
pub mod health;
pub mod imports;
pub mod inbox;
pub mod inspections;
pub mod media;
pub mod notices;
pub mod openapi;
pub mod pendampingan;
pub mod photos;
pub mod placement_plan;
pub mod problems;
pub mod procurement;
pub mod producers;
pub mod products;
pub mod risk_map;
pub mod search;
pub mod standards;
pub mod stores;
pub mod users;

use axum::Router;

use crate::state::AppState;

pub fn router(config: &crate::config::Config) -> Router<AppState> {
    let v1 = Router::new()
        .merge(auth::router())
        .merge(users::router())
        .merge(producers::router())
        .merge(products::router())
        .merge(certificates::router(config))
        .merge(photos::router(config))
        .merge(catalog::router())
        .merge(chains::router())
        .merge(stores::router())
        .merge(agreements::router())
        .merge(inbox::router())
        .merge(search::router())
        .merge(standards::router())
        .merge(compliance::router())
        .merge(ekatalog::router())
        .merge(imports::router())
        .merge(pendampingan::router())
        .merge(placement_plan::router())
        .merge(risk_map::router())
        .merge(inspections::router(config))
        .merge(notices::router())
        .merge(procurement::router());
    Router::new()
        .nest("/api/v1", v1)
        .merge(health::router())
        .merge(media::router())
        .merge(docs::router())
        .merge(problems::router())
}
