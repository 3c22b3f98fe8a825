//! Government demand (Perwal 74/2023 Pasal 11(b)–(e)): the Dinas (or an admin) registers
//! buyer organisations — a Perangkat Daerah or a BUMD — their yearly procurement budget and the
//! accounts that record for them; a buyer account records its purchases ([`purchases`]); the
//! Pasal 11(e) report shows each buyer's monthly share spent on local UMKM against 40%
//! ([`report`]). A buyer sees only its own organisation: another buyer's records are "not
//! found"; other roles are refused.

pub mod export;
pub mod purchases;
pub mod report;

use etalase_db::entities::procurement_buyer::{ActiveModel, Model};
use etalase_db::repo::{PageReq, audit, procurement as repo, producers};
use etalase_domain::code_enum::parse_choice;
use etalase_domain::error::ValidationErrors;
use etalase_domain::procurement::{BuyerKind, check_buyer_name, check_value, check_year};
use etalase_domain::producer::ProducerStatus;
use etalase_domain::roles::Role;
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;

pub(crate) const BUYER: &str = "Perangkat Daerah/BUMD";

/// Whose procurement a caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Dinas and admins: every buyer.
    All,
    /// A buyer account: its own organisation.
    Own(i64),
}

impl Scope {
    /// The buyer filter for a request asking for `wanted`: a buyer asking for another
    /// organisation is "not found".
    pub fn filter(self, wanted: Option<i64>) -> AppResult<Option<i64>> {
        match (self, wanted) {
            (Scope::All, w) => Ok(w),
            (Scope::Own(b), None) => Ok(Some(b)),
            (Scope::Own(b), Some(w)) if w == b => Ok(Some(b)),
            (Scope::Own(_), Some(_)) => Err(AppError::NotFound(BUYER)),
        }
    }
}

/// What `user` may see; other roles are refused.
pub async fn scope(state: &AppState, user: &CurrentUser) -> AppResult<Scope> {
    match user.role {
        Role::Dinas | Role::Admin => Ok(Scope::All),
        Role::Buyer => own_buyer(state, user).await.map(Scope::Own),
        _ => Err(AppError::Forbidden(
            "Data pengadaan hanya untuk Dinas dan Perangkat Daerah/BUMD.".into(),
        )),
    }
}

/// The organisation a buyer account records for.
pub async fn own_buyer(state: &AppState, user: &CurrentUser) -> AppResult<i64> {
    user.require(&[Role::Buyer])?;
    repo::buyer_of_user(&state.db, user.id).await?.ok_or_else(|| {
        AppError::Forbidden(
            "Akun ini belum terhubung ke Perangkat Daerah/BUMD. Hubungi Dinas.".into(),
        )
    })
}

fn require_dinas(user: &CurrentUser) -> AppResult<()> {
    crate::service::compliance::require_dinas(user)
}

/// A buyer organisation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BuyerView {
    pub id: i64,
    pub name: String,
    /// `perangkat_daerah` or `bumd`.
    pub kind: String,
    pub kind_label: String,
}

impl From<&Model> for BuyerView {
    fn from(m: &Model) -> Self {
        BuyerView {
            id: m.id,
            name: m.name.clone(),
            kind: m.kind.as_str().into(),
            kind_label: m.kind.label().into(),
        }
    }
}

/// A buyer organisation to register.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBuyer {
    #[serde(default)]
    pub name: String,
    /// `perangkat_daerah` or `bumd`.
    #[serde(default)]
    pub kind: String,
}

/// The buyers `user` may see, by name.
pub async fn buyers(state: &AppState, user: &CurrentUser) -> AppResult<Vec<Model>> {
    let all = repo::buyers(&state.db).await?;
    Ok(match scope(state, user).await? {
        Scope::All => all,
        Scope::Own(b) => all.into_iter().filter(|m| m.id == b).collect(),
    })
}

/// One buyer `user` may see.
pub async fn buyer(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Model> {
    scope(state, user).await?.filter(Some(id))?;
    repo::find_buyer(&state.db, id).await?.ok_or(AppError::NotFound(BUYER))
}

/// The Dinas registers a buyer organisation.
#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn create_buyer(
    state: &AppState,
    user: &CurrentUser,
    input: NewBuyer,
) -> AppResult<Model> {
    require_dinas(user)?;
    let mut e = ValidationErrors::new();
    let name = e.field(check_buyer_name("name", &input.name));
    let kind = e.field(parse_choice::<BuyerKind>("kind", "jenis pembeli", &input.kind));
    let (Some(name), Some(kind)) = (name, kind) else {
        return Err(e.into());
    };
    if repo::find_buyer_by_name(&state.db, &name).await?.is_some() {
        return Err(AppError::conflict(
            ErrorCode::AlreadyExists,
            format!("\"{name}\" sudah terdaftar sebagai pembeli."),
        ));
    }
    let now = state.clock.now();
    let am = ActiveModel {
        name: Set(name),
        kind: Set(kind),
        created_by: Set(Some(user.id)),
        created_at: Set(now),
        ..Default::default()
    };
    let m = repo::insert_buyer(&state.db, am).await?;
    audit::record(
        &state.db,
        Some(user.id),
        "buyer_registered",
        "procurement_buyer",
        m.id,
        Some(m.name.clone()),
        now,
    )
    .await?;
    Ok(m)
}

/// A yearly procurement budget.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetInput {
    pub year: Option<i32>,
    /// Whole rupiah, 1 to Rp1 triliun.
    pub amount: Option<i64>,
}

/// The Dinas sets (or corrects) a buyer's budget of a year.
#[tracing::instrument(skip(state), fields(user = user.id))]
pub async fn set_budget(
    state: &AppState,
    user: &CurrentUser,
    buyer_id: i64,
    input: BudgetInput,
) -> AppResult<(i32, i64)> {
    require_dinas(user)?;
    let b = repo::find_buyer(&state.db, buyer_id).await?.ok_or(AppError::NotFound(BUYER))?;
    let mut e = ValidationErrors::new();
    let year = e.field(check_year("year", input.year));
    let amount = e.field(check_value("amount", "Anggaran pengadaan", input.amount));
    let (Some(year), Some(amount)) = (year, amount) else {
        return Err(e.into());
    };
    let now = state.clock.now();
    repo::set_budget(&state.db, b.id, year, amount, user.id, now).await?;
    let what = format!("{year}: Rp{amount}");
    audit::record(
        &state.db,
        Some(user.id),
        "buyer_budget_set",
        "procurement_buyer",
        b.id,
        Some(what),
        now,
    )
    .await?;
    Ok((year, amount))
}

/// A login for a buyer organisation.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuyerAccountInput {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub display_name: String,
}

/// The Dinas creates a `buyer` account recording for `buyer_id`.
#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn create_account(
    state: &AppState,
    user: &CurrentUser,
    buyer_id: i64,
    input: BuyerAccountInput,
) -> AppResult<etalase_db::entities::user::Model> {
    require_dinas(user)?;
    let b = repo::find_buyer(&state.db, buyer_id).await?.ok_or(AppError::NotFound(BUYER))?;
    let u = crate::service::users::create_account(
        state,
        &input.email,
        &input.password,
        &input.display_name,
        Role::Buyer,
    )
    .await?;
    repo::link_user(&state.db, u.id, b.id).await?;
    let now = state.clock.now();
    audit::record(
        &state.db,
        Some(user.id),
        "buyer_account_created",
        "procurement_buyer",
        b.id,
        Some(u.email.clone()),
        now,
    )
    .await?;
    Ok(u)
}

/// A verified business a buyer may name as supplier.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SupplierView {
    pub producer_id: i64,
    pub name: String,
    pub kelurahan: String,
}

/// Verified businesses whose name contains `q` (at most 20), for picking a supplier.
pub async fn suppliers(
    state: &AppState,
    user: &CurrentUser,
    q: &str,
) -> AppResult<Vec<SupplierView>> {
    scope(state, user).await?;
    let f = producers::ProducerFilter {
        status: Some(ProducerStatus::Verified),
        q: Some(q.chars().take(100).collect()),
        ..Default::default()
    };
    let page = producers::list(&state.db, &f, PageReq::new(1, 20)).await?;
    Ok(page
        .items
        .iter()
        .map(|p| SupplierView {
            producer_id: p.id,
            name: p.name.clone(),
            kelurahan: etalase_domain::parse_kelurahan("k", &p.kelurahan_code)
                .map(|k| k.name.clone())
                .unwrap_or_default(),
        })
        .collect())
}
