//! Template files for each import: the data sheet (headers and one example row) and a second
//! sheet "Penjelasan" with each column's meaning, whether it is required, and an example; the
//! CSV template carries the headers and the example row. Both read back through the import
//! itself (a test checks the example row previews clean apart from its reference to a business).

use etalase_domain::import::Column;
use etalase_domain::import::business::BUSINESS_COLUMNS;
use etalase_domain::import::product::PRODUCT_COLUMNS;
use etalase_domain::import::store::STORE_COLUMNS;
use rust_xlsxwriter::{Format, Workbook};

use super::ImportKind;
use crate::error::{AppError, AppResult};

pub fn columns(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Businesses => &BUSINESS_COLUMNS,
        ImportKind::Products => &PRODUCT_COLUMNS,
        ImportKind::Stores => &STORE_COLUMNS,
    }
}

/// The file name of a template.
pub fn file_name(kind: ImportKind, ext: &str) -> String {
    format!("templat-impor-{}.{ext}", kind.slug())
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into()
    }
}

/// Headers and the example row, as CSV.
pub fn csv(kind: ImportKind) -> Vec<u8> {
    let cols = columns(kind);
    let line = |f: &dyn Fn(&Column) -> &str| {
        cols.iter().map(|c| csv_cell(f(c))).collect::<Vec<_>>().join(",")
    };
    format!("{}\r\n{}\r\n", line(&|c| c.key), line(&|c| c.example)).into_bytes()
}

/// The data sheet and the explanation sheet, as XLSX.
pub fn xlsx(kind: ImportKind) -> AppResult<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let cols = columns(kind);
    let bold = Format::new().set_bold();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(kind.label()).map_err(err)?;
    for (i, c) in cols.iter().enumerate() {
        let col = i as u16;
        ws.write_string_with_format(0, col, c.key, &bold).map_err(err)?;
        ws.write_string(1, col, c.example).map_err(err)?;
        ws.set_column_width(col, (c.key.len().max(c.example.chars().count()) + 2).min(40) as f64)
            .map_err(err)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("Penjelasan").map_err(err)?;
    for (i, h) in ["kolom", "wajib", "penjelasan", "contoh", "nama kolom lain yang diterima"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, i as u16, *h, &bold).map_err(err)?;
    }
    for (i, c) in cols.iter().enumerate() {
        let row = (i + 1) as u32;
        ws.write_string(row, 0, c.key).map_err(err)?;
        ws.write_string(row, 1, if c.required { "wajib" } else { "boleh kosong" }).map_err(err)?;
        ws.write_string(row, 2, c.explain).map_err(err)?;
        ws.write_string(row, 3, c.example).map_err(err)?;
        ws.write_string(row, 4, c.aliases.join(", ")).map_err(err)?;
    }
    ws.set_column_width(2, 90).map_err(err)?;
    let note = (cols.len() + 3) as u32;
    ws.write_string(
        note,
        0,
        "Baris pertama lembar data berisi judul kolom (urutan bebas). Berkas boleh CSV (UTF-8, \
         pemisah koma atau titik koma) atau XLSX (lembar pertama yang dibaca). Tidak ada yang \
         disimpan sebelum semua baris benar; mengunggah berkas yang sama lagi tidak mengubah apa pun.",
    )
    .map_err(err)?;
    wb.save_to_buffer().map_err(err)
}
