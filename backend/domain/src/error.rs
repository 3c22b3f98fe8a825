//! Owns validation errors: one `FieldError` per bad form field (stable snake_case `code`,
//! Indonesian `message`) and `ValidationErrors`, the list a validator returns so a form can
//! show every problem at once.
//!
//! Codes used across the crate: `required`, `invalid_format`, `invalid_check_digit`,
//! `too_short`, `too_long`, `out_of_range`, `invalid_choice`, `kind_mismatch`,
//! `not_in_kota_serang`, `unknown_kelurahan`, `unknown_category`, `kh_not_certificate`,
//! `below_wholesale`, `pirt_year_mismatch`, `expires_before_issued`.

use serde::Serialize;
use std::fmt;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field name as the client sent it (e.g. `retail_price`).
    pub field: String,
    /// Stable machine code (e.g. `invalid_check_digit`).
    pub code: &'static str,
    /// Message for the user, in Bahasa Indonesia.
    pub message: String,
}

impl FieldError {
    /// Builds an error for `field`.
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), code, message: message.into() }
    }

    /// `required` error with the message "<what> wajib diisi.".
    pub fn required(field: impl Into<String>, what: &str) -> Self {
        FieldError::new(field, "required", format!("{what} wajib diisi."))
    }

    /// The same error reported on another field name (e.g. when a nested value is renamed).
    pub fn on_field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

/// Every problem found in one input; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// No errors yet.
    pub fn new() -> Self {
        ValidationErrors(Vec::new())
    }

    /// Records one error.
    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// True when nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of recorded errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `Ok(ok)` when empty, otherwise `Err(self)`.
    pub fn into_result<T>(self, ok: T) -> Result<T, ValidationErrors> {
        if self.is_empty() { Ok(ok) } else { Err(self) }
    }

    /// Records the error of `r`, if any, and returns its value otherwise.
    pub fn field<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(e);
                None
            }
        }
    }

    /// The first error reported on `field`.
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// Names of the fields with errors, in order, without duplicates.
    pub fn fields(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for e in &self.0 {
            if !out.contains(&e.field.as_str()) {
                out.push(&e.field);
            }
        }
        out
    }

    /// Iterates over the errors.
    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(e: FieldError) -> Self {
        ValidationErrors(vec![e])
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Data tidak valid")?;
        for (i, e) in self.0.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a FieldError;
    type IntoIter = std::slice::Iter<'a, FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Trims `input`; `None` when nothing is left (empty strings count as absent).
pub(crate) fn non_empty(input: Option<&str>) -> Option<&str> {
    input.map(str::trim).filter(|s| !s.is_empty())
}

/// Checks the length in characters of an already-trimmed text.
pub(crate) fn check_len(
    field: &str,
    what: &str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), FieldError> {
    let n = value.chars().count();
    if n < min {
        return Err(FieldError::new(
            field,
            "too_short",
            format!("{what} minimal {min} karakter, yang diisi {n} karakter."),
        ));
    }
    if n > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("{what} maksimal {max} karakter, yang diisi {n} karakter."),
        ));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn collects_and_reports_all_errors() {
        let mut errs = ValidationErrors::new();
        assert!(errs.is_empty());
        let a: Option<u8> = errs.field(Ok(7));
        assert_eq!(a, Some(7));
        let b: Option<u8> = errs.field(Err(FieldError::required("name", "Nama produk")));
        assert_eq!(b, None);
        errs.push(FieldError::new("gtin", "invalid_check_digit", "Salah."));
        assert_eq!(errs.len(), 2);
        assert_eq!(errs.fields(), vec!["name", "gtin"]);
        assert_eq!(errs.get("gtin").unwrap().code, "invalid_check_digit");
        assert_eq!(
            errs.to_string(),
            "Data tidak valid: name: Nama produk wajib diisi.; gtin: Salah."
        );
        let json = serde_json::to_value(&errs).unwrap();
        assert_eq!(json[0]["field"], "name");
        assert_eq!(json[0]["code"], "required");
        assert_eq!(errs.clone().into_result(1), Err(errs));
        assert_eq!(ValidationErrors::new().into_result(1), Ok(1));
    }

    #[test]
    fn length_checks_count_characters_not_bytes() {
        assert!(check_len("name", "Nama", "kué", 3, 3).is_ok());
        assert_eq!(check_len("name", "Nama", "ab", 3, 5).unwrap_err().code, "too_short");
        let e = check_len("brand", "Merek", "abcdef", 0, 5).unwrap_err();
        assert_eq!(e.code, "too_long");
        assert_eq!(e.message, "Merek maksimal 5 karakter, yang diisi 6 karakter.");
        assert_eq!(non_empty(Some("  ")), None);
        assert_eq!(non_empty(Some(" x ")), Some("x"));
    }
}
