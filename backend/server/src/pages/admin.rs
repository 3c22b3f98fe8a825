//! `/admin/pengguna`: the admin creates Dinas, chain, store (and other) accounts and sees the
//! accounts there are.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use etalase_db::repo::{PageReq, users as repo};
use etalase_domain::roles::Role;

use super::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, render};
use super::forms::FormData;
use super::producer::Choices;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::service::users::{self, NewAccountWithRole, UserView};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/pengguna", get(show).post(create))
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    nav: Nav,
    users: Vec<UserView>,
    total: u64,
    roles: Choices,
    email: String,
    display_name: String,
    role: String,
    /// Chains and stores to link a store or chain account to: (id, label).
    chains: Choices,
    stores: Choices,
    chain_id: String,
    store_id: String,
    errors: FormErrors,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    form: Option<&FormData>,
    errors: FormErrors,
    notice: Option<String>,
) -> PageResult {
    user.require(&[Role::Admin]).map_err(PageError)?;
    let list = repo::list(&state.db, None, PageReq::new(1, 100)).await?;
    let mut nav = Nav::for_user(user);
    nav.notice = notice;
    let all_chains = crate::service::retail::chains(state).await?;
    let all_stores =
        etalase_db::repo::stores::all(&state.db, &etalase_db::repo::stores::StoreFilter::default())
            .await?;
    let p = UsersPage {
        nav: nav.clone(),
        users: list.items.iter().map(UserView::from).collect(),
        total: list.total,
        roles: Role::all()
            .iter()
            .map(|r| (r.as_str().to_string(), r.label().to_string()))
            .collect(),
        email: form.map(|f| f.text("email")).unwrap_or_default(),
        display_name: form.map(|f| f.text("display_name")).unwrap_or_default(),
        role: form.map(|f| f.text("role")).unwrap_or_else(|| "dinas".into()),
        chains: all_chains
            .iter()
            .map(|c| (c.id.to_string(), format!("{} — {}", c.code, c.name)))
            .collect(),
        stores: all_stores
            .iter()
            .map(|s| (s.id.to_string(), format!("{} — {}", s.code, s.name)))
            .collect(),
        chain_id: form.map(|f| f.text("chain_id")).unwrap_or_default(),
        store_id: form.map(|f| f.text("store_id")).unwrap_or_default(),
        errors,
    };
    Ok(render(&p, &nav))
}

async fn show(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    page(&state, &user, None, FormErrors::default(), None).await
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> PageResult {
    check_csrf(Some(&user), &headers, form.csrf())?;
    let mut errs = etalase_domain::error::ValidationErrors::new();
    let chain_id = form.int("chain_id", &mut errs);
    let store_id = form.int("store_id", &mut errs);
    if !errs.is_empty() {
        return page(&state, &user, Some(&form), FormErrors(errs.0), None).await;
    }
    let body = NewAccountWithRole {
        email: form.text("email"),
        password: form.text("password"),
        display_name: form.text("display_name"),
        role: form.text("role"),
        chain_id,
        store_id,
    };
    match users::create_by_admin(&state, &user, body).await {
        Ok(u) => {
            page(
                &state,
                &user,
                None,
                FormErrors::default(),
                Some(format!("Akun {} dibuat.", u.email)),
            )
            .await
        }
        Err(AppError::Validation(v)) => {
            page(&state, &user, Some(&form), FormErrors(v.0), None).await
        }
        Err(AppError::Conflict { code, message }) => {
            page(
                &state,
                &user,
                Some(&form),
                FormErrors(vec![etalase_domain::error::FieldError::new(
                    "email",
                    code.as_str(),
                    message,
                )]),
                None,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}
