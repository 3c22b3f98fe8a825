//! Importing a list of stores from CSV or XLSX (read with limits by `sheet`): every row is validated (fields,
//! Kota Serang coordinates, known chain, the caller's own chain, codes unique in the file and
//! in the database) and NOTHING is saved unless the whole file is clean; then all rows are
//! inserted in one transaction.

use std::collections::HashSet;

use etalase_db::repo::{audit, stores};
use etalase_domain::store::{ImportRowError, rows_to_inputs};
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

/// Imports stores; `Ok(Err(rows))` lists every bad line and nothing was saved.
#[tracing::instrument(skip(state, bytes), fields(user = user.id, bytes = bytes.len()))]
pub async fn import_stores(
    state: &AppState,
    user: &CurrentUser,
    bytes: &[u8],
) -> AppResult<Result<ImportReport, Vec<ImportRowError>>> {
    require_registrar(user)?;
    let rows = super::sheet::read_rows(bytes.to_vec(), state.config.import_limits()).await?;
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
