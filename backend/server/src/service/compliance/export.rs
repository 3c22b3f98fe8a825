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

fn cells(r: &StoreStatusView) -> [String; 11] {
    [
        r.code.clone(),
        r.name.clone(),
        r.chain_name.clone().unwrap_or_default(),
        r.kecamatan_name.clone(),
        r.kelurahan_name.clone(),
        r.level.clone(),
        r.agreements.to_string(),
        r.products.to_string(),
        r.producers.to_string(),
        format!("{:.6}", r.lat),
        format!("{:.6}", r.lon),
    ]
}

fn csv_field(s: &str) -> String {
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
        let v = cells(r);
        for (c, text) in v.iter().take(6).enumerate() {
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
