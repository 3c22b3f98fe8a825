//! Reading HTML forms: every value arrives as text; numbers are parsed here with Indonesian
//! messages naming the field, so a form can be shown again with its errors.

use std::collections::HashMap;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, FromRequest, Request};
use etalase_domain::error::{FieldError, ValidationErrors};
use etalase_domain::money::Rupiah;

use super::ctx::PageError;
use crate::error::{AppError, ErrorCode};

/// A posted `application/x-www-form-urlencoded` form.
#[derive(Debug, Clone, Default)]
pub struct FormData(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = PageError;
    async fn from_request(req: Request, state: &S) -> Result<Self, PageError> {
        crate::extract::refuse_declared_oversize(&req).map_err(PageError)?;
        Form::<HashMap<String, String>>::from_request(req, state)
            .await
            .map(|f| FormData(f.0))
            .map_err(|e| PageError(refusal(&e)))
    }
}

/// Why a posted form was not read, in Indonesian (axum's own text is English).
fn refusal(e: &FormRejection) -> AppError {
    match e {
        FormRejection::InvalidFormContentType(_) => AppError::UnsupportedMediaType(
            "Formulir harus dikirim sebagai application/x-www-form-urlencoded, seperti formulir \
             di halaman ini."
                .into(),
        ),
        e if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
            crate::extract::body_too_large()
        }
        _ => AppError::bad_request(
            ErrorCode::MalformedForm,
            "Isi formulir tidak bisa dibaca; muat ulang halaman, lalu kirim lagi.",
        ),
    }
}

impl FormData {
    pub fn text(&self, k: &str) -> String {
        self.0.get(k).map(|v| v.trim().to_string()).unwrap_or_default()
    }

    pub fn opt(&self, k: &str) -> Option<String> {
        Some(self.text(k)).filter(|v| !v.is_empty())
    }

    pub fn csrf(&self) -> Option<&str> {
        self.0.get("csrf").map(String::as_str)
    }

    /// A whole number; "" is absent. Dots and spaces as thousands separators are allowed.
    pub fn int(&self, k: &str, errs: &mut ValidationErrors) -> Option<i64> {
        let raw = self.text(k);
        if raw.is_empty() {
            return None;
        }
        let cleaned: String = raw.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
        match cleaned.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                errs.push(FieldError::new(
                    k,
                    "invalid_number",
                    format!("\"{raw}\" bukan bilangan bulat."),
                ));
                None
            }
        }
    }

    /// Rupiah as typed by people: `25000`, `25.000`, `Rp 25.000`.
    pub fn rupiah(&self, k: &str, errs: &mut ValidationErrors) -> Option<i64> {
        let raw = self.text(k);
        if raw.is_empty() {
            return None;
        }
        errs.field(Rupiah::parse_text(k, &raw)).map(|r| r.value())
    }

    /// A decimal coordinate; a comma is accepted as the decimal mark.
    pub fn float(&self, k: &str, errs: &mut ValidationErrors) -> Option<f64> {
        let raw = self.text(k);
        if raw.is_empty() {
            return None;
        }
        match raw.replace(',', ".").parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                errs.push(FieldError::new(
                    k,
                    "invalid_number",
                    format!("\"{raw}\" bukan angka koordinat, contoh -6.1205."),
                ));
                None
            }
        }
    }

    pub fn date(&self, k: &str, errs: &mut ValidationErrors) -> Option<chrono::NaiveDate> {
        let raw = self.text(k);
        if raw.is_empty() {
            return None;
        }
        match chrono::NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                errs.push(FieldError::new(
                    k,
                    "invalid_format",
                    "Tanggal harus berformat TTTT-BB-HH.",
                ));
                None
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn numbers_accept_thousand_dots_and_report_bad_ones_by_field() {
        let f = form(&[("a", "1.500"), ("b", ""), ("c", "dua"), ("p", "Rp 25.000")]);
        let mut errs = ValidationErrors::new();
        assert_eq!(f.int("a", &mut errs), Some(1500));
        assert_eq!(f.int("b", &mut errs), None);
        assert_eq!(f.int("c", &mut errs), None);
        assert_eq!(f.rupiah("p", &mut errs), Some(25000));
        assert_eq!(errs.fields(), vec!["c"]);
    }

    #[test]
    fn coordinates_take_a_decimal_comma() {
        let f = form(&[("lat", "-6,1205")]);
        let mut errs = ValidationErrors::new();
        assert_eq!(f.float("lat", &mut errs), Some(-6.1205));
        assert!(errs.is_empty());
    }
}
