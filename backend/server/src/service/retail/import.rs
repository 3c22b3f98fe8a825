//! Importing a list of stores from CSV or XLSX (`calamine`): every row is validated (fields,
//! Kota Serang coordinates, known chain, the caller's own chain, codes unique in the file and
//! in the database) and NOTHING is saved unless the whole file is clean; then all rows are
//! inserted in one transaction.

use std::collections::HashSet;
use std::io::Cursor;

use calamine::{Reader, Xlsx};
use etalase_db::repo::{audit, stores};
use etalase_domain::store::{ImportRowError, parse_csv, rows_to_inputs};
use sea_orm::TransactionTrait;
use serde::Serialize;
use utoipa::ToSchema;

use super::{chain_for, insert_valid, require_registrar};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;

/// One bad line of an import.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportRowView {
    pub line: usize,
    pub field: String,
    pub code: String,
    pub message: String,
}

impl From<&ImportRowError> for ImportRowView {
    fn from(e: &ImportRowError) -> Self {
        ImportRowView {
            line: e.line,
            field: e.field.clone(),
            code: e.code.to_string(),
            message: e.message.clone(),
        }
    }
}

/// Result of a clean import.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    /// Stores saved.
    pub imported: usize,
}

/// True when the bytes look like an XLSX (a ZIP file).
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn xlsx_rows(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec()))
        .map_err(|e| format!("Berkas XLSX tidak bisa dibaca: {e}."))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| "Berkas XLSX tidak berisi lembar kerja.".to_string())?
        .map_err(|e| format!("Lembar kerja pertama tidak bisa dibaca: {e}."))?;
    let first = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            (
                first + i + 1,
                row.iter().map(|c| c.to_string().trim().to_string()).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .collect())
}

/// Imports stores; `Ok(Err(rows))` lists every bad line and nothing was saved.
#[tracing::instrument(skip(state, bytes), fields(user = user.id, bytes = bytes.len()))]
pub async fn import_stores(
    state: &AppState,
    user: &CurrentUser,
    bytes: &[u8],
) -> AppResult<Result<ImportReport, Vec<ImportRowError>>> {
    require_registrar(user)?;
    let rows = if is_xlsx(bytes) {
        xlsx_rows(bytes).map_err(|m| AppError::bad_request(ErrorCode::UnreadableFile, m))?
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| {
            AppError::bad_request(ErrorCode::UnreadableFile, "Berkas CSV harus berupa teks UTF-8.")
        })?;
        parse_csv(text)
    };
    let (valid, mut errors) = rows_to_inputs(&rows);
    let mut resolved = Vec::with_capacity(valid.len());
    let mut codes_taken = HashSet::new();
    for (line, v) in &valid {
        match chain_for(&state.db, user, v.chain_code.as_deref()).await {
            Ok(chain_id) => resolved.push((v, chain_id)),
            Err(fe) => errors.push(ImportRowError {
                line: *line,
                field: fe.field,
                code: fe.code,
                message: format!("Baris {line}: {}", fe.message),
            }),
        }
        if stores::find_by_code(&state.db, &v.code).await?.is_some()
            && codes_taken.insert(v.code.clone())
        {
            errors.push(ImportRowError {
                line: *line,
                field: "code".into(),
                code: "already_exists",
                message: format!("Baris {line}: kode gerai {} sudah terdaftar.", v.code),
            });
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Ok(Err(errors));
    }
    if resolved.is_empty() {
        return Err(AppError::bad_request(
            ErrorCode::EmptyFile,
            "Berkas tidak berisi satu gerai pun.",
        ));
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    for (v, chain_id) in &resolved {
        insert_valid(&txn, v, *chain_id, now).await?;
    }
    audit::record(
        &txn,
        Some(user.id),
        "store_import",
        "store",
        0,
        Some(format!("{} gerai", resolved.len())),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(ImportReport { imported: resolved.len() }))
}
