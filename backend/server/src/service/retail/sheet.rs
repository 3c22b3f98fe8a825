//! Reading an uploaded spreadsheet (CSV or XLSX) into rows of text cells, with limits checked
//! before the work they bound: the ZIP's declared uncompressed sizes before anything is
//! inflated (a `sharedStrings.xml` bomb is refused unread), cells streamed one by one (a 1 KB
//! file whose cells are A1 and XFD1048576 never becomes a dense 550 GB range), at most
//! `MAX_ROWS` data rows and `MAX_COLUMNS` columns. Parsing is CPU work: callers run it on the
//! blocking pool (`read_rows`).

use std::io::{Cursor, Read, Seek};

use calamine::{Data, Reader, Xlsx};
use etalase_domain::store::parse_csv;

use crate::error::{AppError, AppResult, ErrorCode};

/// Most data rows one import may carry.
pub const MAX_ROWS: usize = 5_000;
/// Columns beyond this are refused (the import formats have about ten).
pub const MAX_COLUMNS: u32 = 40;
/// Most bytes the parts of an XLSX may inflate to, all together.
pub const MAX_UNCOMPRESSED: u64 = 32 * 1024 * 1024;

/// A line number (1-based, as a spreadsheet shows it) and its trimmed cells.
pub type Row = (usize, Vec<String>);

/// True when the bytes look like an XLSX (a ZIP file).
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn unreadable(message: impl Into<String>) -> AppError {
    AppError::bad_request(ErrorCode::UnreadableFile, message)
}

fn too_many_rows() -> AppError {
    AppError::PayloadTooLarge(format!(
        "Berkas berisi lebih dari {MAX_ROWS} baris data; bagi menjadi beberapa berkas."
    ))
}

/// Parses CSV or XLSX bytes on the blocking pool.
pub async fn read_rows(bytes: Vec<u8>) -> AppResult<Vec<Row>> {
    tokio::task::spawn_blocking(move || parse(&bytes))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("spreadsheet parser stopped: {e}")))?
}

/// Parses CSV or XLSX bytes (blocking).
pub fn parse(bytes: &[u8]) -> AppResult<Vec<Row>> {
    if is_xlsx(bytes) {
        return xlsx_rows(bytes);
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| unreadable("Berkas CSV harus berupa teks UTF-8."))?;
    // Header plus data rows; counted before the parser builds anything.
    if text.lines().filter(|l| !l.trim().is_empty()).count() > MAX_ROWS + 1 {
        return Err(too_many_rows());
    }
    Ok(parse_csv(text))
}

/// Refuses an archive whose parts declare more than `MAX_UNCOMPRESSED` bytes in all, before
/// anything is inflated. (Inflating stops at the declared size, so the declaration binds.)
fn check_archive<R: Read + Seek>(reader: R) -> AppResult<()> {
    let mut zip = zip::ZipArchive::new(reader)
        .map_err(|e| unreadable(format!("Berkas XLSX tidak bisa dibaca: {e}.")))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| unreadable(format!("Berkas XLSX tidak bisa dibaca: {e}.")))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNCOMPRESSED {
        return Err(AppError::PayloadTooLarge(format!(
            "Isi berkas XLSX terlalu besar setelah diekstrak (lebih dari {} MB).",
            MAX_UNCOMPRESSED / (1024 * 1024)
        )));
    }
    Ok(())
}

fn xlsx_rows(bytes: &[u8]) -> AppResult<Vec<Row>> {
    check_archive(Cursor::new(bytes))?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| unreadable(format!("Berkas XLSX tidak bisa dibaca: {e}.")))?;
    let sheet = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| unreadable("Berkas XLSX tidak berisi lembar kerja."))?;
    let mut cells = wb
        .worksheet_cells_reader(&sheet)
        .map_err(|e| unreadable(format!("Lembar kerja pertama tidak bisa dibaca: {e}.")))?;
    let mut rows: Vec<Row> = Vec::new();
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(unreadable(format!("Lembar kerja tidak bisa dibaca: {e}."))),
        };
        let (r, c) = cell.get_position();
        if c >= MAX_COLUMNS {
            return Err(unreadable(format!(
                "Baris {}: isian di kolom ke-{} — berkas impor paling banyak {MAX_COLUMNS} kolom.",
                r + 1,
                c + 1
            )));
        }
        let text = Data::from(cell.get_value().clone()).to_string().trim().to_string();
        if text.is_empty() {
            continue;
        }
        let line = r as usize + 1;
        if rows.last().is_none_or(|(l, _)| *l != line) {
            if rows.len() > MAX_ROWS {
                return Err(too_many_rows());
            }
            rows.push((line, Vec::new()));
        }
        if let Some((_, row)) = rows.last_mut() {
            let c = c as usize;
            if row.len() <= c {
                row.resize(c + 1, String::new());
            }
            row[c] = text;
        }
    }
    // A sheet lists its rows in order; sort anyway so line numbers in reports ascend.
    rows.sort_by_key(|(l, _)| *l);
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_too_many_rows_is_refused_before_parsing() {
        let mut csv = String::from("code,name\n");
        for i in 0..=MAX_ROWS {
            csv.push_str(&format!("G{i},Toko {i}\n"));
        }
        assert!(matches!(parse(csv.as_bytes()), Err(AppError::PayloadTooLarge(_))));
    }

    #[test]
    fn bytes_that_are_not_utf8_text_are_an_unreadable_file() {
        assert!(matches!(parse(&[0xff, 0xfe, 0x00]), Err(AppError::BadRequest { .. })));
    }
}
