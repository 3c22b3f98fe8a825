//! Product standards (Pasal 10(1)(b)): the Dinas keeps the city baseline, a chain office keeps
//! its own stricter standard; both publish immutable versions with an effective date. Every
//! access rule of standards lives here: only the Dinas (or an admin) writes the baseline, a
//! chain account writes only its own chain's standard, UMKM and store accounts read.

pub mod editor;
mod evaluate;
mod facts;
mod schedule;
mod summary;
mod views;

pub use evaluate::{
    Badge, StoreStandards, badges, eligibility, eligibility_of, eligible_products,
    eligible_standard_ids, refresh_evaluations, standard_for_store, start_version_job,
    stored_items,
};
pub use facts::MIN_SHARPNESS;
pub use schedule::{TickReport, daily_tick, spawn_periodic};
pub use summary::{KecamatanSummary, MissingCount, SummaryView, summary};
pub use views::*;

use chrono::NaiveDate;
use etalase_db::entities::{standard, standard_version};
use etalase_db::repo::{audit, jobs, standards as repo};
use etalase_domain::JobKind;
use etalase_domain::roles::Role;
use etalase_domain::standards::{Requirement, version_in_force};
use sea_orm::{ActiveValue::NotSet, Set};

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;

const WHAT: &str = "Standar";
/// Kind of the jobs that re-evaluate every product under a version.
pub const JOB_KIND: JobKind = JobKind::ReevaluateVersion;

/// Any signed-in account reads standards.
pub async fn list(state: &AppState) -> AppResult<Vec<StandardView>> {
    let mut out = Vec::new();
    for s in repo::all(&state.db).await? {
        out.push(view(state, &s).await?);
    }
    Ok(out)
}

pub async fn get(state: &AppState, id: i64) -> AppResult<StandardView> {
    let s = repo::find(&state.db, id).await?.ok_or(AppError::NotFound(WHAT))?;
    view(state, &s).await
}

/// The standard `user` may write, or why not: the Dinas/admin the baseline, a chain its own.
fn check_writer(user: &CurrentUser, s: &standard::Model) -> AppResult<()> {
    let ok = match (user.role, s.chain_id) {
        (Role::Dinas | Role::Admin, None) => true,
        (Role::Chain, Some(c)) => user.chain_id == Some(c),
        _ => false,
    };
    if ok {
        return Ok(());
    }
    Err(AppError::Forbidden(match s.chain_id {
        None => "Hanya Dinas yang boleh mengubah standar dasar kota.".into(),
        Some(_) => "Hanya kantor jaringan pemilik standar ini yang boleh mengubahnya.".into(),
    }))
}

fn check_requirements(requirements: &[Requirement]) -> AppResult<()> {
    if requirements.is_empty() {
        return Err(AppError::field("requirements", "required", "Isi minimal satu persyaratan."));
    }
    Requirement::validate_all(requirements)
        .map_err(|errs| AppError::field("requirements", "invalid_requirement", errs.join(" ")))
}

fn check_effective(state: &AppState, d: NaiveDate) -> AppResult<()> {
    let today = state.clock.today_wib();
    if d < today {
        return Err(AppError::field(
            "effective_from",
            "in_past",
            format!(
                "Tanggal berlaku tidak boleh sebelum hari ini ({}).",
                etalase_domain::datefmt::format_date_id(today)
            ),
        ));
    }
    Ok(())
}

/// Creates a standard with its first version: the Dinas the city baseline, a chain office its
/// chain's own standard. One standard per owner.
#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    input: NewStandard,
) -> AppResult<(StandardView, Option<i64>)> {
    let chain_id = match user.role {
        Role::Dinas | Role::Admin => None,
        Role::Chain => Some(user.chain_id.ok_or_else(|| {
            AppError::Forbidden("Akun jaringan ini belum terhubung ke jaringan mana pun.".into())
        })?),
        _ => {
            return Err(AppError::Forbidden(
                "Hanya Dinas atau kantor jaringan yang boleh membuat standar.".into(),
            ));
        }
    };
    let name = input.name.trim().to_string();
    if !(3..=160).contains(&name.chars().count()) {
        return Err(AppError::field("name", "length", "Nama standar harus 3–160 karakter."));
    }
    check_requirements(&input.requirements)?;
    check_effective(state, input.effective_from)?;
    let existing = match chain_id {
        None => repo::baseline(&state.db).await?,
        Some(c) => repo::for_chain(&state.db, c).await?,
    };
    if existing.is_some() {
        return Err(AppError::conflict(
            ErrorCode::StandardExists,
            "Standar untuk pemilik ini sudah ada; terbitkan versi baru darinya.",
        ));
    }
    let now = state.clock.now();
    let txn = etalase_db::begin_write(&state.db).await?;
    let s = repo::insert(
        &txn,
        standard::ActiveModel {
            id: NotSet,
            name: Set(name),
            description: Set(input.description.clone().unwrap_or_default().trim().to_string()),
            chain_id: Set(chain_id),
            created_by: Set(user.id),
            created_at: Set(now),
            updated_at: Set(now),
        },
    )
    .await?;
    let v = insert_version(&txn, user, s.id, 1, &input.version(), now).await?;
    audit::record(&txn, Some(user.id), "standard_create", "standard", s.id, None, now).await?;
    txn.commit().await?;
    let job = start_if_in_force(state, &v).await?;
    Ok((view(state, &s).await?, job))
}

async fn insert_version(
    txn: &impl sea_orm::ConnectionTrait,
    user: &CurrentUser,
    standard_id: i64,
    number: i64,
    input: &NewVersion,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<standard_version::Model> {
    let json =
        serde_json::to_string(&input.requirements).map_err(|e| AppError::Internal(e.into()))?;
    Ok(repo::insert_version(
        txn,
        standard_version::ActiveModel {
            id: NotSet,
            standard_id: Set(standard_id),
            number: Set(number),
            requirements: Set(json),
            effective_from: Set(input.effective_from),
            note: Set(input.note.clone().unwrap_or_default().trim().to_string()),
            created_by: Set(user.id),
            created_at: Set(now),
        },
    )
    .await?)
}

/// Starts the re-evaluation job when `v` is the version in force today.
async fn start_if_in_force(
    state: &AppState,
    v: &standard_version::Model,
) -> AppResult<Option<i64>> {
    let current = current_version_for(state, v.standard_id, state.clock.today_wib()).await?;
    if current.is_some_and(|c| c.id == v.id) {
        return Ok(Some(start_version_job(state, v.id).await?));
    }
    Ok(None)
}

/// Publishes a new version of a standard (immutable from then on).
#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn add_version(
    state: &AppState,
    user: &CurrentUser,
    standard_id: i64,
    input: NewVersion,
) -> AppResult<(VersionView, Option<i64>)> {
    let s = repo::find(&state.db, standard_id).await?.ok_or(AppError::NotFound(WHAT))?;
    check_writer(user, &s)?;
    check_requirements(&input.requirements)?;
    check_effective(state, input.effective_from)?;
    let now = state.clock.now();
    let txn = etalase_db::begin_write(&state.db).await?;
    let number = repo::last_number(&txn, s.id).await? + 1;
    let v = insert_version(&txn, user, s.id, number, &input, now).await?;
    repo::update(
        &txn,
        standard::ActiveModel { id: Set(s.id), updated_at: Set(now), ..Default::default() },
    )
    .await?;
    audit::record(
        &txn,
        Some(user.id),
        "standard_version",
        "standard",
        s.id,
        Some(format!("versi {number}")),
        now,
    )
    .await?;
    txn.commit().await?;
    let job = start_if_in_force(state, &v).await?;
    Ok((
        VersionView::new(
            &v,
            state.clock.today_wib(),
            Some(v.id)
                == current_version_for(state, s.id, state.clock.today_wib()).await?.map(|c| c.id),
        ),
        job,
    ))
}

/// The version of a standard in force on `date` — what a placement agreement made on that
/// date records, so old agreements keep the version they were made under.
pub async fn current_version_for(
    state: &AppState,
    standard_id: i64,
    date: NaiveDate,
) -> AppResult<Option<standard_version::Model>> {
    let versions = repo::versions(&state.db, standard_id).await?;
    let pairs: Vec<(i64, NaiveDate)> = versions.iter().map(|v| (v.id, v.effective_from)).collect();
    let id = version_in_force(&pairs, date);
    Ok(versions.into_iter().find(|v| Some(v.id) == id))
}

/// The requirements stored in a version.
pub fn requirements_of(v: &standard_version::Model) -> AppResult<Vec<Requirement>> {
    serde_json::from_str(&v.requirements)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("standard version {}: {e}", v.id)))
}

/// The newest re-evaluation jobs (for the Dinas page).
pub async fn recent_jobs(state: &AppState, limit: u64) -> AppResult<Vec<JobView>> {
    Ok(jobs::recent(&state.db, JOB_KIND, limit).await?.iter().map(JobView::from).collect())
}

/// One job, for polling.
pub async fn job(state: &AppState, id: i64) -> AppResult<JobView> {
    jobs::find(&state.db, id)
        .await?
        .filter(|j| j.kind == JOB_KIND)
        .map(|j| JobView::from(&j))
        .ok_or(AppError::NotFound("Proses"))
}

async fn view(state: &AppState, s: &standard::Model) -> AppResult<StandardView> {
    let today = state.clock.today_wib();
    let versions = repo::versions(&state.db, s.id).await?;
    let pairs: Vec<(i64, NaiveDate)> = versions.iter().map(|v| (v.id, v.effective_from)).collect();
    let in_force = version_in_force(&pairs, today);
    let chain_name = match s.chain_id {
        Some(c) => repo::chain_name(&state.db, c).await?,
        None => None,
    };
    Ok(StandardView::new(
        s,
        chain_name,
        versions.iter().map(|v| VersionView::new(v, today, Some(v.id) == in_force)).collect(),
    ))
}

/// Whether `user` may publish versions of this standard (for buttons).
pub fn can_write(user: &CurrentUser, s: &StandardView) -> bool {
    match (user.role, s.chain_id) {
        (Role::Dinas | Role::Admin, None) => true,
        (Role::Chain, Some(c)) => user.chain_id == Some(c),
        _ => false,
    }
}

/// Whether `user` may see the summary of this standard (for links).
pub fn can_see_summary(user: &CurrentUser, s: &StandardView) -> bool {
    match user.role {
        Role::Dinas | Role::Admin => true,
        Role::Chain => s.chain_id.is_none() || s.chain_id == user.chain_id,
        _ => false,
    }
}
