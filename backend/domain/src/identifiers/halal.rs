//! Owns the BPJPH halal certificate number: `ID` followed by 10–24 digits. A "KH" number
//! (ketetapan halal, the fatwa decision) is not yet a certificate and is refused.

use super::{all_digits, string_serde, strip_chars};
use crate::error::FieldError;
use std::fmt;

/// A halal certificate number, normalised to upper case without spaces (`ID3111…`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HalalNumber(String);

impl HalalNumber {
    /// Fewest digits accepted after `ID`.
    pub const MIN_DIGITS: usize = 10;
    /// Most digits accepted after `ID`.
    pub const MAX_DIGITS: usize = 24;

    /// Parses `ID31110000123450821` (prefix case-insensitive, spaces ignored).
    pub fn parse(field: &str, input: &str) -> Result<HalalNumber, FieldError> {
        let s = strip_chars(input, &[' ', '\t']).to_ascii_uppercase();
        if s.is_empty() {
            return Err(FieldError::required(field, "Nomor sertifikat halal"));
        }
        if s.starts_with("KH") {
            return Err(FieldError::new(
                field,
                "kh_not_certificate",
                "Nomor KH (ketetapan halal) belum merupakan sertifikat halal. Masukkan nomor \
                 sertifikat halal yang diterbitkan BPJPH, diawali ID.",
            ));
        }
        let Some(digits) = s.strip_prefix("ID") else {
            return Err(FieldError::new(
                field,
                "invalid_format",
                "Nomor sertifikat halal BPJPH harus diawali ID lalu angka, \
                 contoh ID31110000123450821.",
            ));
        };
        if !all_digits(digits) {
            return Err(FieldError::new(
                field,
                "invalid_format",
                "Setelah ID, nomor sertifikat halal hanya boleh berisi angka.",
            ));
        }
        let n = digits.len();
        if !(Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&n) {
            return Err(FieldError::new(
                field,
                "invalid_format",
                format!(
                    "Nomor sertifikat halal harus berisi {}–{} angka setelah ID, yang diisi \
                     {n} angka.",
                    Self::MIN_DIGITS,
                    Self::MAX_DIGITS
                ),
            ));
        }
        Ok(HalalNumber(s))
    }

    /// The normalised number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HalalNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(HalalNumber, "number");

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn normalises_prefix_case_and_spaces() {
        let h = HalalNumber::parse("number", " id 3111 0000 1234 50821 ").unwrap();
        assert_eq!(h.as_str(), "ID31110000123450821");
        assert_eq!(serde_json::to_string(&h).unwrap(), "\"ID31110000123450821\"");
        assert_eq!(HalalNumber::parse("n", "ID1234567890").unwrap().as_str(), "ID1234567890");
    }

    #[test]
    fn refuses_kh_numbers_with_an_explanation() {
        let e = HalalNumber::parse("number", "KH-123/2024").unwrap_err();
        assert_eq!(e.field, "number");
        assert_eq!(e.code, "kh_not_certificate");
        assert!(e.message.contains("belum merupakan sertifikat halal"), "{}", e.message);
        assert_eq!(
            HalalNumber::parse("n", "kh 31110000123").unwrap_err().code,
            "kh_not_certificate"
        );
    }

    #[test]
    fn rejects_other_formats() {
        assert_eq!(
            HalalNumber::parse("n", "31110000123450821").unwrap_err().code,
            "invalid_format"
        );
        assert_eq!(HalalNumber::parse("n", "ID123456789").unwrap_err().code, "invalid_format");
        let too_long = format!("ID{}", "1".repeat(25));
        assert_eq!(HalalNumber::parse("n", &too_long).unwrap_err().code, "invalid_format");
        assert_eq!(HalalNumber::parse("n", "ID12345A67890").unwrap_err().code, "invalid_format");
        assert_eq!(HalalNumber::parse("n", "").unwrap_err().code, "required");
    }
}
