//! Store lists (gerai): which rows are new, changed or as they are, and writing them. A store
//! is found again by its code; a changed one is updated (versioned) and audited with the fields
//! it changed. A chain office imports only its own chain's stores: a row naming another chain,
//! or the code of a store outside its chain, is refused. Updates keep the stored point when the
//! row gives no coordinates and the kelurahan is the same.

use std::collections::HashMap;

use etalase_db::entities::store::{ActiveModel, Model};
use etalase_db::repo::{chains, stores as repo};
use etalase_domain::import::RowError;
use etalase_domain::import::store::{StoreRow, store_rows};
use etalase_domain::roles::Role;
use sea_orm::Set;

use super::written::{AuditLog, update_as_previewed};
use super::{Importer, Plan, PreviewRow, Progress, RowAction};
use crate::error::AppResult;
use crate::service::retail::sheet::Row;
use crate::service::retail::{apply, insert_valid, own_chain_rule};
use crate::state::AppState;

/// Each row with its chain's id and the store it updates, if any.
pub(crate) type Planned = (StoreRow, Option<i64>, Option<Model>);

/// The fields a row changes on `m`.
fn changes(m: &Model, r: &StoreRow, chain_id: Option<i64>) -> Vec<String> {
    let v = &r.store;
    let mut out = Vec::new();
    let mut diff = |changed: bool, what: &str| {
        if changed {
            out.push(what.to_string());
        }
    };
    diff(chain_id != m.chain_id, "jaringan");
    diff(v.name != m.name, "nama gerai");
    diff(v.format != m.format, "format");
    diff(v.address != m.address, "alamat");
    diff(v.kelurahan.code != m.kelurahan_code, "kelurahan");
    diff(r.coordinates_given && (v.lat != m.lat || v.lon != m.lon), "titik lokasi");
    diff(v.local_facings != m.local_facings, "facing lokal");
    out
}

pub(crate) async fn plan(
    state: &AppState,
    who: &Importer,
    rows: &[Row],
) -> AppResult<Plan<Planned>> {
    let known = chains::all(&state.db).await?;
    let names: Vec<(String, String)> =
        known.iter().map(|c| (c.code.clone(), c.name.clone())).collect();
    let (good, mut errors) = store_rows(rows, &names);
    let codes: Vec<String> = good.iter().map(|r| r.store.code.clone()).collect();
    let existing = repo::find_by_codes(&state.db, &codes).await?;
    let by_code: HashMap<&str, &Model> = existing.iter().map(|m| (m.code.as_str(), m)).collect();
    let mut planned = Vec::with_capacity(good.len());
    for row in good {
        let asked = row
            .store
            .chain_code
            .as_deref()
            .and_then(|code| known.iter().find(|c| c.code == code))
            .map(|c| c.id);
        let chain_id = match own_chain_rule(who.role, who.chain_id, asked) {
            Ok(id) => id,
            Err(fe) => {
                errors.push(RowError::from_field(row.line, &fe, "jaringan"));
                continue;
            }
        };
        let found = by_code.get(row.store.code.as_str()).copied();
        if let Some(m) = found
            && who.role == Role::Chain
            && m.chain_id != who.chain_id
        {
            errors.push(RowError::new(row.line, "kode_gerai", "not_your_chain", format!(
                "Kode gerai {} sudah dipakai gerai di luar jaringan Anda: pakai kode lain atau minta Dinas memeriksanya.",
                m.code
            )));
            continue;
        }
        let (action, changed) = match found {
            None => (RowAction::New, vec![]),
            Some(m) => {
                let c = changes(m, &row, chain_id);
                (if c.is_empty() { RowAction::Same } else { RowAction::Update }, c)
            }
        };
        let note = (!row.coordinates_given && action == RowAction::New)
            .then(|| "Titik lokasi: titik tengah kelurahan".to_string());
        let who = (row.line, row.key(), row.store.name.clone());
        let view = PreviewRow::new(who, action, changed, &row.matched, note);
        planned.push((view, (row, chain_id, found.cloned())));
    }
    Ok(Plan { total_rows: rows.len().saturating_sub(1), rows: planned, errors })
}

/// Writes a clean plan in one transaction: inserts, updates (versioned: a store edited since
/// the preview fails the whole import) and one audit row per store written.
pub(crate) async fn write(
    state: &AppState,
    actor: i64,
    plan: Plan<Planned>,
    progress: &dyn Progress,
) -> AppResult<()> {
    let now = state.clock.now();
    let txn = etalase_db::begin_write(&state.db).await?;
    let mut audits = AuditLog::new(actor, "store", now);
    progress.stage("menyimpan", plan.rows.len());
    for (view, (row, chain_id, found)) in &plan.rows {
        match (view.action, found) {
            (RowAction::New, _) => {
                let m = insert_valid(&txn, &row.store, *chain_id, now).await?;
                audits.record("store_import", m.id, row.line, "diimpor");
            }
            (RowAction::Update, Some(m)) => {
                let mut v = row.store.clone();
                if !row.coordinates_given && m.kelurahan_code == v.kelurahan.code {
                    (v.lat, v.lon) = (m.lat, m.lon);
                }
                let mut am = ActiveModel { version: Set(m.version + 1), ..Default::default() };
                apply(&mut am, &v, *chain_id, now);
                update_as_previewed(&txn, m.id, m.version, am).await?;
                let what = view.changes.join(", ");
                audits.record("store_import_update", m.id, row.line, &what);
            }
            _ => {}
        }
        progress.advance(1);
    }
    audits.save(&txn).await?;
    txn.commit().await?;
    Ok(())
}
