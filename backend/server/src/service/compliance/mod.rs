//! Compliance monitoring (Pasal 10(1)(b)): the Dinas' policy versions, the dashboard figures
//! (aggregated in the database), one store's status with its evidence, inspections, notices
//! (surat teguran, as PDF), exports and the monthly snapshots behind the trend.
//! Access, all here: the Dinas and admins see every store; a chain office sees only its own
//! chain's stores (another chain's store is "not found"); everyone else gets 403. Only the
//! Dinas (or an admin) sets policies, records inspections and sends notices.

mod dashboard;
mod detail;
pub mod export;
mod inspection_photos;
mod inspections;
mod maintain;
pub mod map;
mod notices;
mod overview;
pub mod pdf;
pub mod permendag;
mod policies;
mod snapshots;
mod views;

pub use dashboard::{
    StoresQuery, SummaryQuery, TrendQuery, month_key, months_before, store_list, summary, trend,
};
pub use detail::store_detail;
/// For the store's own status on its profile page (`service::store_side`).
pub(crate) use detail::{agreement_facts, inspections};
pub use inspection_photos::{InspectionPhotoView, MAX_INSPECTION_PHOTOS};
pub use inspections::record_inspection;
pub use maintain::{ComplianceDrift, check_drift, rebuild as rebuild_table};
pub use notices::{LETTERHEAD, NoticeDraft, draft_notice, list_notices, notice_for, send_notice};
pub use overview::{Overview, overview};
pub use permendag::{PermendagBreach, PermendagQuery, breaches};
pub(crate) use policies::thresholds;
pub use policies::{create_policy, list_policies, policy_on};
pub use snapshots::snapshot_month;

/// The background upkeep: the monthly snapshots and the maintained table.
pub fn spawn_periodic(state: AppState) {
    snapshots::spawn_periodic(state.clone());
    maintain::spawn_periodic(state);
}
pub use views::*;

use etalase_db::entities::store;
use etalase_db::repo::stores;
use etalase_domain::roles::Role;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Whose stores `user` may watch: `None` = every store (Dinas, admin), `Some(chain)` = one
/// chain's stores (chain office); anyone else is refused.
pub fn scope(user: &CurrentUser) -> AppResult<Option<i64>> {
    match user.role {
        Role::Dinas | Role::Admin => Ok(None),
        Role::Chain => user.chain_id.map(Some).ok_or_else(|| {
            AppError::Forbidden(
                "Akun kantor jaringan ini belum terhubung ke jaringan mana pun.".into(),
            )
        }),
        _ => Err(AppError::Forbidden(
            "Pemantauan kepatuhan hanya untuk Dinas dan kantor jaringan.".into(),
        )),
    }
}

/// Only the Dinas (or an admin) acts: policies, inspections, notices.
pub fn require_dinas(user: &CurrentUser) -> AppResult<()> {
    if matches!(user.role, Role::Dinas | Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden("Hanya petugas Dinas yang boleh melakukan ini.".into()))
    }
}

/// A store `user` may watch; another chain's store is "not found".
pub async fn watched_store(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> AppResult<store::Model> {
    let chain = scope(user)?;
    let s = stores::find(&state.db, id).await?.ok_or(AppError::NotFound("Gerai"))?;
    match chain {
        Some(c) if s.chain_id != Some(c) => Err(AppError::NotFound("Gerai")),
        _ => Ok(s),
    }
}
