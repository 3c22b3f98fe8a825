//! Inspections: a Dinas officer at the store records which agreed products were seen on the
//! shelf and which not, with notes. Only products of the store's agreements may be named.
//! Shelf photos are not attached yet (see the issue; the photo pipeline is for products).

use std::collections::BTreeSet;

use etalase_db::entities::inspection;
use etalase_db::repo::compliance as repo;
use etalase_domain::compliance::flagged_agreements;
use etalase_domain::error::{FieldError, ValidationErrors};
use sea_orm::{ActiveValue::NotSet, Set, TransactionTrait};

use super::detail::{agreement_facts, inspections};
use super::{require_dinas, watched_store, InspectionRecorded, InspectionView, NewInspection};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const MAX_NOTES: usize = 4000;

/// Records an inspection (Dinas or admin) and returns the agreements now flagged at the store.
pub async fn record_inspection(state: &AppState, user: &CurrentUser, input: NewInspection) -> AppResult<InspectionRecorded> {
    require_dinas(user)?;
    let s = watched_store(state, user, input.store_id).await?;
    let today = state.clock.today_wib();
    let facts = agreement_facts(state, s.id).await?;
    let agreed: BTreeSet<i64> = facts.iter().flat_map(|a| a.product_ids.iter().copied()).collect();
    let mut e = ValidationErrors::new();
    if input.date > today {
        e.push(FieldError::new("date", "in_future", "Tanggal inspeksi tidak boleh sesudah hari ini."));
    }
    for (field, ids) in [("seen", &input.seen), ("not_seen", &input.not_seen)] {
        for (i, p) in ids.iter().enumerate() {
            if !agreed.contains(p) {
                e.push(FieldError::new(format!("{field}[{i}]"), "not_agreed", "Produk ini tidak ada dalam perjanjian gerai ini."));
            }
        }
    }
    let seen: BTreeSet<i64> = input.seen.iter().copied().collect();
    if input.not_seen.iter().any(|p| seen.contains(p)) {
        e.push(FieldError::new("not_seen", "both", "Satu produk tidak bisa sekaligus terlihat dan tidak terlihat."));
    }
    let notes = input.notes.unwrap_or_default().trim().to_string();
    if notes.chars().count() > MAX_NOTES {
        e.push(FieldError::new("notes", "too_long", format!("Catatan paling banyak {MAX_NOTES} karakter.")));
    }
    if input.seen.is_empty() && input.not_seen.is_empty() && notes.is_empty() {
        e.push(FieldError::new("seen", "required", "Catat produk yang terlihat atau tidak terlihat, atau isi catatan."));
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let items: Vec<(i64, bool)> = seen.iter().map(|p| (*p, true)).chain(input.not_seen.iter().copied().collect::<BTreeSet<_>>().into_iter().map(|p| (p, false))).collect();
    let txn = state.db.begin().await?;
    let m = repo::insert_inspection(
        &txn,
        inspection::ActiveModel { id: NotSet, store_id: Set(s.id), inspector_user_id: Set(Some(user.id)), inspected_on: Set(input.date), notes: Set(notes.clone()), created_at: Set(state.clock.now()) },
        &items,
    )
    .await?;
    txn.commit().await?;
    let (_, all) = inspections(state, s.id).await?;
    let counting: Vec<_> = facts.into_iter().filter(|a| etalase_domain::compliance::counts_on(a, today)).collect();
    let flagged = flagged_agreements(&counting, &all, today);
    Ok(InspectionRecorded {
        inspection: InspectionView {
            id: m.id,
            store_id: s.id,
            date: m.inspected_on,
            notes,
            seen: items.iter().filter(|x| x.1).map(|x| x.0).collect(),
            not_seen: items.iter().filter(|x| !x.1).map(|x| x.0).collect(),
        },
        flagged,
    })
}
