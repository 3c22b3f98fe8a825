//! Business lists: which rows are new, changed or as they are, and writing them. A row with a
//! NIB is recorded as verified by the importing officer (the Dinas' own list, checked in the
//! preview); one without a NIB goes into pendampingan with the officer as companion, and stays
//! there (nothing published) until a NIB is entered and verified. Updates keep the stored
//! point when the row gives no coordinates, and never touch the owner's account.

use std::collections::HashMap;

use etalase_db::entities::producer::{ActiveModel, Model};
use etalase_db::repo::{producers as repo, products};
use etalase_domain::import::RowError;
use etalase_domain::import::business::{BusinessRow, business_rows};
use etalase_domain::producer::{ProducerStatus, ValidProducer};
use sea_orm::{ActiveValue::NotSet, Set};

use super::written::{AuditLog, update_as_previewed};
use super::{Now, Plan, PreviewRow, Progress, RowAction};
use crate::error::AppResult;
use crate::service::catalog::change::ListingChange;
use crate::service::retail::sheet::Row;
use crate::state::AppState;

/// Each row with the business it updates, if any.
pub(crate) type Planned = (BusinessRow, Option<Model>);

/// The fields a row changes on `m`.
fn changes(m: &Model, r: &BusinessRow) -> Vec<String> {
    let v = &r.business;
    let mut out = Vec::new();
    let mut diff = |changed: bool, what: &str| {
        if changed {
            out.push(what.to_string());
        }
    };
    diff(v.nib.as_ref().map(|n| n.as_str()) != m.nib.as_deref(), "NIB");
    diff(v.name != m.name, "nama usaha");
    diff(v.owner_name != m.owner_name, "nama pemilik");
    diff(v.scale != m.scale, "skala");
    diff(
        v.capital_range != m.capital_range || v.sales_range != m.sales_range,
        "kisaran modal/penjualan",
    );
    diff(v.risk_level != m.risk_level, "tingkat risiko");
    diff(v.address != m.address, "alamat");
    diff(v.kelurahan.code != m.kelurahan_code, "kelurahan");
    diff(r.coordinates_given && (v.lat != m.lat || v.lon != m.lon), "titik lokasi");
    diff(v.phone != m.phone, "telepon");
    diff(v.whatsapp != m.whatsapp, "WhatsApp");
    diff(r.external_id.is_some() && r.external_id != m.external_id, "id_eksternal");
    out
}

pub(crate) async fn plan(state: &AppState, rows: &[Row]) -> AppResult<Plan<Planned>> {
    let (good, mut errors) = business_rows(rows);
    let nibs: Vec<String> = good
        .iter()
        .filter_map(|r| r.business.nib.as_ref().map(|n| n.as_str().to_string()))
        .collect();
    let ids: Vec<String> = good.iter().filter_map(|r| r.external_id.clone()).collect();
    let existing = repo::find_by_keys(&state.db, &nibs, &ids).await?;
    let by_nib: HashMap<&str, &Model> =
        existing.iter().filter_map(|m| m.nib.as_deref().map(|n| (n, m))).collect();
    let by_id: HashMap<&str, &Model> =
        existing.iter().filter_map(|m| m.external_id.as_deref().map(|e| (e, m))).collect();
    let mut planned = Vec::with_capacity(good.len());
    for row in good {
        let via_nib = row.business.nib.as_ref().and_then(|n| by_nib.get(n.as_str()).copied());
        let via_id = row.external_id.as_deref().and_then(|e| by_id.get(e).copied());
        let found = match (via_nib, via_id) {
            (Some(a), Some(b)) if a.id != b.id => {
                errors.push(RowError::new(row.line, "id_eksternal", "key_conflict", format!(
                    "NIB ini milik \"{}\", tetapi id_eksternal {} milik \"{}\": periksa kembali baris ini.",
                    a.name, row.external_id.clone().unwrap_or_default(), b.name
                )));
                continue;
            }
            // A NIB in the file that another business (found by its id) does not have yet.
            (Some(a), _) | (None, Some(a)) => Some(a.clone()),
            (None, None) => None,
        };
        if let Some(m) = &found
            && m.status == ProducerStatus::Rejected
        {
            errors.push(RowError::new(row.line, "row", "rejected_business", format!(
                "Usaha \"{}\" pernah ditolak Dinas: perbaiki lewat halaman usahanya, bukan lewat impor.",
                m.name
            )));
            continue;
        }
        let (action, changed) = match &found {
            None => (RowAction::New, vec![]),
            Some(m) => {
                let c = changes(m, &row);
                (if c.is_empty() { RowAction::Same } else { RowAction::Update }, c)
            }
        };
        if let Some(m) = &found
            && m.owner_user_id.is_some()
            && action == RowAction::Update
        {
            errors.push(RowError::new(row.line, "row", "owned_business", format!(
                "Usaha \"{}\" sudah dikelola pemiliknya sendiri di Etalase; perubahan ({}) dilakukan pemilik lewat akunnya, bukan lewat impor.",
                m.name,
                changed.join(", ")
            )));
            continue;
        }
        let note = row.business.nib.is_none().then(|| "Pendampingan: belum ada NIB".to_string());
        let who = (row.line, row.key(), row.business.name.clone());
        let view = PreviewRow::new(who, action, changed, &row.matched, note);
        planned.push((view, (row, found)));
    }
    Ok(Plan { total_rows: rows.len().saturating_sub(1), rows: planned, errors })
}

fn apply(am: &mut ActiveModel, r: &BusinessRow, keep_point: Option<&Model>, now: Now) {
    crate::service::producers::apply(am, &r.business, now);
    let v: &ValidProducer = &r.business;
    match keep_point.filter(|m| !r.coordinates_given && m.kelurahan_code == v.kelurahan.code) {
        Some(m) => {
            am.lat = Set(m.lat);
            am.lon = Set(m.lon);
        }
        None => {
            am.lat = Set(v.lat);
            am.lon = Set(v.lon);
        }
    }
    if r.external_id.is_some() {
        am.external_id = Set(r.external_id.clone());
    }
}

/// Writes a clean plan in one transaction: inserts, updates (versioned: a business edited since
/// the preview fails the whole import), one audit row per record written, and the products of
/// changed businesses sent to search again.
pub(crate) async fn write(
    state: &AppState,
    actor: i64,
    plan: Plan<Planned>,
    progress: &dyn Progress,
) -> AppResult<()> {
    let mut change = ListingChange::begin(state).await?;
    let now = change.now();
    let mut audits = AuditLog::new(actor, "producer", now);
    let mut changed_ids = Vec::new();
    progress.stage("menyimpan", plan.rows.len());
    for (view, (row, found)) in &plan.rows {
        match (view.action, found) {
            (RowAction::New, _) => {
                let has_nib = row.business.nib.is_some();
                let mut am = ActiveModel {
                    id: NotSet,
                    owner_user_id: Set(None),
                    status: Set(if has_nib {
                        ProducerStatus::Verified
                    } else {
                        ProducerStatus::Pendampingan
                    }),
                    status_reason: Set(None),
                    reviewed_by: Set(has_nib.then_some(actor)),
                    reviewed_at: Set(has_nib.then_some(now)),
                    companion_user_id: Set((!has_nib).then_some(actor)),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                    external_id: Set(None),
                    ..Default::default()
                };
                apply(&mut am, row, None, now);
                let m = repo::insert(change.db(), am).await?;
                let what =
                    if has_nib { "diimpor, NIB terverifikasi" } else { "diimpor, pendampingan" };
                audits.record("producer_import", m.id, row.line, what);
            }
            (RowAction::Update, Some(m)) => {
                let mut am = ActiveModel {
                    version: Set(m.version + 1),
                    updated_at: Set(now),
                    ..Default::default()
                };
                apply(&mut am, row, Some(m), now);
                // A NIB entered for a business in pendampingan: the importing officer verifies it.
                if m.status == ProducerStatus::Pendampingan && row.business.nib.is_some() {
                    am.status = Set(ProducerStatus::Verified);
                    am.reviewed_by = Set(Some(actor));
                    am.reviewed_at = Set(Some(now));
                }
                update_as_previewed(change.db(), m.id, m.version, am).await?;
                changed_ids.push(m.id);
                let what = view.changes.join(", ");
                audits.record("producer_import_update", m.id, row.line, &what);
            }
            _ => {}
        }
        progress.advance(1);
    }
    audits.save(change.db()).await?;
    let touched = products::of_producers(change.db(), &changed_ids).await?;
    change.touch(touched.iter().map(|p| p.id));
    change.commit().await
}
