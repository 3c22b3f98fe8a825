//! Validating a store import: rows of text cells (read from CSV or XLSX by the server's
//! `retail::sheet`) into validated stores. Every bad row is reported with its line number and reason; the caller
//! saves nothing unless the list of errors is empty.

use super::{IMPORT_COLUMNS, StoreInput, ValidStore};
use std::collections::HashMap;

/// One problem of one line of an import file (shared with the business and product imports).
pub use crate::import::RowError as ImportRowError;

fn number(line: usize, field: &str, raw: &str, errs: &mut Vec<ImportRowError>) -> Option<f64> {
    match raw.trim().replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => {
            errs.push(ImportRowError {
                line,
                field: field.to_string(),
                code: "invalid_number",
                message: format!("Baris {line}: kolom {field} \"{raw}\" bukan angka."),
            });
            None
        }
    }
}

/// Turns rows (the first one the header) into validated stores, or every problem found.
/// Codes repeated inside the file are reported on their second occurrence.
pub fn rows_to_inputs(
    rows: &[(usize, Vec<String>)],
) -> (Vec<(usize, ValidStore)>, Vec<ImportRowError>) {
    let mut errs = Vec::new();
    let mut ok = Vec::new();
    let Some((hline, header)) = rows.first() else {
        errs.push(ImportRowError {
            line: 1,
            field: "row".into(),
            code: "empty_file",
            message: "Berkas kosong: baris pertama harus berisi judul kolom.".into(),
        });
        return (ok, errs);
    };
    let got: Vec<String> = header.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    if got.iter().map(String::as_str).ne(IMPORT_COLUMNS.iter().copied()) {
        errs.push(ImportRowError {
            line: *hline,
            field: "row".into(),
            code: "bad_header",
            message: format!(
                "Baris {hline}: judul kolom harus tepat: {}.",
                IMPORT_COLUMNS.join(", ")
            ),
        });
        return (ok, errs);
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, cells) in rows.iter().skip(1) {
        let line = *line;
        if cells.len() != IMPORT_COLUMNS.len() {
            errs.push(ImportRowError {
                line,
                field: "row".into(),
                code: "column_count",
                message: format!(
                    "Baris {line}: ada {} kolom, seharusnya {}.",
                    cells.len(),
                    IMPORT_COLUMNS.len()
                ),
            });
            continue;
        }
        let before = errs.len();
        let lat = number(line, "lat", &cells[6], &mut errs);
        let lon = number(line, "lon", &cells[7], &mut errs);
        let facings = if cells[8].trim().is_empty() {
            Some(0.0)
        } else {
            number(line, "local_facings", &cells[8], &mut errs).filter(|v| v.fract() == 0.0)
        };
        if errs.len() > before {
            continue;
        }
        let (Some(lat), Some(lon), Some(facings)) = (lat, lon, facings) else {
            errs.push(ImportRowError {
                line,
                field: "local_facings".into(),
                code: "invalid_number",
                message: format!("Baris {line}: kolom local_facings harus bilangan bulat."),
            });
            continue;
        };
        let input = StoreInput {
            code: cells[0].clone(),
            name: cells[1].clone(),
            chain_code: Some(cells[2].clone()),
            format: cells[3].clone(),
            address: cells[4].clone(),
            kelurahan_code: cells[5].clone(),
            lat,
            lon,
            local_facings: facings as i64,
        };
        match input.validate() {
            Ok(v) => {
                if let Some(first) = seen.insert(v.code.clone(), line) {
                    errs.push(ImportRowError {
                        line,
                        field: "code".into(),
                        code: "duplicate_in_file",
                        message: format!(
                            "Baris {line}: kode {} sudah dipakai di baris {first}.",
                            v.code
                        ),
                    });
                } else {
                    ok.push((line, v));
                }
            }
            Err(ve) => errs.extend(ve.iter().map(|fe| ImportRowError {
                line,
                field: fe.field.clone(),
                code: fe.code,
                message: format!("Baris {line}: {}", fe.message),
            })),
        }
    }
    (ok, errs)
}
