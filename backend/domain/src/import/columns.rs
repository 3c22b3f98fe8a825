//! The columns of an import file: each has a key, the header the template writes, other
//! headers accepted (English, older lists), whether it is required, and the explanation and
//! example the template's second sheet shows. Headers are matched forgivingly (case, spaces,
//! `_`/`-`, a trailing `*`), in any order; unknown columns and missing required ones are
//! reported at once, on line 1.

use super::RowError;
use super::names::words as normalize;

/// One column of an import kind.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Stable key (also the template's header).
    pub key: &'static str,
    /// Other headers accepted.
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// What to write, in Indonesian.
    pub explain: &'static str,
    pub example: &'static str,
}

/// Where each column sits in the file.
#[derive(Debug, Clone)]
pub struct Header {
    positions: Vec<(&'static str, usize)>,
}

impl Header {
    /// Reads the first row of `rows` as the header: the problems on line 1 when it is missing or
    /// wrong.
    pub fn first(
        rows: &[(usize, Vec<String>)],
        columns: &[Column],
    ) -> Result<Header, Vec<RowError>> {
        match rows.first() {
            Some((line, cells)) => Header::read(*line, cells, columns),
            None => Err(vec![RowError::new(
                1,
                "row",
                "empty_file",
                "Berkas kosong: baris pertama harus berisi judul kolom.",
            )]),
        }
    }

    /// Reads the header line against `columns`.
    pub fn read(
        line: usize,
        cells: &[String],
        columns: &[Column],
    ) -> Result<Header, Vec<RowError>> {
        let mut positions = Vec::new();
        let mut errors = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            let got = normalize(cell.trim_end_matches('*'));
            if got.is_empty() {
                continue;
            }
            let found = columns
                .iter()
                .find(|c| normalize(c.key) == got || c.aliases.iter().any(|a| normalize(a) == got));
            match found {
                Some(c) if positions.iter().any(|(k, _)| *k == c.key) => {
                    errors.push(RowError::new(
                        line,
                        c.key,
                        "duplicate_column",
                        format!("Kolom {} muncul dua kali (kolom ke-{}).", c.key, i + 1),
                    ))
                }
                Some(c) => positions.push((c.key, i)),
                None => errors.push(RowError::new(
                    line,
                    cell,
                    "unknown_column",
                    format!(
                        "Kolom \"{cell}\" (kolom ke-{}) tidak dikenal. Kolom yang dikenal: {}.",
                        i + 1,
                        columns.iter().map(|c| c.key).collect::<Vec<_>>().join(", ")
                    ),
                )),
            }
        }
        for c in columns.iter().filter(|c| c.required) {
            if !positions.iter().any(|(k, _)| *k == c.key) {
                errors.push(RowError::new(
                    line,
                    c.key,
                    "missing_column",
                    format!("Kolom wajib {} tidak ada di baris judul.", c.key),
                ));
            }
        }
        if errors.is_empty() { Ok(Header { positions }) } else { Err(errors) }
    }

    /// The trimmed cell of `key` in `cells` ("" when the column or the cell is absent).
    pub fn cell<'a>(&self, cells: &'a [String], key: &str) -> &'a str {
        self.positions
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, i)| cells.get(*i))
            .map_or("", |s| s.trim())
    }

    /// The cell, or `None` when empty.
    pub fn opt(&self, cells: &[String], key: &str) -> Option<String> {
        Some(self.cell(cells, key)).filter(|s| !s.is_empty()).map(str::to_string)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const COLS: [Column; 3] = [
        Column { key: "nama_usaha", aliases: &["nama"], required: true, explain: "", example: "" },
        Column { key: "nib", aliases: &[], required: false, explain: "", example: "" },
        Column { key: "alamat", aliases: &["address"], required: true, explain: "", example: "" },
    ];

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_match_in_any_order_and_spelling() {
        let h = Header::read(1, &cells(&["Address", "NAMA USAHA*", ""]), &COLS).unwrap();
        let row = cells(&[" Jl. Raya ", "Keripik"]);
        assert_eq!(h.cell(&row, "nama_usaha"), "Keripik");
        assert_eq!(h.cell(&row, "alamat"), "Jl. Raya");
        assert_eq!(h.opt(&row, "nib"), None);
    }

    #[test]
    fn unknown_duplicate_and_missing_columns_are_all_reported() {
        let errs = Header::read(1, &cells(&["nama", "nama_usaha", "warna"]), &COLS).unwrap_err();
        let codes: Vec<&str> = errs.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["duplicate_column", "unknown_column", "missing_column"]);
        assert!(errs[1].message.contains("\"warna\""), "{}", errs[1].message);
        assert_eq!(errs[2].field, "alamat");
    }
}
