//! Inspections: a Dinas officer at the store records which agreed products were seen on the
//! shelf and which not, with notes and up to six shelf photos (all-or-nothing, through the
//! photo pipeline: blobs first, then the rows; a failure removes the blobs no row uses).
//! Only products of the store's agreements may be named.

use std::collections::BTreeSet;

use etalase_db::entities::inspection;
use etalase_db::repo::compliance as repo;
use etalase_domain::compliance::flagged_agreements;
use etalase_domain::error::{FieldError, ValidationErrors};
use sea_orm::{ActiveValue::NotSet, Set};

use super::detail::{agreement_facts, inspections};
use super::inspection_photos::{MAX_INSPECTION_PHOTOS, insert_rows};
use super::{
    InspectionPhotoView, InspectionRecorded, InspectionView, NewInspection, require_dinas,
    watched_store,
};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::service::files::{check_all, remove_unused_photos, store_variants};
use crate::service::upload::Upload;
use crate::state::AppState;

const MAX_NOTES: usize = 4000;

/// Records an inspection (Dinas or admin) with its shelf photos (`photos`, possibly none) and
/// returns the agreements now flagged at the store.
pub async fn record_inspection(
    state: &AppState,
    user: &CurrentUser,
    input: NewInspection,
    photos: Vec<Upload>,
) -> AppResult<InspectionRecorded> {
    require_dinas(user)?;
    let s = watched_store(state, user, input.store_id).await?;
    let today = state.clock.today_wib();
    let facts = agreement_facts(state, s.id).await?;
    let agreed: BTreeSet<i64> = facts.iter().flat_map(|a| a.product_ids.iter().copied()).collect();
    let mut e = ValidationErrors::new();
    if input.date > today {
        e.push(FieldError::new(
            "date",
            "in_future",
            "Tanggal inspeksi tidak boleh sesudah hari ini.",
        ));
    }
    for (field, ids) in [("seen", &input.seen), ("not_seen", &input.not_seen)] {
        for (i, p) in ids.iter().enumerate() {
            if !agreed.contains(p) {
                e.push(FieldError::new(
                    format!("{field}[{i}]"),
                    "not_agreed",
                    "Produk ini tidak ada dalam perjanjian gerai ini.",
                ));
            }
        }
    }
    let seen: BTreeSet<i64> = input.seen.iter().copied().collect();
    if input.not_seen.iter().any(|p| seen.contains(p)) {
        e.push(FieldError::new(
            "not_seen",
            "both",
            "Satu produk tidak bisa sekaligus terlihat dan tidak terlihat.",
        ));
    }
    let notes = input.notes.unwrap_or_default().trim().to_string();
    if notes.chars().count() > MAX_NOTES {
        e.push(FieldError::new(
            "notes",
            "too_long",
            format!("Catatan paling banyak {MAX_NOTES} karakter."),
        ));
    }
    if input.seen.is_empty() && input.not_seen.is_empty() && notes.is_empty() {
        e.push(FieldError::new(
            "seen",
            "required",
            "Catat produk yang terlihat atau tidak terlihat, atau isi catatan.",
        ));
    }
    if photos.len() > MAX_INSPECTION_PHOTOS {
        e.push(FieldError::new(
            "photos",
            "too_many_photos",
            format!(
                "Satu inspeksi paling banyak {MAX_INSPECTION_PHOTOS} foto; Anda mengirim {}.",
                photos.len()
            ),
        ));
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    // Every photo is checked before anything is stored: one bad file refuses the inspection.
    let checked = check_all(state, photos).await?;
    let stored = store_variants(state, &checked, |_| false).await?;
    let items: Vec<(i64, bool)> = seen
        .iter()
        .map(|p| (*p, true))
        .chain(
            input.not_seen.iter().copied().collect::<BTreeSet<_>>().into_iter().map(|p| (p, false)),
        )
        .collect();
    let now = state.clock.now();
    let saved = async {
        let txn = etalase_db::begin_write(&state.db).await?;
        let m = repo::insert_inspection(
            &txn,
            inspection::ActiveModel {
                id: NotSet,
                store_id: Set(s.id),
                inspector_user_id: Set(Some(user.id)),
                inspected_on: Set(input.date),
                notes: Set(notes.clone()),
                created_at: Set(now),
            },
            &items,
        )
        .await?;
        let rows = insert_rows(&txn, m.id, &checked, now).await?;
        etalase_db::repo::compliance::maintained::refresh_store(&txn, s.id).await?;
        txn.commit().await?;
        Ok::<_, AppError>((m, rows))
    }
    .await;
    let (m, rows) = match saved {
        Ok(x) => x,
        Err(err) => {
            remove_unused_photos(state, &stored).await;
            return Err(err);
        }
    };
    let (_, all) = inspections(state, s.id).await?;
    let counting: Vec<_> =
        facts.into_iter().filter(|a| etalase_domain::compliance::counts_on(a, today)).collect();
    let flagged = flagged_agreements(&counting, &all, today);
    Ok(InspectionRecorded {
        inspection: InspectionView {
            id: m.id,
            store_id: s.id,
            date: m.inspected_on,
            notes,
            seen: items.iter().filter(|x| x.1).map(|x| x.0).collect(),
            not_seen: items.iter().filter(|x| !x.1).map(|x| x.0).collect(),
            photos: rows.iter().map(InspectionPhotoView::from).collect(),
        },
        flagged,
    })
}
