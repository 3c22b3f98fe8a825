//! Surat teguran as pages, in two steps: the Dinas writes an optional paragraph, sees a preview
//! of exactly the letter that will be sent (letterhead, recipient store and chain by name, date,
//! body, legal basis, signature block), then confirms; only a POST with `confirm=1` sends.
//! "Ubah" goes back to the paragraph. Also the notices list (Dinas, chain office, manager).

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use etalase_db::repo::{chains, stores};
use etalase_domain::compliance::Level;
use etalase_domain::datefmt::format_date_id;

use super::detail;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::ctx::PagePath;
use crate::pages::ctx::{Nav, PageError, PageResult, check_csrf, render};
use crate::pages::flash::see_other_flash;
use crate::pages::forms::FormData;
use crate::service::compliance::{self as svc, LETTERHEAD, NewNotice, NoticeView};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "compliance_notice.html")]
struct NoticePage {
    nav: Nav,
    store_id: i64,
    store_name: String,
    chain_name: String,
    /// Writing the paragraph (true) or previewing the letter (false).
    editing: bool,
    note: String,
    level_label: String,
    date_label: String,
    officer: String,
    letterhead: [&'static str; 3],
    body: String,
}

async fn notice_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    note: Option<String>,
    editing: bool,
) -> PageResult {
    let input = NewNotice { store_id: id, note: note.clone() };
    let d = match svc::draft_notice(state, user, &input).await {
        Ok(d) => d,
        Err(e @ AppError::Validation(_)) => {
            return detail::page(state, user, id, None, Some(e.problem().detail)).await;
        }
        Err(e) => return Err(PageError(e)),
    };
    let nav = Nav::for_user(user);
    let page = NoticePage {
        nav: nav.clone(),
        store_id: d.store.id,
        store_name: d.store.name.clone(),
        chain_name: d.chain_name.clone().unwrap_or_else(|| "gerai mandiri".into()),
        editing,
        note: note.unwrap_or_default(),
        level_label: d.level.label().into(),
        date_label: format_date_id(d.date),
        officer: user.display_name.clone(),
        letterhead: LETTERHEAD,
        body: d.body,
    };
    Ok(render(&page, &nav))
}

/// `GET /kepatuhan/toko/{id}/teguran`: the paragraph form.
pub(super) async fn compose(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    notice_page(&state, &user, id, None, true).await
}

/// `POST /kepatuhan/toko/{id}/teguran`: the preview; with `ubah` back to the paragraph; with
/// `confirm=1` the notice is sent.
pub(super) async fn send_notice(
    State(state): State<AppState>,
    user: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    if form.opt("ubah").is_some() {
        return notice_page(&state, &user, id, form.opt("note"), true).await;
    }
    if form.text("confirm") != "1" {
        return notice_page(&state, &user, id, form.opt("note"), false).await;
    }
    let input = NewNotice { store_id: id, note: form.opt("note") };
    match svc::send_notice(&state, &user, input).await {
        Ok(n) => {
            let name = stores::find(&state.db, n.store_id)
                .await
                .map_err(AppError::from)?
                .map(|s| s.name)
                .unwrap_or_default();
            Ok(see_other_flash(
                &format!("/kepatuhan/toko/{}#teguran", n.store_id),
                &format!("Surat teguran dikirim ke {name}."),
            ))
        }
        Err(e @ AppError::Validation(_)) => {
            detail::page(&state, &user, id, None, Some(e.problem().detail)).await
        }
        Err(e) => Err(PageError(e)),
    }
}

/// One notice with its store and chain by name.
pub struct NoticeRow {
    pub n: NoticeView,
    pub store_name: String,
    pub store_code: String,
    pub chain_name: String,
    pub kecamatan: String,
    pub level_label: String,
    pub date_label: String,
}

#[derive(Template)]
#[template(path = "compliance_notices.html")]
struct NoticesPage {
    nav: Nav,
    notices: Vec<NoticeRow>,
}

pub(super) async fn notices(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    let rows = notice_rows(&state, svc::list_notices(&state, &user).await?).await?;
    let nav = Nav::for_user(&user);
    Ok(render(&NoticesPage { nav: nav.clone(), notices: rows }, &nav))
}

/// The notices with their stores and chains by name, their level's label and date.
pub(crate) async fn notice_rows(
    state: &AppState,
    notices: Vec<NoticeView>,
) -> Result<Vec<NoticeRow>, AppError> {
    let mut ids: Vec<i64> = notices.iter().map(|n| n.store_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let by_id: HashMap<i64, etalase_db::entities::store::Model> =
        stores::find_many(&state.db, ids).await?.into_iter().map(|s| (s.id, s)).collect();
    let chain_names: HashMap<i64, String> =
        chains::all(&state.db).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let w = etalase_domain::wilayah::kota_serang();
    Ok(notices
        .into_iter()
        .map(|n| {
            let s = by_id.get(&n.store_id);
            NoticeRow {
                store_name: s.map(|s| s.name.clone()).unwrap_or_default(),
                store_code: s.map(|s| s.code.clone()).unwrap_or_default(),
                chain_name: n
                    .chain_id
                    .and_then(|c| chain_names.get(&c).cloned())
                    .unwrap_or_else(|| "Gerai mandiri".into()),
                kecamatan: s
                    .and_then(|s| w.kecamatan_by_code(&s.kecamatan_code))
                    .map(|k| k.name.clone())
                    .unwrap_or_default(),
                level_label: Level::from_code(&n.level)
                    .map(|l| l.label().to_string())
                    .unwrap_or_else(|| n.level.clone()),
                date_label: format_date_id(n.issued_on),
                n,
            }
        })
        .collect())
}
