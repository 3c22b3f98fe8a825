//! `/produk-saya`: a UMKM's products — list, new, edit (drafts and rejected ones), certificates
//! with documents, and the lifecycle buttons (ajukan, arsipkan, ubah produk tayang).
//! This file has the routes and the list; `edit` the product form, its lifecycle buttons and
//! deletion; `attachments` the certificate and photo forms on the edit page.

mod attachments;
mod edit;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};
use etalase_db::repo::PageReq;
use etalase_db::repo::products::ProductFilter;
use etalase_domain::roles::Role;

use super::ctx::{Nav, PageError, PageResult, render};
use super::pager::Pager;
use crate::auth::CurrentUser;
use crate::pages::ctx::PageQuery;
use crate::service::catalog::products;
use crate::service::catalog::views::ProductView;
use crate::service::producers;
use crate::state::AppState;
use attachments::{add_certificate, change_photo, remove_certificate, upload_photos};
use edit::{action, create, delete_product, edit_form, new_form, save};
use serde::Deserialize;

pub fn router(config: &crate::config::Config) -> Router<AppState> {
    Router::new()
        .route("/produk-saya", get(list))
        .route("/produk-saya/baru", get(new_form).post(create))
        .route("/produk-saya/{id}", get(edit_form).post(save))
        .route("/produk-saya/{id}/aksi", post(action))
        .route(
            "/produk-saya/{id}/sertifikat",
            post(add_certificate)
                .layer(DefaultBodyLimit::max(config.document_upload_bytes()))
                .layer(axum::middleware::map_response(crate::service::upload::close_on_refusal)),
        )
        .route("/produk-saya/{id}/sertifikat/{cid}/hapus", post(remove_certificate))
        .route(
            "/produk-saya/{id}/foto",
            post(upload_photos)
                .layer(DefaultBodyLimit::max(config.photo_upload_bytes()))
                .layer(axum::middleware::map_response(crate::service::upload::close_on_refusal)),
        )
        .route("/produk-saya/{id}/foto/{pid}", post(change_photo))
        .route("/produk-saya/{id}/hapus", post(delete_product))
}

#[derive(Template)]
#[template(path = "products_list.html")]
struct ListPage {
    nav: Nav,
    has_producer: bool,
    items: Vec<ProductView>,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    page: Option<u64>,
}

/// How many of the owner's products one page shows.
const PER_PAGE: u64 = 24;

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    PageQuery(q): PageQuery<ListQuery>,
) -> PageResult {
    user.require(&[Role::Umkm]).map_err(PageError)?;
    let has_producer = producers::mine(&state, &user).await?.is_some();
    let f = ProductFilter { recently_changed_first: true, ..Default::default() };
    let total = products::list(&state, &user, f.clone(), PageReq::new(1, 1)).await?.total;
    let pager = Pager::new("/produk-saya", &[], q.page, PER_PAGE, total, "produk");
    let page = products::list(&state, &user, f, PageReq::new(pager.page, PER_PAGE)).await?;
    let items = products::views(&state, &page.items).await?;
    let nav = Nav::for_user(&user);
    Ok(render(&ListPage { nav: nav.clone(), has_producer, items, pager }, &nav))
}
