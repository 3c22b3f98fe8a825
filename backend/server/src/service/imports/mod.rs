//! The spreadsheet imports: the Dinas' businesses and products, and stores (by the Dinas or a
//! chain office, for its own chain): a preview that shows every row (new, changed, unchanged,
//! and each name matched forgivingly) with every problem in Indonesian, and a save that writes
//! nothing unless the whole file is clean, then everything in one transaction. Re-importing the
//! same file changes nothing (rows are found again by NIB or `id_eksternal`, products by
//! `kode_produk` or name, stores by their code); a changed row updates its record and is
//! audited with the fields it changed. The rules of each row are the domain's
//! (`etalase_domain::import`); this module decides what each row does to the database. The
//! pages and the API keep the previewed file in `import_uploads` so the save reads the same
//! bytes on any instance; the command line (`etalase import`) calls the same functions.

mod businesses;
mod kind;
mod products;
pub mod run;
mod stores;
pub mod template;
pub mod uploads;
mod written;

use etalase_domain::import::{Matched, RowError};
use etalase_domain::roles::Role;
use serde::Serialize;
use utoipa::ToSchema;

use crate::config::ImportLimits;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;

pub use kind::{ImportKind, Importer, require_any_importer, require_importer};

/// One bad line of an import.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportRowView {
    pub line: usize,
    pub field: String,
    pub code: String,
    pub message: String,
}

impl From<&RowError> for ImportRowView {
    fn from(e: &RowError) -> Self {
        ImportRowView {
            line: e.line,
            field: e.field.clone(),
            code: e.code.to_string(),
            message: e.message.clone(),
        }
    }
}

/// What one row will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    /// A new record.
    New,
    /// An existing record, changed.
    Update,
    /// An existing record, as it is already.
    Same,
}

impl RowAction {
    pub fn label(self) -> &'static str {
        match self {
            RowAction::New => "Baru",
            RowAction::Update => "Diubah",
            RowAction::Same => "Tetap",
        }
    }
}

/// One row of the preview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviewRow {
    pub line: usize,
    /// How the record is found again (`NIB …`, `id …`, product code or name).
    pub key: String,
    pub name: String,
    pub action: RowAction,
    pub action_label: String,
    /// The fields an update changes.
    pub changes: Vec<String>,
    /// Names matched forgivingly: `kelurahan "Kel. Banjarsari" → Banjarsari (…)`.
    pub matched: Vec<String>,
    /// E.g. "pendampingan: belum ada NIB".
    pub note: Option<String>,
}

impl PreviewRow {
    /// A row of the preview: what it does, what it changes and the names matched forgivingly.
    pub(crate) fn new(
        (line, key, name): (usize, String, String),
        action: RowAction,
        changes: Vec<String>,
        matched: &[Matched],
        note: Option<String>,
    ) -> PreviewRow {
        let matched = matched.iter().map(matched_text).collect();
        let action_label = action.label().into();
        PreviewRow { line, key, name, action, action_label, changes, matched, note }
    }
}

/// The preview of a file: every problem, the counts, and the rows (the first `rows_shown`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportPreview {
    pub kind: String,
    /// Data rows read (without the header).
    pub total_rows: usize,
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// True when the file can be saved.
    pub clean: bool,
    /// Every problem, by line.
    pub errors: Vec<ImportRowView>,
    pub rows: Vec<PreviewRow>,
    /// Rows listed in `rows` (at most 500; the counts cover all).
    pub rows_shown: usize,
    /// For the pages: the stored file to save (see `import_uploads`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// What a save did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportSaved {
    pub kind: String,
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
}

pub(crate) type Now = chrono::DateTime<chrono::Utc>;

/// Rows listed in a preview; the counts always cover the whole file.
pub const PREVIEW_ROWS: usize = 500;

fn matched_text(m: &Matched) -> String {
    format!("{} \"{}\" → {}", m.column, m.given, m.matched)
}

fn error_views(mut errors: Vec<RowError>) -> Vec<ImportRowView> {
    errors.sort_by_key(|e| e.line);
    errors.iter().map(ImportRowView::from).collect()
}

/// What a planned import will do, before anything is written.
pub(crate) struct Plan<T> {
    pub total_rows: usize,
    pub rows: Vec<(PreviewRow, T)>,
    pub errors: Vec<RowError>,
}

impl<T> Plan<T> {
    fn count(&self, a: RowAction) -> usize {
        self.rows.iter().filter(|(r, _)| r.action == a).count()
    }

    fn preview(&self, kind: ImportKind) -> ImportPreview {
        let rows: Vec<PreviewRow> =
            self.rows.iter().take(PREVIEW_ROWS).map(|(r, _)| r.clone()).collect();
        ImportPreview {
            kind: kind.slug().into(),
            total_rows: self.total_rows,
            new: self.count(RowAction::New),
            updated: self.count(RowAction::Update),
            unchanged: self.count(RowAction::Same),
            clean: self.errors.is_empty() && !self.rows.is_empty(),
            errors: error_views(self.errors.clone()),
            rows_shown: rows.len(),
            rows,
            token: None,
        }
    }
}

/// Reports progress of a long import (the command line's progress bar).
pub trait Progress: Send + Sync {
    fn stage(&self, _name: &str, _total: usize) {}
    fn advance(&self, _n: usize) {}
}

/// No progress shown.
pub struct Quiet;
impl Progress for Quiet {}

/// Reads the file and plans it as the Dinas would (no chain restriction): nothing is written.
pub async fn preview(
    state: &AppState,
    kind: ImportKind,
    bytes: Vec<u8>,
    limits: ImportLimits,
) -> AppResult<ImportPreview> {
    let dinas = Importer { id: 0, role: Role::Dinas, chain_id: None };
    preview_for(state, &dinas, kind, bytes, limits).await
}

/// Reads the file and plans it for `who` (a chain office sees its refusals): nothing is written.
pub async fn preview_for(
    state: &AppState,
    who: &Importer,
    kind: ImportKind,
    bytes: Vec<u8>,
    limits: ImportLimits,
) -> AppResult<ImportPreview> {
    who.require(kind)?;
    let rows = crate::service::retail::sheet::read_rows(bytes, limits).await?;
    Ok(match kind {
        ImportKind::Businesses => businesses::plan(state, &rows).await?.preview(kind),
        ImportKind::Products => products::plan(state, &rows).await?.preview(kind),
        ImportKind::Stores => stores::plan(state, who, &rows).await?.preview(kind),
    })
}

/// A file that was not saved: its preview and its problems.
pub struct Refused {
    pub preview: ImportPreview,
    pub errors: Vec<RowError>,
}

impl Refused {
    /// The API's answer: 422 with every problem as field `rows[LINE].COLUMN`.
    pub fn into_error(self) -> AppError {
        AppError::Validation(etalase_domain::error::ValidationErrors(
            self.errors
                .into_iter()
                .map(|r| {
                    let field = format!("rows[{}].{}", r.line, r.field);
                    etalase_domain::error::FieldError::new(field, r.code, r.message)
                })
                .collect(),
        ))
    }
}

/// The preview of a plan, its problems, and whether it was written (only when clean).
async fn plan_then_write<T, F>(
    kind: ImportKind,
    plan: Plan<T>,
    write: impl FnOnce(Plan<T>) -> F,
) -> AppResult<(ImportPreview, Vec<RowError>, bool)>
where
    F: Future<Output = AppResult<()>>,
{
    let p = plan.preview(kind);
    let errors = plan.errors.clone();
    let saved = p.clean;
    if saved {
        write(plan).await?;
    }
    Ok((p, errors, saved))
}

/// Rows written by one import above which PostgreSQL's planner statistics are refreshed.
const BULK_ROWS: usize = 1_000;

/// After a bulk import, PostgreSQL's statistics still describe the tables before it (autovacuum
/// analyzes them a minute or more later), and the planner then scans a table for every
/// `IN (…)` lookup of the next import: measured, a re-import of 50,000 businesses took 66 s
/// instead of seconds. Best effort: a failure is only logged.
async fn refresh_statistics(state: &AppState, kind: ImportKind) {
    use sea_orm::ConnectionTrait;
    if state.db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return;
    }
    let tables = match kind {
        ImportKind::Businesses => "producers, audit_log",
        ImportKind::Products => "products, certificates, audit_log, search_outbox",
        ImportKind::Stores => "stores, audit_log",
    };
    if let Err(e) = state.db.execute_unprepared(&format!("ANALYZE {tables}")).await {
        tracing::warn!(error = %e, "ANALYZE after a bulk import failed");
    }
}

/// Saves the file when it is clean (everything in one transaction), or returns its preview
/// with the problems and saves nothing. `actor` is the account the import is done by (a Dinas
/// officer; for stores also a chain office, for its own chain), checked here.
pub async fn save(
    state: &AppState,
    actor: i64,
    kind: ImportKind,
    bytes: Vec<u8>,
    limits: ImportLimits,
    progress: &dyn Progress,
) -> AppResult<Result<ImportSaved, Refused>> {
    let who = &Importer::load(state, actor, kind).await?;
    progress.stage("membaca berkas", 0);
    let rows = crate::service::retail::sheet::read_rows(bytes, limits).await?;
    progress.stage("memeriksa baris", rows.len().saturating_sub(1));
    let (preview, mut errors, saved) = match kind {
        ImportKind::Businesses => {
            let plan = businesses::plan(state, &rows).await?;
            plan_then_write(kind, plan, |p| businesses::write(state, actor, p, progress)).await?
        }
        ImportKind::Products => {
            let plan = products::plan(state, &rows).await?;
            plan_then_write(kind, plan, |p| products::write(state, actor, p, progress)).await?
        }
        ImportKind::Stores => {
            let plan = stores::plan(state, who, &rows).await?;
            plan_then_write(kind, plan, |p| stores::write(state, actor, p, progress)).await?
        }
    };
    if !saved && preview.errors.is_empty() {
        return Err(AppError::bad_request(
            ErrorCode::EmptyFile,
            "Berkas tidak berisi satu baris data pun.",
        ));
    }
    if saved && preview.new + preview.updated >= BULK_ROWS {
        refresh_statistics(state, kind).await;
    }
    Ok(if saved {
        Ok(ImportSaved {
            kind: kind.slug().into(),
            new: preview.new,
            updated: preview.updated,
            unchanged: preview.unchanged,
        })
    } else {
        errors.sort_by_key(|e| e.line);
        Err(Refused { preview, errors })
    })
}
