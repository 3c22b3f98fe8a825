//! Owns the NIB (Nomor Induk Berusaha): the 13-digit business identification number issued
//! by OSS (Perwal 74/2023 Pasal 3(3)(b)).

use super::{all_digits, string_serde};
use crate::error::FieldError;
use std::fmt;

/// A syntactically valid NIB: exactly 13 ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nib(String);

impl Nib {
    /// Number of digits of a NIB.
    pub const LEN: usize = 13;

    /// Parses a NIB: surrounding whitespace is ignored, then exactly 13 digits are required.
    pub fn parse(field: &str, input: &str) -> Result<Nib, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::required(field, "NIB"));
        }
        if !all_digits(s) {
            return Err(FieldError::new(
                field,
                "invalid_format",
                "NIB hanya boleh berisi angka (13 digit dari OSS), tanpa spasi atau tanda baca.",
            ));
        }
        let n = s.len();
        if n != Self::LEN {
            return Err(FieldError::new(
                field,
                "invalid_format",
                format!("NIB harus 13 digit, yang diisi {n} digit."),
            ));
        }
        Ok(Nib(s.to_string()))
    }

    /// The 13 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Nib {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(Nib, "nib");

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn accepts_thirteen_digits_with_surrounding_space() {
        let nib = Nib::parse("nib", " 9120301234567\n").unwrap();
        assert_eq!(nib.as_str(), "9120301234567");
        assert_eq!(nib.to_string(), "9120301234567");
        assert_eq!(serde_json::to_string(&nib).unwrap(), "\"9120301234567\"");
        let back: Nib = serde_json::from_str("\"9120301234567\"").unwrap();
        assert_eq!(back, nib);
    }

    #[test]
    fn rejects_bad_input_with_field_and_reason() {
        let e = Nib::parse("nib", "").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("nib", "required"));
        let e = Nib::parse("nib", "912030123456").unwrap_err();
        assert_eq!(e.code, "invalid_format");
        assert_eq!(e.message, "NIB harus 13 digit, yang diisi 12 digit.");
        assert_eq!(Nib::parse("nib", "91203012345678").unwrap_err().code, "invalid_format");
        assert_eq!(Nib::parse("nib", "9120 301234567").unwrap_err().code, "invalid_format");
        assert_eq!(Nib::parse("nib", "912030123456A").unwrap_err().code, "invalid_format");
        assert!(serde_json::from_str::<Nib>("\"123\"").is_err());
    }
}
