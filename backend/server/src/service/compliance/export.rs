//! Exports of the store list with levels and figures: CSV (RFC 4180, UTF-8 with BOM so
//! spreadsheet programs show Indonesian text right) and XLSX (rust_xlsxwriter).

use rust_xlsxwriter::Workbook;

use super::StoreStatusView;
use crate::error::{AppError, AppResult};

/// Column headers, shared by both formats.
pub const HEADERS: [&str; 11] = [
    "kode",
    "nama",
    "jaringan",
    "kecamatan",
    "kelurahan",
    "status",
    "perjanjian",
    "produk",
    "umkm",
    "lat",
    "lon",
];

/// A text cell a spreadsheet program would run as a formula (`=`, `+`, `-`, `@`, tab, CR at
/// the start) gets a leading apostrophe, so it is shown as text (CSV injection).
pub fn neutralise(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() }
}

/// One CSV line's cells.
fn cells(r: &StoreStatusView) -> [String; 11] {
    [
        neutralise(&r.code),
        neutralise(&r.name),
        neutralise(r.chain_name.as_deref().unwrap_or_default()),
        neutralise(&r.kecamatan_name),
        neutralise(&r.kelurahan_name),
        neutralise(&r.level),
        r.agreements.to_string(),
        r.products.to_string(),
        r.producers.to_string(),
        format!("{:.6}", r.lat),
        format!("{:.6}", r.lon),
    ]
}

pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv(rows: &[StoreStatusView]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&HEADERS.join(","));
    out.push_str("\r\n");
    for r in rows {
        out.push_str(&cells(r).iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn xlsx(rows: &[StoreStatusView]) -> AppResult<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Kepatuhan").map_err(err)?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).map_err(err)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        // XLSX string cells are never formulas: the texts go in as they are.
        let chain = r.chain_name.clone().unwrap_or_default();
        let v = [&r.code, &r.name, &chain, &r.kecamatan_name, &r.kelurahan_name, &r.level];
        for (c, text) in v.into_iter().enumerate() {
            ws.write_string(row, c as u16, text).map_err(err)?;
        }
        ws.write_number(row, 6, r.agreements as f64).map_err(err)?;
        ws.write_number(row, 7, r.products as f64).map_err(err)?;
        ws.write_number(row, 8, r.producers as f64).map_err(err)?;
        ws.write_number(row, 9, r.lat).map_err(err)?;
        ws.write_number(row, 10, r.lon).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn text_that_would_run_as_a_formula_is_shown_as_text() {
        assert_eq!(neutralise("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        for s in ["+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(neutralise("Indomaret Cipocok"), "Indomaret Cipocok");
        assert_eq!(neutralise(""), "");
    }
}
