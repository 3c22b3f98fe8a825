//! `/kotak-masuk`: what needs the caller's answer (offers from the other side) and their
//! agreements about to start or end — for store managers, chain offices and UMKM alike.

use askama::Template;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use etalase_domain::roles::Role;

use super::ctx::{render, Nav, PageError, PageResult};
use crate::auth::CurrentUser;
use crate::service::agreements::{self, InboxItem};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/kotak-masuk", get(inbox))
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    nav: Nav,
    awaiting: Vec<InboxItem>,
    upcoming: Vec<InboxItem>,
}

async fn inbox(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    user.require(&[Role::Store, Role::Chain, Role::Umkm]).map_err(PageError)?;
    let (awaiting, upcoming): (Vec<_>, Vec<_>) = agreements::inbox(&state, &user).await?.into_iter().partition(|i| i.kind == "awaiting_answer");
    let nav = Nav::for_user(&user);
    Ok(render(&InboxPage { nav: nav.clone(), awaiting, upcoming }, &nav))
}
