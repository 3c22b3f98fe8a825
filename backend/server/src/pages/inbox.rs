//! `/kotak-masuk`: what needs the caller's answer (offers from the other side) and their
//! agreements about to start or end — for store managers, chain offices and UMKM alike — and,
//! for chain offices and store managers, the Dinas' surat teguran.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use etalase_domain::roles::Role;

use super::ctx::{Nav, PageError, PageResult, render};
use crate::auth::CurrentUser;
use crate::pages::compliance::notices::{NoticeRow, notice_rows};
use crate::service::agreements::{self, AgreementView};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/kotak-masuk", get(inbox))
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    nav: Nav,
    awaiting: Vec<Entry>,
    upcoming: Vec<Entry>,
    notices: Vec<NoticeRow>,
}

/// An agreement entry of the inbox.
struct Entry {
    message: String,
    agreement: AgreementView,
}

async fn inbox(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    user.require(&[Role::Store, Role::Chain, Role::Umkm]).map_err(PageError)?;
    let (mut awaiting, mut upcoming, mut notices) = (vec![], vec![], vec![]);
    for i in agreements::inbox(&state, &user).await? {
        match (i.agreement, i.notice) {
            (Some(agreement), _) if i.kind == "awaiting_answer" => {
                awaiting.push(Entry { message: i.message, agreement })
            }
            (Some(agreement), _) => upcoming.push(Entry { message: i.message, agreement }),
            (None, Some(n)) => notices.push(n),
            (None, None) => {}
        }
    }
    let notices = notice_rows(&state, notices).await?;
    crate::service::accounts::mark_inbox_seen(&state, &user).await?;
    let mut nav = Nav::for_user(&user);
    nav.inbox_unread = 0;
    Ok(render(&InboxPage { nav: nav.clone(), awaiting, upcoming, notices }, &nav))
}
