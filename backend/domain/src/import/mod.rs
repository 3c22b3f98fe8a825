//! Owns the rules of the spreadsheet imports (the Dinas' businesses and their products; stores,
//! by the Dinas or a chain office): the columns and their explanations, forgiving matching of
//! names to the reference lists, and turning each row into a validated record or into every
//! problem it has, with line and column. The server reads the file and decides what is new, changed or unchanged.

pub mod business;
pub mod columns;
pub mod names;
pub mod product;
pub mod store;

use std::collections::HashMap;

use serde::Serialize;

use crate::code_enum::CodeEnum;
use crate::error::FieldError;
use crate::wilayah::{Kelurahan, kota_serang};
pub use columns::{Column, Header};
pub use names::{MatchKind, Matcher, NoMatch, no_match_message};

/// One problem of one line of an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// 1-based line number in the file (the header is line 1).
    pub line: usize,
    /// The column (`nib`, `kelurahan`, …) or `row` for the whole line.
    pub field: String,
    /// Stable code of the problem.
    pub code: &'static str,
    /// Indonesian explanation: what is wrong and what is expected.
    pub message: String,
}

impl RowError {
    pub fn new(
        line: usize,
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> RowError {
        RowError { line, field: field.into(), code, message: message.into() }
    }

    /// A field error of a validated form, moved to the import's column name.
    pub fn from_field(line: usize, fe: &FieldError, column: &str) -> RowError {
        RowError::new(line, column, fe.code, fe.message.clone())
    }
}

/// Adds the form's errors to the row's, each under its column, except for columns the row
/// already reported (a cell the import could not read is not reported twice).
pub fn with_form_errors(
    line: usize,
    mut errs: Vec<RowError>,
    form: &crate::error::ValidationErrors,
    column_of: fn(&str) -> &str,
) -> Vec<RowError> {
    let already: Vec<String> = errs.iter().map(|e| e.field.clone()).collect();
    for fe in form.iter() {
        let col = column_of(&fe.field);
        if !already.iter().any(|f| f == col) {
            errs.push(RowError::from_field(line, fe, col));
        }
    }
    errs
}

/// A name in the file matched to a reference entry other than letter for letter; the preview
/// shows it so the officer can check the guess.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matched {
    pub column: &'static str,
    pub given: String,
    pub matched: String,
}

/// Reads a whole number written the Indonesian way: `12.000`, `Rp 12.000,-`, `12000`, `1.5e4`
/// as an XLSX float without fraction. `None` for an empty cell.
pub fn whole_number(line: usize, column: &str, raw: &str) -> Result<Option<i64>, RowError> {
    let mut s = raw.trim().to_ascii_lowercase();
    if s.is_empty() || s == "-" {
        return Ok(None);
    }
    for strip in ["rp.", "rp", ",-", ",00", " "] {
        s = s.replace(strip, "");
    }
    let bad = || {
        RowError::new(
            line,
            column,
            "invalid_number",
            format!("\"{}\" bukan bilangan bulat (contoh: 12000 atau 12.000).", raw.trim()),
        )
    };
    if let Ok(v) = s.parse::<i64>() {
        return Ok(Some(v));
    }
    // Dots as thousands separators: 12.000 / 1.250.000.
    let grouped = s.split('.').enumerate().all(|(i, g)| {
        !g.is_empty() && g.chars().all(|c| c.is_ascii_digit()) && (i == 0 || g.len() == 3)
    });
    if grouped && s.contains('.') {
        return s.replace('.', "").parse::<i64>().map(Some).map_err(|_| bad());
    }
    match s.parse::<f64>() {
        Ok(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9e15 => Ok(Some(f as i64)),
        _ => Err(bad()),
    }
}

/// Reads a decimal (coordinates): `-6,12` or `-6.12`. `None` for an empty cell.
pub fn decimal(line: usize, column: &str, raw: &str) -> Result<Option<f64>, RowError> {
    let s = raw.trim().replace(',', ".");
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(RowError::new(
            line,
            column,
            "invalid_number",
            format!("\"{}\" bukan angka (contoh: -6,1203).", raw.trim()),
        )),
    }
}

/// Matches a code enum by its code or its label, forgivingly ("Menengah Rendah",
/// "menengah-rendah", "MENENGAH_RENDAH").
pub struct ChoiceMatcher<T: CodeEnum> {
    matcher: Matcher,
    _t: std::marker::PhantomData<T>,
}

impl<T: CodeEnum> Default for ChoiceMatcher<T> {
    fn default() -> Self {
        // Also accepted: the label without its parenthesis and what the parenthesis holds
        // ("gram (g)" → "gram", "Dingin (chiller)" → "chiller").
        let entries = T::all().iter().map(|v| {
            let label = v.label();
            let mut more = vec![v.as_str().replace('_', " ")];
            if let Some((before, inside)) = label.split_once('(') {
                more.push(before.trim().to_string());
                more.push(inside.trim_end_matches(')').trim().to_string());
            }
            (v.as_str(), label.to_string(), more)
        });
        ChoiceMatcher { matcher: Matcher::new(entries), _t: std::marker::PhantomData }
    }
}

impl<T: CodeEnum> ChoiceMatcher<T> {
    /// The variant, or an error naming the accepted values. Only exact spellings are accepted
    /// (no prefixes or typos: "menengah" must not silently become one of two levels).
    pub fn parse(&self, line: usize, column: &str, what: &str, raw: &str) -> Result<T, RowError> {
        match self.matcher.find(raw) {
            Ok((i, MatchKind::Code | MatchKind::Exact)) => Ok(T::all()[i]),
            _ => Err(RowError::new(
                line,
                column,
                "invalid_choice",
                format!(
                    "{what} \"{}\" tidak dikenal. Isi salah satu: {}.",
                    raw.trim(),
                    T::all().iter().map(|v| v.label()).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }
}

/// Kelurahan by code or name, within a kecamatan when one is given; answers are cached per
/// (kecamatan, kelurahan) text since a list repeats the same names.
pub struct KelurahanMatcher {
    kelurahan: Matcher,
    kecamatan: Matcher,
    cache: HashMap<(String, String), Result<(usize, MatchKind), String>>,
}

impl Default for KelurahanMatcher {
    fn default() -> Self {
        let w = kota_serang();
        let kelurahan = Matcher::new(w.kelurahan().iter().map(|k| {
            (k.code.as_str(), k.name.clone(), vec![format!("{} {}", k.name, k.kecamatan_name)])
        }));
        let kecamatan =
            Matcher::new(w.kecamatan().iter().map(|k| (k.code.as_str(), k.name.clone(), vec![])));
        KelurahanMatcher { kelurahan, kecamatan, cache: HashMap::new() }
    }
}

impl KelurahanMatcher {
    /// The kelurahan and, when the match was not letter for letter, what to show.
    pub fn find(
        &mut self,
        line: usize,
        kecamatan: &str,
        kelurahan: &str,
    ) -> Result<(&'static Kelurahan, Option<Matched>), RowError> {
        let key = (kecamatan.to_string(), kelurahan.to_string());
        if !self.cache.contains_key(&key) {
            let answer = self.lookup(kecamatan, kelurahan);
            self.cache.insert(key.clone(), answer);
        }
        let all = kota_serang().kelurahan();
        match self.cache.get(&key) {
            Some(Ok((i, kind))) => {
                let k = &all[*i];
                let literal = *kind == MatchKind::Code || normalize_eq(&k.name, kelurahan);
                let matched = (!literal).then(|| Matched {
                    column: "kelurahan",
                    given: kelurahan.trim().to_string(),
                    matched: format!("{} ({}, Kec. {})", k.name, k.code, k.kecamatan_name),
                });
                Ok((k, matched))
            }
            Some(Err(m)) => Err(RowError::new(line, "kelurahan", "unknown_kelurahan", m.clone())),
            None => Err(RowError::new(line, "kelurahan", "unknown_kelurahan", "kelurahan?")),
        }
    }

    fn lookup(&self, kecamatan: &str, kelurahan: &str) -> Result<(usize, MatchKind), String> {
        let w = kota_serang();
        if kelurahan.trim().is_empty() {
            return Err("Kelurahan wajib diisi (nama atau kode, mis. Cipocok Jaya).".into());
        }
        let kec = if kecamatan.trim().is_empty() {
            None
        } else {
            match self.kecamatan.find(kecamatan) {
                Ok((i, _)) => Some(w.kecamatan()[i].code.clone()),
                Err(e) => return Err(no_match_message("Kecamatan", kecamatan, &e)),
            }
        };
        let all = w.kelurahan();
        self.kelurahan
            .find_among(kelurahan, |i| kec.as_ref().is_none_or(|c| all[i].kecamatan_code == *c))
            .map_err(|e| no_match_message("Kelurahan", kelurahan, &e))
    }
}

fn normalize_eq(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
