//! Reading an uploaded spreadsheet (CSV or XLSX) into rows of text cells, with the limits of
//! `ImportLimits` (configuration `import_max_*`) checked before the work they bound: the ZIP's
//! declared uncompressed sizes before anything is inflated (a `sharedStrings.xml` bomb is
//! refused unread), XLSX cells streamed one by one with calamine's cell reader (a 1 KB file
//! whose cells are A1 and XFD1048576 never becomes a dense 550 GB range), CSV records streamed
//! by the `csv` crate; rows and columns counted as they come. Parsing is CPU work: it runs on
//! the blocking pool (`read_rows`).

use std::io::{Cursor, Read, Seek};

use calamine::{Data, Reader, Xlsx};

use crate::config::ImportLimits;
use crate::error::{AppError, AppResult, ErrorCode};

/// A line number (1-based, as a spreadsheet shows it) and its trimmed cells.
pub type Row = (usize, Vec<String>);

/// True when the bytes look like an XLSX (a ZIP file).
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn unreadable(message: impl Into<String>) -> AppError {
    AppError::bad_request(ErrorCode::UnreadableFile, message)
}

fn too_many_rows(limits: &ImportLimits) -> AppError {
    AppError::PayloadTooLarge(format!(
        "Berkas berisi lebih dari {} baris data (batas import_max_rows); bagi menjadi beberapa \
         berkas.",
        limits.max_rows
    ))
}

fn too_many_columns(limits: &ImportLimits, line: usize, column: usize) -> AppError {
    AppError::PayloadTooLarge(format!(
        "Baris {line}: isian di kolom ke-{column} — berkas impor paling banyak {} kolom (batas \
         import_max_columns).",
        limits.max_columns
    ))
}

/// Parses CSV or XLSX bytes on the blocking pool.
pub async fn read_rows(bytes: Vec<u8>, limits: ImportLimits) -> AppResult<Vec<Row>> {
    tokio::task::spawn_blocking(move || parse(&bytes, &limits))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("spreadsheet parser stopped: {e}")))?
}

/// Parses CSV or XLSX bytes (blocking).
pub fn parse(bytes: &[u8], limits: &ImportLimits) -> AppResult<Vec<Row>> {
    if bytes.len() > limits.max_bytes {
        return Err(AppError::PayloadTooLarge(format!(
            "Berkas impor terlalu besar: paling besar {} MB (batas import_max_bytes).",
            limits.max_bytes.div_ceil(1_000_000)
        )));
    }
    if let Some(what) = not_a_sheet(bytes) {
        return Err(unreadable(what));
    }
    if is_xlsx(bytes) { xlsx_rows(bytes, limits) } else { csv_rows(bytes, limits) }
}

/// What a file that is neither CSV nor XLSX is, told from its first bytes, with what to do: an
/// old Excel workbook (`.xls`), a PDF or a picture would otherwise be read as CSV and answered
/// with a list of unknown columns, or "not UTF-8".
fn not_a_sheet(bytes: &[u8]) -> Option<String> {
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    let picture = etalase_media::photo::sniff(bytes).is_some() || bytes.starts_with(b"GIF8");
    if bytes.starts_with(OLE) {
        Some(
            "Berkas ini buku kerja Excel lama (.xls), bukan XLSX atau CSV. Buka di Excel, pilih \
             Simpan Sebagai → \"Excel Workbook (.xlsx)\" atau \"CSV UTF-8\", lalu unggah lagi."
                .into(),
        )
    } else if bytes.starts_with(b"%PDF") {
        Some(
            "Berkas ini dokumen PDF, bukan XLSX atau CSV. Unggah daftarnya sebagai XLSX atau CSV \
              (templat ada di halaman ini)."
                .into(),
        )
    } else if picture {
        Some(
            "Berkas ini gambar, bukan XLSX atau CSV. Unggah daftarnya sebagai XLSX atau CSV \
              (templat ada di halaman ini)."
                .into(),
        )
    } else {
        None
    }
}

/// CSV (UTF-8, `,` or `;` as the header line shows), record by record.
fn csv_rows(bytes: &[u8], limits: &ImportLimits) -> AppResult<Vec<Row>> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let header = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let delimiter = if !header.contains(&b',') && header.contains(&b';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut rows: Vec<Row> = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter { bytes, at: 0, line: 1 };
    loop {
        let before = reader.position().line() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(unreadable(match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "Berkas CSV harus berupa teks UTF-8: di \
                                                     Excel, Simpan Sebagai → \"CSV UTF-8\"."
                        .into(),
                    _ => format!("Baris {before}: CSV tidak bisa dibaca ({e})."),
                }));
            }
        }
        // The line the record starts on: the reader's position may still point at blank lines
        // it skipped, so count the line breaks up to the record's first character.
        let line = match record.position() {
            Some(p) => {
                let mut start = usize::try_from(p.byte()).unwrap_or(bytes.len()).min(bytes.len());
                while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
                    start += 1;
                }
                lines.advance_to(start)
            }
            None => before,
        };
        if record.len() > limits.max_columns as usize {
            return Err(too_many_columns(limits, line, record.len()));
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // The header plus `max_rows` data rows.
        if rows.len() > limits.max_rows {
            return Err(too_many_rows(limits));
        }
        rows.push((line, record.iter().map(|c| c.trim().to_string()).collect()));
    }
    Ok(rows)
}

/// Line numbers of byte offsets, counted forward only (offsets come in increasing order).
struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl LineCounter<'_> {
    fn advance_to(&mut self, offset: usize) -> usize {
        let offset = offset.clamp(self.at, self.bytes.len());
        self.line += self.bytes[self.at..offset].iter().filter(|b| **b == b'\n').count();
        self.at = offset;
        self.line
    }
}

/// Refuses an archive whose parts declare more than `max_uncompressed` bytes in all, before
/// anything is inflated. (Inflating stops at the declared size, so the declaration binds.)
fn check_archive<R: Read + Seek>(reader: R, limits: &ImportLimits) -> AppResult<()> {
    let mut zip = zip::ZipArchive::new(reader)
        .map_err(|e| unreadable(format!("Berkas XLSX tidak bisa dibaca: {e}.")))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| unreadable(format!("Berkas XLSX tidak bisa dibaca: {e}.")))?;
        total = total.saturating_add(entry.size());
    }
    if total > limits.max_uncompressed {
        return Err(AppError::PayloadTooLarge(format!(
            "Isi berkas XLSX terlalu besar setelah diekstrak: lebih dari {} MB (batas \
             import_max_uncompressed_bytes).",
            limits.max_uncompressed / (1024 * 1024)
        )));
    }
    Ok(())
}

fn xlsx_rows(bytes: &[u8], limits: &ImportLimits) -> AppResult<Vec<Row>> {
    check_archive(Cursor::new(bytes), limits)?;
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
        if c >= limits.max_columns {
            return Err(too_many_columns(limits, r as usize + 1, c as usize + 1));
        }
        let text = Data::from(cell.get_value().clone()).to_string().trim().to_string();
        if text.is_empty() {
            continue;
        }
        let line = r as usize + 1;
        if rows.last().is_none_or(|(l, _)| *l != line) {
            if rows.len() > limits.max_rows {
                return Err(too_many_rows(limits));
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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn limits() -> ImportLimits {
        crate::config::Config::default().import_limits()
    }

    #[test]
    fn an_old_excel_file_a_pdf_or_a_picture_is_named_not_read_as_csv() {
        let cases: [(&[u8], &str); 5] = [
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", "Excel lama (.xls)"),
            (b"%PDF-1.7\nnama_usaha,alamat\n", "dokumen PDF"),
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF", "gambar"),
            (b"\x89PNG\r\n\x1a\n", "gambar"),
            (b"RIFF\x24\0\0\0WEBPVP8 ", "gambar"),
        ];
        for (bytes, said) in cases {
            match parse(bytes, &limits()) {
                Err(e) => {
                    let p = e.problem();
                    assert_eq!(p.code, ErrorCode::UnreadableFile);
                    assert!(p.detail.contains(said), "{said}: {}", p.detail);
                }
                Ok(rows) => panic!("{said}: read as {rows:?}"),
            }
        }
        // Latin-1 text (an older "CSV" export) says how to save it.
        let latin1 = parse(b"nama,kota\nCaf\xE9,Serang\n", &limits()).err().unwrap();
        assert!(latin1.problem().detail.contains("CSV UTF-8"), "{}", latin1.problem().detail);
        // A CSV that happens to start with those letters is still a CSV.
        let rows = parse(b"RIFF,GIF8\nA,B\n", &limits()).unwrap();
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn csv_with_too_many_rows_is_refused_naming_the_limit() {
        let l = ImportLimits { max_rows: 10, ..limits() };
        let mut csv = String::from("code,name\n");
        for i in 0..=10 {
            csv.push_str(&format!("G{i},Toko {i}\n"));
        }
        match parse(csv.as_bytes(), &l) {
            Err(AppError::PayloadTooLarge(m)) => assert!(m.contains("10 baris"), "{m}"),
            other => panic!("expected 413, got {:?}", other.map(|r| r.len())),
        }
        let ok: String = csv.lines().take(11).map(|l| format!("{l}\n")).collect();
        assert_eq!(parse(ok.as_bytes(), &l).unwrap().len(), 11);
    }

    #[test]
    fn csv_quotes_semicolons_bom_and_line_numbers() {
        let text = "\u{feff}kode;nama\n\nA1;\"Toko \"\"Maju\"\"; Jaya\"\n\"B\n2\";Dua\nC3;Tiga\n";
        let rows = parse(text.as_bytes(), &limits()).unwrap();
        assert_eq!(rows[0], (1, vec!["kode".to_string(), "nama".to_string()]));
        assert_eq!(rows[1], (3, vec!["A1".to_string(), "Toko \"Maju\"; Jaya".to_string()]));
        assert_eq!(rows[2].0, 4, "a quoted line break stays in one record");
        assert_eq!(rows[2].1[0], "B\n2");
        assert_eq!(rows[3].0, 6, "line numbers count the quoted break");
    }

    #[test]
    fn wide_csv_and_non_utf8_are_refused() {
        let wide = format!("{}\n", vec!["x"; 41].join(","));
        assert!(matches!(parse(wide.as_bytes(), &limits()), Err(AppError::PayloadTooLarge(_))));
        assert!(matches!(
            parse(&[b'a', b',', 0xff, 0xfe, b'\n'], &limits()),
            Err(AppError::BadRequest { .. })
        ));
    }
}
