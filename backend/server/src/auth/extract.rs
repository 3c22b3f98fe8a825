//! Who is calling: a bearer token (API) or the session cookie (pages). `ApiUser` also checks
//! the CSRF header when a cookie session changes something through the API.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use etalase_db::repo::sessions;
use etalase_domain::roles::Role;

use super::session::{COOKIE_NAME, SessionKind, token_hash};
use crate::error::AppError;
use crate::state::AppState;

/// The signed-in caller.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub display_name: String,
    pub session: SessionKind,
    pub csrf: String,
    pub token_hash: String,
    /// The chain a `chain` or `store` account belongs to.
    pub chain_id: Option<i64>,
    /// The store a `store` account runs.
    pub store_id: Option<i64>,
}

impl CurrentUser {
    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }

    /// Refuses unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            let names: Vec<&str> = roles.iter().map(|r| r.label()).collect();
            Err(AppError::Forbidden(format!(
                "Hanya {} yang boleh melakukan ini.",
                names.join(" atau ")
            )))
        }
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let v = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim())
}

pub fn cookie_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE_NAME)
        .map(|(_, v)| v.to_string())
}

/// The caller as already identified for this request (the pages' middleware looks once and
/// leaves the answer here, so extractors do not ask the database again).
#[derive(Debug, Clone)]
pub struct Identified(pub Option<CurrentUser>);

/// Identifies the caller, if any. A bad or expired token is the same as none.
pub async fn identify(parts: &Parts, state: &AppState) -> Result<Option<CurrentUser>, AppError> {
    if let Some(Identified(known)) = parts.extensions.get::<Identified>() {
        return Ok(known.clone());
    }
    let (token, kind) = match bearer(parts) {
        Some(t) => (t.to_string(), SessionKind::Api),
        None => match cookie_token(parts) {
            Some(t) => (t, SessionKind::Web),
            None => return Ok(None),
        },
    };
    let hash = token_hash(&token);
    let Some((s, u)) = sessions::find_valid(&state.db, &hash, state.clock.now()).await? else {
        return Ok(None);
    };
    if s.kind != kind {
        return Ok(None);
    }
    let role = u.role;
    Ok(Some(CurrentUser {
        id: u.id,
        email: u.email,
        role,
        display_name: u.display_name,
        session: kind,
        csrf: s.csrf_token,
        token_hash: hash,
        chain_id: u.chain_id,
        store_id: u.store_id,
    }))
}

/// Optional caller (public pages and endpoints).
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(MaybeUser(identify(parts, state).await?))
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        identify(parts, state).await?.ok_or(AppError::Unauthorized)
    }
}

/// API caller: like `CurrentUser`, and a cookie session that changes something must send its
/// CSRF token in `X-CSRF-Token`.
pub struct ApiUser(pub CurrentUser);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = identify(parts, state).await?.ok_or(AppError::Unauthorized)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if user.session == SessionKind::Web && !safe {
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
            if sent != Some(user.csrf.as_str()) {
                return Err(AppError::Forbidden(
                    "Token CSRF tidak ada atau tidak cocok. Muat ulang halaman lalu coba lagi."
                        .into(),
                ));
            }
        }
        Ok(ApiUser(user))
    }
}

/// The client's address for throttling: the socket peer, or the configured trusted-proxy
/// header's address (`auth::throttle::client_address`).
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0)
            .unwrap_or_else(|| std::net::SocketAddr::from(([0, 0, 0, 0], 0)));
        Ok(ClientAddr(super::throttle::client_address(&state.config, peer, &parts.headers)))
    }
}
