//! Retail side: chains (jaringan) and stores (gerai) — registered by the Dinas (any) or a
//! chain office (its own stores), one at a time or by importing a CSV/XLSX list (through
//! `service::imports`, kind `gerai`) — and who may act for which store: a store manager for
//! their own store, a chain office for its chain's stores. The Dinas and admins read everything.

pub mod sheet;
mod views;

pub use views::{ChainView, StoreView};

use etalase_db::entities::{chain, store};
use etalase_db::repo::stores::{self as repo, StoreFilter};
use etalase_db::repo::{Page, PageReq, Versioned, audit, chains, versioned};
use etalase_domain::error::{FieldError, ValidationErrors};
use etalase_domain::roles::Role;
use etalase_domain::store::{ChainKind, StoreInput, ValidStore};
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, Set};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;

const WHAT: &str = "Gerai";

/// A new chain (Dinas or admin).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainInput {
    /// Short unique code, e.g. `SM`.
    pub code: String,
    pub name: String,
    /// `national`, `local` or `independent`.
    pub kind: String,
}

/// True when `user` acts for the store side of `s` (its manager or its chain's office).
pub fn acts_for_store(user: &CurrentUser, s: &store::Model) -> bool {
    match user.role {
        Role::Store => user.store_id == Some(s.id),
        Role::Chain => user.chain_id.is_some() && user.chain_id == s.chain_id,
        _ => false,
    }
}

/// True when `user` may see `s` and what happens there (its side, the Dinas, admins).
pub fn sees_store(user: &CurrentUser, s: &store::Model) -> bool {
    matches!(user.role, Role::Dinas | Role::Admin) || acts_for_store(user, s)
}

/// A store `user` may act for; 404 when missing, 403 when it is someone else's.
pub async fn store_for_side(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> AppResult<store::Model> {
    let s = repo::find(&state.db, id).await?.ok_or(AppError::NotFound(WHAT))?;
    if acts_for_store(user, &s) {
        return Ok(s);
    }
    Err(AppError::Forbidden("Anda hanya boleh bertindak untuk gerai Anda sendiri.".into()))
}

/// A store `user` may see: every store for the Dinas, admins and UMKM; one's own for the
/// store side (another's is "not found").
pub async fn get(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<store::Model> {
    let s = repo::find(&state.db, id).await?.ok_or(AppError::NotFound(WHAT))?;
    if user.role.is_retail() && !acts_for_store(user, &s) {
        return Err(AppError::NotFound(WHAT));
    }
    Ok(s)
}

pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    mut f: StoreFilter,
    req: PageReq,
) -> AppResult<Page<store::Model>> {
    match user.role {
        Role::Store => f.store_id = Some(user.store_id.unwrap_or(-1)),
        Role::Chain => f.chain_id = Some(user.chain_id.unwrap_or(-1)),
        _ => {}
    }
    Ok(repo::list(&state.db, &f, req).await?)
}

pub async fn chains(state: &AppState) -> AppResult<Vec<chain::Model>> {
    Ok(chains::all(&state.db).await?)
}

pub async fn create_chain(
    state: &AppState,
    user: &CurrentUser,
    input: ChainInput,
) -> AppResult<chain::Model> {
    user.require(&[Role::Dinas, Role::Admin])?;
    let mut e = ValidationErrors::new();
    let code = input.code.trim().to_ascii_uppercase();
    if code.len() < 2 || code.len() > 16 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        e.push(FieldError::new(
            "code",
            "invalid_format",
            "Kode jaringan 2–16 huruf/angka, contoh SM.",
        ));
    }
    let name = input.name.trim().to_string();
    if !(3..=120).contains(&name.chars().count()) {
        e.push(FieldError::new("name", "out_of_range", "Nama jaringan 3–120 karakter."));
    }
    let kind = e.field(ChainKind::parse_field("kind", &input.kind));
    let Some(kind) = kind.filter(|_| e.is_empty()) else { return Err(e.into()) };
    if chains::find_by_code(&state.db, &code).await?.is_some() {
        return Err(AppError::conflict(
            ErrorCode::AlreadyExists,
            format!("Kode jaringan {code} sudah terdaftar."),
        ));
    }
    let now = state.clock.now();
    let m = chains::insert(
        &state.db,
        chain::ActiveModel {
            id: NotSet,
            code: Set(code),
            name: Set(name),
            kind: Set(kind),
            created_at: Set(now),
        },
    )
    .await?;
    audit::record(&state.db, Some(user.id), "chain_create", "chain", m.id, None, now).await?;
    Ok(m)
}

/// Resolves the chain of a store input for `user`: a chain office may only use its own chain.
pub(crate) async fn chain_for(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    code: Option<&str>,
) -> Result<Option<i64>, FieldError> {
    let found = match code {
        Some(c) => match chains::find_by_code(db, c).await {
            Ok(Some(ch)) => Some(ch.id),
            Ok(None) => {
                return Err(FieldError::new(
                    "chain_code",
                    "unknown_chain",
                    format!("Jaringan dengan kode {c} belum terdaftar."),
                ));
            }
            Err(_) => {
                return Err(FieldError::new(
                    "chain_code",
                    "unknown_chain",
                    "Jaringan tidak bisa diperiksa.",
                ));
            }
        },
        None => None,
    };
    own_chain_rule(user.role, user.chain_id, found)
}

/// The chain a store gets from `role` (with its `own` chain) asking for `found`: a chain office
/// only its own (an empty one means its own); anyone else what they asked for.
pub(crate) fn own_chain_rule(
    role: Role,
    own: Option<i64>,
    found: Option<i64>,
) -> Result<Option<i64>, FieldError> {
    if role != Role::Chain {
        return Ok(found);
    }
    match (found, own) {
        (None, Some(own)) => Ok(Some(own)),
        (Some(id), Some(own)) if id == own => Ok(Some(id)),
        _ => Err(FieldError::new(
            "chain_code",
            "not_your_chain",
            "Kantor jaringan hanya boleh mendaftarkan gerai jaringannya sendiri.",
        )),
    }
}

pub(crate) fn apply(
    am: &mut store::ActiveModel,
    v: &ValidStore,
    chain_id: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
) {
    am.chain_id = Set(chain_id);
    am.code = Set(v.code.clone());
    am.name = Set(v.name.clone());
    am.format = Set(v.format);
    am.address = Set(v.address.clone());
    am.kelurahan_code = Set(v.kelurahan.code.clone());
    am.kecamatan_code = Set(v.kelurahan.kecamatan_code.clone());
    am.lat = Set(v.lat);
    am.lon = Set(v.lon);
    am.local_facings = Set(v.local_facings);
    am.updated_at = Set(now);
}

/// Inserts one validated store (inside the caller's transaction).
pub(crate) async fn insert_valid(
    db: &impl ConnectionTrait,
    v: &ValidStore,
    chain_id: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<store::Model, sea_orm::DbErr> {
    let mut am = store::ActiveModel {
        id: NotSet,
        version: Set(1),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut am, v, chain_id, now);
    repo::insert(db, am).await
}

pub fn require_registrar(user: &CurrentUser) -> AppResult<()> {
    user.require(&[Role::Dinas, Role::Admin, Role::Chain])
}

#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    input: StoreInput,
) -> AppResult<store::Model> {
    require_registrar(user)?;
    let v = input.validate()?;
    let chain_id = chain_for(&state.db, user, v.chain_code.as_deref()).await?;
    if repo::find_by_code(&state.db, &v.code).await?.is_some() {
        return Err(AppError::field(
            "code",
            "already_exists",
            format!("Kode gerai {} sudah terdaftar.", v.code),
        ));
    }
    let now = state.clock.now();
    let txn = etalase_db::begin_write(&state.db).await?;
    let m = insert_valid(&txn, &v, chain_id, now).await?;
    audit::record(&txn, Some(user.id), "store_create", "store", m.id, None, now).await?;
    txn.commit().await?;
    Ok(m)
}

/// The input form of a stored store (for PATCH merges and edit forms).
pub async fn input_of(state: &AppState, s: &store::Model) -> AppResult<StoreInput> {
    let chain_code = match s.chain_id {
        Some(id) => chains::find(&state.db, id).await?.map(|c| c.code),
        None => None,
    };
    Ok(StoreInput {
        code: s.code.clone(),
        name: s.name.clone(),
        chain_code,
        format: s.format.as_str().into(),
        address: s.address.clone(),
        kelurahan_code: s.kelurahan_code.clone(),
        lat: s.lat,
        lon: s.lon,
        local_facings: s.local_facings,
    })
}

/// Edits a store (Dinas, admin, or its chain's office); `version` must match.
#[tracing::instrument(skip(state, body), fields(user = user.id))]
pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    body: Value,
) -> AppResult<store::Model> {
    require_registrar(user)?;
    let current = get(state, user, id).await?;
    if user.role == Role::Chain && !acts_for_store(user, &current) {
        return Err(AppError::NotFound(WHAT));
    }
    let (version, input) = super::patch::merge(&input_of(state, &current).await?, body)?;
    let v = input.validate()?;
    let chain_id = chain_for(&state.db, user, v.chain_code.as_deref()).await?;
    if v.code != current.code && repo::find_by_code(&state.db, &v.code).await?.is_some() {
        return Err(AppError::field(
            "code",
            "already_exists",
            format!("Kode gerai {} sudah terdaftar.", v.code),
        ));
    }
    let now = state.clock.now();
    let mut am = store::ActiveModel { version: Set(version + 1), ..Default::default() };
    apply(&mut am, &v, chain_id, now);
    let txn = etalase_db::begin_write(&state.db).await?;
    let m = match versioned::update(&txn, id, version, am).await? {
        Versioned::Updated(m) => m,
        Versioned::Stale => return Err(AppError::version_conflict()),
        Versioned::Missing => return Err(AppError::NotFound(WHAT)),
    };
    audit::record(&txn, Some(user.id), "store_update", "store", id, None, now).await?;
    txn.commit().await?;
    Ok(m)
}
