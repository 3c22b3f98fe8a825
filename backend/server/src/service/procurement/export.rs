//! The Pasal 11(e) report as files: CSV (UTF-8 with BOM, one row per buyer and month, the
//! Pasal 11(b)–(d) categories in their own columns) and XLSX (the same rows on the sheet
//! "Per bulan", and one row per buyer with the year to date and the budget on "Rekap tahun").

use axum::response::Response;
use etalase_domain::procurement::{PurchaseFact, TARGET_PERCENT};
use rust_xlsxwriter::Workbook;

use super::report::{PASAL_CATEGORIES, ReportView, build, month_category};
use crate::auth::CurrentUser;
use crate::download::{CSV, XLSX, attachment};
use crate::error::{AppError, AppResult};
use crate::service::compliance::export::{csv_field, neutralise};
use crate::state::AppState;

/// Columns of the monthly rows.
pub const HEADERS: [&str; 15] = [
    "pembeli",
    "jenis",
    "tahun",
    "bulan",
    "belanja_total",
    "belanja_umkm_lokal",
    "porsi_umkm_lokal",
    "target",
    "status",
    "pasal_11b_total",
    "pasal_11b_umkm_lokal",
    "pasal_11c_total",
    "pasal_11c_umkm_lokal",
    "pasal_11d_total",
    "pasal_11d_umkm_lokal",
];

/// Columns of the yearly summary sheet.
pub const SUMMARY_HEADERS: [&str; 10] = [
    "pembeli",
    "jenis",
    "tahun",
    "sampai_bulan",
    "belanja_total",
    "belanja_umkm_lokal",
    "porsi_umkm_lokal",
    "status",
    "anggaran",
    "anggaran_terpakai",
];

/// A cell: text or a whole number.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
}

impl Cell {
    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => csv_field(&neutralise(s)),
            Cell::Int(n) => n.to_string(),
        }
    }
}

/// The monthly rows, buyer by buyer, January to December.
pub fn rows(view: &ReportView, facts: &[(i64, Vec<PurchaseFact>)]) -> Vec<Vec<Cell>> {
    let mut out = Vec::new();
    for b in &view.buyers {
        let mine = facts.iter().find(|f| f.0 == b.buyer.id).map_or(&[][..], |f| &f.1[..]);
        for m in &b.months {
            let mut row = vec![
                Cell::Text(b.buyer.name.clone()),
                Cell::Text(b.buyer.kind_label.clone()),
                Cell::Int(i64::from(view.year)),
                Cell::Text(format!("{}-{:02}", view.year, m.month)),
                Cell::Int(m.total),
                Cell::Int(m.local),
                Cell::Text(if m.share_bp.is_some() { m.share_text.clone() } else { String::new() }),
                Cell::Text(format!("{TARGET_PERCENT}%")),
                Cell::Text(m.status_label.clone()),
            ];
            for c in PASAL_CATEGORIES {
                let (t, l) = month_category(mine, m.month, c);
                row.push(Cell::Int(t));
                row.push(Cell::Int(l));
            }
            out.push(row);
        }
    }
    out
}

fn summary_rows(view: &ReportView) -> Vec<Vec<Cell>> {
    view.buyers
        .iter()
        .map(|b| {
            let y = &b.year_to_date;
            vec![
                Cell::Text(b.buyer.name.clone()),
                Cell::Text(b.buyer.kind_label.clone()),
                Cell::Int(i64::from(view.year)),
                Cell::Int(i64::from(view.through_month)),
                Cell::Int(y.total),
                Cell::Int(y.local),
                Cell::Text(if y.share_bp.is_some() { y.share_text.clone() } else { String::new() }),
                Cell::Text(y.status_label.clone()),
                b.budget.budget.map_or(Cell::Text(String::new()), Cell::Int),
                Cell::Text(if b.budget.used_bp.is_some() {
                    b.budget.used_text.clone()
                } else {
                    String::new()
                }),
            ]
        })
        .collect()
}

pub fn csv(rows: &[Vec<Cell>]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&HEADERS.join(","));
    out.push_str("\r\n");
    for r in rows {
        out.push_str(&r.iter().map(Cell::csv).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn xlsx(view: &ReportView, rows: &[Vec<Cell>]) -> AppResult<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut wb = Workbook::new();
    for (name, headers, body) in [
        ("Per bulan", &HEADERS[..], rows.to_vec()),
        ("Rekap tahun", &SUMMARY_HEADERS[..], summary_rows(view)),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(err)?;
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, *h).map_err(err)?;
        }
        for (i, r) in body.iter().enumerate() {
            let row = (i + 1) as u32;
            for (c, cell) in r.iter().enumerate() {
                // XLSX string cells are never formulas: the texts go in as they are.
                match cell {
                    Cell::Text(s) => ws.write_string(row, c as u16, s).map_err(err)?,
                    Cell::Int(n) => ws.write_number(row, c as u16, *n as f64).map_err(err)?,
                };
            }
        }
    }
    wb.save_to_buffer().map_err(err)
}

/// File format of a download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// The report as a download (`pengadaan-umkm-<year>.csv|xlsx`), for the API and the page.
pub async fn download(
    state: &AppState,
    user: &CurrentUser,
    year: Option<i32>,
    buyer_id: Option<i64>,
    format: Format,
) -> AppResult<Response> {
    let (view, facts) = build(state, user, year, buyer_id).await?;
    let rows = rows(&view, &facts);
    let name = format!("pengadaan-umkm-{}", view.year);
    Ok(match format {
        Format::Csv => attachment(CSV, format!("{name}.csv"), csv(&rows).into_bytes()),
        Format::Xlsx => attachment(XLSX, format!("{name}.xlsx"), xlsx(&view, &rows)?),
    })
}
