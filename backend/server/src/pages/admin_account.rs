//! `/admin/pengguna/{id}`: the admin opens one account, edits its name, role and chain/store
//! link, and turns it off ("Nonaktifkan akun", after a confirmation page that says what will
//! happen: every session and API token ends at once, login is refused) or on again.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use etalase_db::entities::user;
use etalase_domain::roles::Role;

use super::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, render, render_status};
use super::flash::see_other_flash;
use super::forms::FormData;
use super::producer::Choices;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::ctx::PagePath;
use crate::service::accounts::{self, AccountEdit};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/pengguna/{id}", get(show).post(save))
        .route("/admin/pengguna/{id}/nonaktifkan", get(confirm_disable).post(disable))
        .route("/admin/pengguna/{id}/aktifkan", post(enable))
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct AccountPage {
    nav: Nav,
    account: user::Model,
    role_label: String,
    created: String,
    sessions: u64,
    is_self: bool,
    roles: Choices,
    chains: Choices,
    stores: Choices,
    display_name: String,
    role: String,
    chain_id: String,
    store_id: String,
    errors: FormErrors,
}

fn opt_id(v: Option<i64>) -> String {
    v.map(|i| i.to_string()).unwrap_or_default()
}

async fn page(
    state: &AppState,
    admin: &CurrentUser,
    id: i64,
    form: Option<&FormData>,
    errors: FormErrors,
) -> PageResult {
    let account = accounts::account(state, admin, id).await?;
    let sessions =
        etalase_db::repo::accounts::open_sessions(&state.db, id, state.clock.now()).await?;
    let chains = crate::service::retail::chains(state).await?;
    let stores =
        etalase_db::repo::stores::all(&state.db, &etalase_db::repo::stores::StoreFilter::default())
            .await?;
    let nav = Nav::for_user(admin);
    let status = if errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let field = |k: &str, dflt: String| form.map(|f| f.text(k)).unwrap_or(dflt);
    let p = AccountPage {
        nav: nav.clone(),
        role_label: account.role.label().to_string(),
        created: etalase_domain::datefmt::format_datetime_wib(account.created_at),
        sessions,
        is_self: id == admin.id,
        roles: Role::all().iter().map(|r| (r.as_str().into(), r.label().into())).collect(),
        chains: chains
            .iter()
            .map(|c| (c.id.to_string(), format!("{} — {}", c.code, c.name)))
            .collect(),
        stores: stores
            .iter()
            .map(|s| (s.id.to_string(), format!("{} — {}", s.code, s.name)))
            .collect(),
        display_name: field("display_name", account.display_name.clone()),
        role: field("role", account.role.as_str().to_string()),
        chain_id: field("chain_id", opt_id(account.chain_id)),
        store_id: field("store_id", opt_id(account.store_id)),
        account,
        errors,
    };
    Ok(render_status(&p, &nav, status))
}

async fn show(
    State(state): State<AppState>,
    admin: CurrentUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    page(&state, &admin, id, None, FormErrors::default()).await
}

async fn save(
    State(state): State<AppState>,
    admin: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&admin), &headers, form.csrf())?;
    let mut errs = etalase_domain::error::ValidationErrors::new();
    let chain_id = form.int("chain_id", &mut errs);
    let store_id = form.int("store_id", &mut errs);
    if !errs.is_empty() {
        return page(&state, &admin, id, Some(&form), FormErrors(errs.0)).await;
    }
    let edit = AccountEdit {
        display_name: form.text("display_name"),
        role: form.text("role"),
        chain_id,
        store_id,
    };
    match accounts::update(&state, &admin, id, edit).await {
        Ok(u) => Ok(see_other_flash(
            &format!("/admin/pengguna/{id}"),
            &format!("Akun {} disimpan.", u.email),
        )),
        Err(AppError::Validation(v)) => {
            page(&state, &admin, id, Some(&form), FormErrors(v.0)).await
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Template)]
#[template(path = "admin_user_disable.html")]
struct DisablePage {
    nav: Nav,
    account: user::Model,
    role_label: String,
    sessions: u64,
}

async fn confirm_disable(
    State(state): State<AppState>,
    admin: CurrentUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let account = accounts::account(&state, &admin, id).await?;
    if id == admin.id {
        return Err(PageError(AppError::conflict(
            crate::error::ErrorCode::InvalidTransition,
            "Anda tidak bisa menonaktifkan akun Anda sendiri.",
        )));
    }
    let sessions =
        etalase_db::repo::accounts::open_sessions(&state.db, id, state.clock.now()).await?;
    let nav = Nav::for_user(&admin);
    let p = DisablePage {
        nav: nav.clone(),
        role_label: account.role.label().into(),
        account,
        sessions,
    };
    Ok(render(&p, &nav))
}

async fn disable(
    State(state): State<AppState>,
    admin: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&admin), &headers, form.csrf())?;
    let u = accounts::set_active(&state, &admin, id, false).await?;
    Ok(see_other_flash(
        &format!("/admin/pengguna/{id}"),
        &format!("Akun {} dinonaktifkan; semua sesinya sudah diakhiri.", u.email),
    ))
}

async fn enable(
    State(state): State<AppState>,
    admin: CurrentUser,
    PagePath(id): PagePath<i64>,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&admin), &headers, form.csrf())?;
    let u = accounts::set_active(&state, &admin, id, true).await?;
    Ok(see_other_flash(
        &format!("/admin/pengguna/{id}"),
        &format!("Akun {} aktif kembali; pemiliknya bisa masuk lagi.", u.email),
    ))
}
