//! Producers: a UMKM registers its business; the Dinas verifies or rejects it.

use chrono::Utc;
use etalase_db::entities::producer::{ActiveModel, Model};
use etalase_db::repo::producers::{self as repo, ProducerFilter};
use etalase_db::repo::{Page, PageReq, Versioned, audit, products, versioned};
use etalase_domain::producer::{ProducerAction, ProducerInput, ProducerStatus, ValidProducer};
use etalase_domain::roles::Role;
use sea_orm::{ActiveValue::NotSet, Set};
use serde_json::Value;

use super::catalog::change::ListingChange;
use super::patch;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;

fn nib_taken() -> AppError {
    AppError::conflict(
        ErrorCode::NibTaken,
        "NIB ini sudah dipakai usaha lain yang terdaftar di Etalase.",
    )
}

fn producer_exists() -> AppError {
    AppError::conflict(
        ErrorCode::ProducerExists,
        "Akun ini sudah mendaftarkan usaha. Ubah data usaha yang ada.",
    )
}

/// The business's fields from a validated form (shared with the business import).
pub(crate) fn apply(am: &mut ActiveModel, v: &ValidProducer, now: chrono::DateTime<Utc>) {
    am.name = Set(v.name.clone());
    am.owner_name = Set(v.owner_name.clone());
    am.nib = Set(v.nib.as_ref().map(|n| n.as_str().to_string()));
    am.scale = Set(v.scale);
    am.capital_range = Set(v.capital_range);
    am.sales_range = Set(v.sales_range);
    am.risk_level = Set(v.risk_level);
    am.address = Set(v.address.clone());
    am.kelurahan_code = Set(v.kelurahan.code.clone());
    am.kecamatan_code = Set(v.kelurahan.kecamatan_code.clone());
    am.lat = Set(v.lat);
    am.lon = Set(v.lon);
    am.phone = Set(v.phone.clone());
    am.whatsapp = Set(v.whatsapp.clone());
    am.updated_at = Set(now);
}

/// What of the identity the Dinas verified an edit changes: NIB, business name, owner, kelurahan.
/// (Address lines, phone numbers, scale and risk level may be corrected without a new review.)
pub fn identity_changes(current: &Model, v: &ValidProducer) -> Vec<&'static str> {
    let mut out = Vec::new();
    if v.nib.as_ref().map(|n| n.as_str()) != current.nib.as_deref() {
        out.push("NIB");
    }
    if v.name != current.name {
        out.push("nama usaha");
    }
    if v.owner_name != current.owner_name {
        out.push("nama pemilik");
    }
    if v.kelurahan.code != current.kelurahan_code {
        out.push("kelurahan");
    }
    out
}

/// The input form of a stored producer (for PATCH merges and edit forms).
pub fn input_of(m: &Model) -> ProducerInput {
    ProducerInput {
        name: m.name.clone(),
        owner_name: m.owner_name.clone(),
        nib: m.nib.clone().unwrap_or_default(),
        capital_range: m.capital_range.map(|r| r.as_str().to_string()),
        sales_range: m.sales_range.map(|r| r.as_str().to_string()),
        // Derived: sent back only by older clients, and then checked against the ranges.
        scale: None,
        risk_level: m.risk_level.as_str().to_string(),
        address: m.address.clone(),
        kelurahan_code: m.kelurahan_code.clone(),
        lat: Some(m.lat),
        lon: Some(m.lon),
        phone: m.phone.clone(),
        whatsapp: m.whatsapp.clone(),
    }
}

#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    input: ProducerInput,
) -> AppResult<Model> {
    user.require(&[Role::Umkm])?;
    if repo::find_by_owner(&state.db, user.id).await?.is_some() {
        return Err(producer_exists());
    }
    let v = input.validate()?;
    let now = state.clock.now();
    let mut am = ActiveModel {
        id: NotSet,
        owner_user_id: Set(Some(user.id)),
        status: Set(ProducerStatus::Registered),
        status_reason: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut am, &v, now);
    let txn = etalase_db::begin_write(&state.db).await?;
    let m = match repo::insert(&txn, am).await {
        Ok(m) => m,
        Err(e) => {
            drop(txn);
            return Err(match AppError::from(e) {
                // Two registrations at once from one account: the second hits the owner's
                // unique key, not the NIB's.
                AppError::Conflict { .. }
                    if repo::find_by_owner(&state.db, user.id).await?.is_some() =>
                {
                    producer_exists()
                }
                AppError::Conflict { .. } => nib_taken(),
                other => other,
            });
        }
    };
    audit::record(&txn, Some(user.id), "producer_register", "producer", m.id, None, now).await?;
    txn.commit().await?;
    Ok(m)
}

/// Who may see a producer: its owner, the Dinas and admins always; everybody signed in once it
/// is verified.
pub async fn get(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Model> {
    let m = repo::find(&state.db, id).await?.ok_or(AppError::NotFound("Data usaha"))?;
    let allowed = m.owner_user_id == Some(user.id)
        || matches!(user.role, Role::Dinas | Role::Admin)
        || (m.status == ProducerStatus::Verified && user.role != Role::Umkm);
    if !allowed {
        return Err(AppError::NotFound("Data usaha"));
    }
    Ok(m)
}

pub async fn mine(state: &AppState, user: &CurrentUser) -> AppResult<Option<Model>> {
    Ok(repo::find_by_owner(&state.db, user.id).await?)
}

pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    mut f: ProducerFilter,
    req: PageReq,
) -> AppResult<Page<Model>> {
    match user.role {
        Role::Dinas | Role::Admin => {}
        Role::Umkm => f.owner_user_id = Some(user.id),
        // Government buyers pick verified businesses as suppliers.
        Role::Store | Role::Chain | Role::Buyer => f.status = Some(ProducerStatus::Verified),
    }
    Ok(repo::list(&state.db, &f, req).await?)
}

/// The owner edits the business profile; a rejected profile goes back to the queue.
#[tracing::instrument(skip(state, body), fields(user = user.id))]
pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    body: Value,
) -> AppResult<Model> {
    let current = repo::find(&state.db, id).await?.ok_or(AppError::NotFound("Data usaha"))?;
    if current.owner_user_id != Some(user.id) {
        return Err(if matches!(user.role, Role::Dinas | Role::Admin) {
            AppError::Forbidden("Hanya pemilik usaha yang boleh mengubah data usaha.".into())
        } else {
            AppError::NotFound("Data usaha")
        });
    }
    let (version, input) = patch::merge(&input_of(&current), body)?;
    update_validated(state, user, current, version, input).await
}

pub async fn update_validated(
    state: &AppState,
    user: &CurrentUser,
    current: Model,
    version: i64,
    mut input: ProducerInput,
) -> AppResult<Model> {
    // Moving to another kelurahan without new coordinates moves the point to its centre.
    if input.kelurahan_code.trim() != current.kelurahan_code
        && input.lat == Some(current.lat)
        && input.lon == Some(current.lon)
    {
        input.lat = None;
        input.lon = None;
    }
    // A business registered before the ranges were asked keeps its declared scale until the
    // owner picks a range.
    let legacy =
        (current.capital_range.is_none() && current.sales_range.is_none()).then_some(current.scale);
    let v = input.validate_keeping(legacy)?;
    let now = state.clock.now();
    let mut am = ActiveModel { version: Set(version + 1), ..Default::default() };
    apply(&mut am, &v, now);
    let status = current.status;
    let changed = identity_changes(&current, &v);
    if status == ProducerStatus::Rejected {
        let next = status.apply(ProducerAction::Resubmit, user.role)?;
        am.status = Set(next);
        am.status_reason = Set(None);
    } else if status == ProducerStatus::Verified && !changed.is_empty() {
        // What the Dinas verified was this identity: a new one goes back to the queue, and
        // the products leave the catalog until an officer verifies it again.
        am.status = Set(ProducerStatus::Registered);
        am.status_reason =
            Set(Some(format!("Perubahan {} menunggu verifikasi ulang Dinas.", changed.join(", "))));
    }
    let mut change = ListingChange::begin(state).await?;
    let out = versioned::update(change.db(), current.id, version, am).await.map_err(|e| {
        match AppError::from(e) {
            AppError::Conflict { .. } => nib_taken(),
            other => other,
        }
    })?;
    let m = match out {
        Versioned::Updated(m) => m,
        Versioned::Stale => return Err(AppError::version_conflict()),
        Versioned::Missing => return Err(AppError::NotFound("Data usaha")),
    };
    // The business's name, place and status show in every listing of its products.
    change.touch(products::ids_of_producer(change.db(), m.id).await?);
    if status == ProducerStatus::Verified && m.status == ProducerStatus::Registered {
        let why = Some(format!("Diubah: {}", changed.join(", ")));
        change.audit(user.id, "producer_identity_changed", "producer", m.id, why).await?;
    } else {
        change.audit(user.id, "producer_update", "producer", m.id, None).await?;
    }
    change.commit().await?;
    Ok(m)
}

/// The Dinas verifies (`reason` None) or rejects (`reason` required) a producer.
#[tracing::instrument(skip(state), fields(user = user.id))]
pub async fn review(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: ProducerAction,
    reason: Option<String>,
) -> AppResult<Model> {
    user.require(&[Role::Dinas])?;
    let current = repo::find(&state.db, id).await?.ok_or(AppError::NotFound("Data usaha"))?;
    let status = current.status;
    let next = status.apply(action, user.role)?;
    if action == ProducerAction::Verify && current.nib.is_none() {
        return Err(AppError::conflict(
            ErrorCode::NibMissing,
            "Usaha ini belum punya NIB: isi NIB-nya dulu (pendampingan), baru verifikasi.",
        ));
    }
    let reason = super::clean(reason);
    if action == ProducerAction::Reject {
        match &reason {
            Some(r) if r.chars().count() >= 5 && r.chars().count() <= 1000 => {}
            _ => {
                return Err(AppError::field(
                    "reason",
                    "required",
                    "Alasan penolakan wajib diisi (5–1000 karakter) agar pelaku UMKM tahu apa yang harus diperbaiki.",
                ));
            }
        }
    }
    let now = state.clock.now();
    let am = ActiveModel {
        status: Set(next),
        status_reason: Set(if action == ProducerAction::Reject { reason.clone() } else { None }),
        reviewed_by: Set(Some(user.id)),
        reviewed_at: Set(Some(now)),
        version: Set(current.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    let mut change = ListingChange::begin(state).await?;
    let m = match versioned::update(change.db(), id, current.version, am).await? {
        Versioned::Updated(m) => m,
        Versioned::Stale => return Err(AppError::version_conflict()),
        Versioned::Missing => return Err(AppError::NotFound("Data usaha")),
    };
    let what = if action == ProducerAction::Reject { "producer_reject" } else { "producer_verify" };
    change.touch(products::ids_of_producer(change.db(), id).await?);
    change.audit(user.id, what, "producer", id, reason).await?;
    change.commit().await?;
    Ok(m)
}
