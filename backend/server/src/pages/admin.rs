//! `/admin/pengguna`: the admin creates Dinas, chain, store (and other) accounts and sees the
//! accounts there are.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use etalase_db::repo::{PageReq, users as repo};
use etalase_domain::roles::Role;
use repo::{UserFilter, UserSort};
use serde::Deserialize;

use super::ctx::{FormErrors, Nav, PageError, PageResult, check_csrf, render};
use super::forms::FormData;
use super::pager::Pager;
use super::producer::Choices;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::ApiQuery;
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
    /// "Menampilkan 1–50 dari 304 akun" and the page links.
    pager: Pager,
    /// The list's search, role filter and order.
    list: UsersQuery,
    list_error: Option<String>,
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

const USERS_PER_PAGE: u64 = 50;

/// `/admin/pengguna?q=&role=&sort=&dir=&page=`: the account list's search, filter and order.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct UsersQuery {
    /// Words in the name or email.
    q: Option<String>,
    role: Option<Role>,
    /// `created` (default), `name`, `email`, `role`.
    sort: Option<String>,
    /// `asc` or `desc` (default: newest first for `created`, A–Z otherwise).
    dir: Option<String>,
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    page: Option<u64>,
}

impl UsersQuery {
    fn sort_key(&self) -> &str {
        match self.sort.as_deref() {
            Some(s @ ("name" | "email" | "role")) => s,
            _ => "created",
        }
    }
    fn descending(&self) -> bool {
        match self.dir.as_deref() {
            Some("desc") => true,
            Some("asc") => false,
            _ => self.sort_key() == "created",
        }
    }
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone().unwrap_or_default()),
            ("role", self.role.map(|r| r.as_str().to_string()).unwrap_or_default()),
            ("sort", self.sort.clone().unwrap_or_default()),
            ("dir", self.dir.clone().unwrap_or_default()),
        ]
    }
}

/// One page of the account list.
async fn account_list(
    state: &AppState,
    q: &UsersQuery,
) -> Result<(Vec<UserView>, Pager), AppError> {
    let f = UserFilter {
        q: q.q.clone(),
        role: q.role,
        sort: match q.sort_key() {
            "name" => UserSort::Name,
            "email" => UserSort::Email,
            "role" => UserSort::Role,
            _ => UserSort::Created,
        },
        descending: q.descending(),
    };
    let want = q.page.unwrap_or(1);
    let mut list = repo::search(&state.db, &f, PageReq::new(want, USERS_PER_PAGE)).await?;
    let pager =
        Pager::new("/admin/pengguna", &q.pairs(), Some(want), USERS_PER_PAGE, list.total, "akun");
    if pager.page != want {
        list = repo::search(&state.db, &f, PageReq::new(pager.page, USERS_PER_PAGE)).await?;
    }
    Ok((list.items.iter().map(UserView::from).collect(), pager))
}

impl UsersPage {
    fn opt(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
    fn role_filter(&self) -> &str {
        self.list.role.map(|r| r.as_str()).unwrap_or("")
    }
    /// The header link that orders by `key` (again: the other way round).
    fn sort_link(&self, key: &str) -> String {
        let dir = if self.list.sort_key() == key {
            if self.list.descending() { "asc" } else { "desc" }
        } else if key == "created" {
            "desc"
        } else {
            "asc"
        };
        let mut pairs = self.list.pairs();
        pairs.retain(|(k, _)| *k != "sort" && *k != "dir");
        pairs.push(("sort", key.to_string()));
        pairs.push(("dir", dir.to_string()));
        let qs = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs.iter().filter(|(_, v)| !v.is_empty()))
            .finish();
        format!("/admin/pengguna?{qs}")
    }
    /// `aria-sort` for the header of `key`, empty when the list is not ordered by it.
    fn aria_sort(&self, key: &str) -> &'static str {
        match (self.list.sort_key() == key, self.list.descending()) {
            (false, _) => "",
            (true, true) => "descending",
            (true, false) => "ascending",
        }
    }
    fn arrow(&self, key: &str) -> &'static str {
        match self.aria_sort(key) {
            "descending" => " ↓",
            "ascending" => " ↑",
            _ => "",
        }
    }
    fn created(&self, u: &UserView) -> String {
        etalase_domain::datefmt::format_date_id(etalase_domain::datefmt::date_wib(u.created_at))
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    form: Option<&FormData>,
    errors: FormErrors,
    notice: Option<String>,
) -> PageResult {
    page_with(state, user, form, errors, notice, UsersQuery::default(), None).await
}

async fn page_with(
    state: &AppState,
    user: &CurrentUser,
    form: Option<&FormData>,
    errors: FormErrors,
    notice: Option<String>,
    list_query: UsersQuery,
    list_error: Option<String>,
) -> PageResult {
    user.require(&[Role::Admin]).map_err(PageError)?;
    let (users, pager) = account_list(state, &list_query).await?;
    let mut nav = Nav::for_user(user);
    nav.notice = notice;
    let all_chains = crate::service::retail::chains(state).await?;
    let all_stores =
        etalase_db::repo::stores::all(&state.db, &etalase_db::repo::stores::StoreFilter::default())
            .await?;
    let p = UsersPage {
        nav: nav.clone(),
        users,
        pager,
        list: list_query,
        list_error,
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

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<ApiQuery<UsersQuery>, AppError>,
) -> PageResult {
    let (q, err) = match query {
        Ok(ApiQuery(q)) => (q, None),
        Err(e) => (UsersQuery::default(), Some(e.problem().detail)),
    };
    page_with(&state, &user, None, FormErrors::default(), None, q, err).await
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
