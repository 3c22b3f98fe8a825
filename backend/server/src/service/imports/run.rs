//! `etalase import businesses|products|stores FILE [--dry-run]`: the same preview and save as the
//! page, with a progress bar (indicatif) on the terminal and a summary at the end.

use std::path::Path;
use std::time::Instant;

use etalase_db::repo::users;
use indicatif::{ProgressBar, ProgressStyle};

use super::{ImportKind, ImportPreview, Importer, Progress};
use crate::state::AppState;

/// A terminal progress bar, one stage at a time.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn stage(&self, name: &str, total: usize) {
        self.0.set_length(total as u64);
        self.0.set_position(0);
        self.0.set_message(name.to_string());
    }

    fn advance(&self, n: usize) {
        self.0.inc(n as u64);
    }
}

fn summary(p: &ImportPreview) -> String {
    let mut out = format!(
        "{} baris data: {} baru, {} diubah, {} tetap, {} masalah.\n",
        p.total_rows,
        p.new,
        p.updated,
        p.unchanged,
        p.errors.len()
    );
    for e in p.errors.iter().take(200) {
        out.push_str(&format!("  baris {} · {}: {}\n", e.line, e.field, e.message));
    }
    if p.errors.len() > 200 {
        out.push_str(&format!("  … dan {} masalah lain.\n", p.errors.len() - 200));
    }
    out
}

/// Runs the command; the error is the message to print (the process then exits non-zero).
pub async fn run(
    state: &AppState,
    kind: &str,
    file: &Path,
    dry_run: bool,
    officer: &str,
    max_rows: usize,
) -> anyhow::Result<String> {
    let kind = ImportKind::parse(kind).map_err(|e| anyhow::anyhow!(e.problem().detail))?;
    let who = users::find_by_email(&state.db, officer.trim())
        .await?
        .filter(|u| kind.roles().contains(&u.role) && !u.disabled)
        .ok_or_else(|| {
            let roles: Vec<&str> = kind.roles().iter().map(|r| r.label()).collect();
            anyhow::anyhow!(
                "--officer {officer}: bukan akun aktif yang boleh mengimpor {} ({})",
                kind.label().to_lowercase(),
                roles.join(", ")
            )
        })?;
    let importer = Importer { id: who.id, role: who.role, chain_id: who.chain_id };
    let bytes = std::fs::read(file)
        .map_err(|e| anyhow::anyhow!("berkas {} tidak bisa dibaca: {e}", file.display()))?;
    let mut limits = state.config.import_limits();
    limits.max_rows = max_rows;
    limits.max_bytes = limits.max_bytes.max(bytes.len());
    limits.max_uncompressed = limits.max_uncompressed.max(64 * bytes.len() as u64);
    let t0 = Instant::now();
    if dry_run {
        let p = super::preview_for(state, &importer, kind, bytes, limits)
            .await
            .map_err(|e| anyhow::anyhow!(e.problem().detail))?;
        return Ok(format!(
            "{}Uji coba (--dry-run): tidak ada yang disimpan. {:.1} s.\n",
            summary(&p),
            t0.elapsed().as_secs_f64()
        ));
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>16} [{bar:40}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let out = super::save(state, who.id, kind, bytes, limits, &Bar(bar.clone()))
        .await
        .map_err(|e| anyhow::anyhow!(e.problem().detail));
    bar.finish_and_clear();
    match out? {
        Ok(s) => Ok(format!(
            "{} disimpan: {} baru, {} diubah, {} tetap, dalam {:.1} s (atas nama {}).\n",
            kind.label(),
            s.new,
            s.updated,
            s.unchanged,
            t0.elapsed().as_secs_f64(),
            who.email
        )),
        Err(refused) => Err(anyhow::anyhow!(
            "{}Tidak ada yang disimpan: perbaiki baris di atas lalu jalankan lagi.",
            summary(&refused.preview)
        )),
    }
}
