//! Owns the GTIN-13 (EAN-13) barcode number and its GS1 mod-10 check digit. Many UMKM have
//! no GS1 barcode yet, so callers keep it optional; when given it must be correct.

use super::{all_digits, string_serde, strip_chars};
use crate::error::FieldError;
use std::fmt;

/// Check digit for a 12-digit GTIN-13 payload: weights 3,1,3,… from the rightmost payload
/// digit, check = (10 − sum mod 10) mod 10. `None` unless `payload12` is exactly 12 digits.
pub fn gtin_check_digit(payload12: &str) -> Option<u8> {
    if payload12.len() != 12 || !all_digits(payload12) {
        return None;
    }
    let sum: u32 = payload12
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    u8::try_from((10 - sum % 10) % 10).ok()
}

/// A GTIN-13 with a correct check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gtin13(String);

impl Gtin13 {
    /// Parses a barcode number. Spaces and dashes (as printed under a barcode,
    /// `8 991234 567891`) are ignored; then 13 digits with a valid check digit are required.
    pub fn parse(field: &str, input: &str) -> Result<Gtin13, FieldError> {
        let s = strip_chars(input, &[' ', '-', '\t']);
        if s.is_empty() {
            return Err(FieldError::required(field, "Nomor barcode (GTIN-13)"));
        }
        if !all_digits(&s) {
            return Err(FieldError::new(
                field,
                "invalid_format",
                "Nomor barcode (GTIN-13) hanya boleh berisi angka.",
            ));
        }
        if s.len() != 13 {
            return Err(FieldError::new(
                field,
                "invalid_format",
                format!("Nomor barcode (GTIN-13) harus 13 digit, yang diisi {} digit.", s.len()),
            ));
        }
        let (payload, last) = s.split_at(12);
        let expected = gtin_check_digit(payload).unwrap_or(0);
        if last != expected.to_string() {
            return Err(FieldError::new(
                field,
                "invalid_check_digit",
                format!(
                    "Nomor barcode (GTIN-13) tidak valid: digit terakhir seharusnya {expected}, \
                     bukan {last}. Periksa kembali angka pada label."
                ),
            ));
        }
        Ok(Gtin13(s))
    }

    /// The 13 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for GS1 Indonesia numbers (prefix 899).
    pub fn is_indonesian(&self) -> bool {
        self.0.starts_with("899")
    }
}

impl fmt::Display for Gtin13 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(Gtin13, "gtin");

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_vectors() {
        assert_eq!(gtin_check_digit("629104150021"), Some(3));
        assert_eq!(gtin_check_digit("123456789012"), Some(8));
        assert_eq!(gtin_check_digit("899123456789"), Some(1));
        assert_eq!(gtin_check_digit("899100000001"), Some(0));
        assert_eq!(gtin_check_digit("12345678901"), None);
        assert_eq!(gtin_check_digit("12345678901A"), None);
    }

    #[test]
    fn parses_valid_codes_and_detects_indonesian_prefix() {
        let g = Gtin13::parse("gtin", "8991234567891").unwrap();
        assert_eq!(g.as_str(), "8991234567891");
        assert!(g.is_indonesian());
        let g = Gtin13::parse("gtin", " 6 291041 500213 ").unwrap();
        assert_eq!(g.as_str(), "6291041500213");
        assert!(!g.is_indonesian());
        assert_eq!(serde_json::to_string(&g).unwrap(), "\"6291041500213\"");
        assert_eq!(Gtin13::parse("gtin", "1234567890128").unwrap().as_str(), "1234567890128");
    }

    #[test]
    fn wrong_check_digit_names_the_expected_digit() {
        let e = Gtin13::parse("gtin", "6291041500214").unwrap_err();
        assert_eq!(e.field, "gtin");
        assert_eq!(e.code, "invalid_check_digit");
        assert!(e.message.contains("digit terakhir seharusnya 3"), "{}", e.message);
    }

    #[test]
    fn rejects_wrong_length_and_letters() {
        assert_eq!(Gtin13::parse("gtin", "629104150021").unwrap_err().code, "invalid_format");
        assert_eq!(Gtin13::parse("gtin", "62910415002A3").unwrap_err().code, "invalid_format");
        assert_eq!(Gtin13::parse("gtin", "  ").unwrap_err().code, "required");
    }
}
