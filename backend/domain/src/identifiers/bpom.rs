//! Owns the BPOM registration number for processed food: `MD` (made in Indonesia) or `ML`
//! (imported) followed by a fixed number of digits (12 today; the count is a setting).

use super::{all_digits, string_serde, strip_chars};
use crate::code_enum::code_enum;
use crate::error::FieldError;
use std::fmt;

/// Digit count of BPOM MD/ML numbers for processed food.
pub const BPOM_DEFAULT_DIGITS: usize = 12;

code_enum! {
    /// Domestic (`MD`) or imported (`ML`) processed food.
    pub enum BpomKind : "jenis nomor BPOM" {
        Md => ("md", "MD (produksi dalam negeri)"),
        Ml => ("ml", "ML (impor)"),
    }
}

impl BpomKind {
    /// The printed prefix, `MD` or `ML`.
    pub fn prefix(self) -> &'static str {
        match self {
            BpomKind::Md => "MD",
            BpomKind::Ml => "ML",
        }
    }
}

/// A BPOM number, kept as kind + digits and written `MD 123456789012` (also in serde).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BpomNumber {
    kind: BpomKind,
    digits: String,
}

impl BpomNumber {
    /// Parses with the default digit count (12).
    pub fn parse(field: &str, input: &str) -> Result<BpomNumber, FieldError> {
        Self::parse_with_digits(field, input, BPOM_DEFAULT_DIGITS)
    }

    /// Parses `MD 123456789012`, `md123456789012` or `BPOM RI MD 123456789012`
    /// (case-insensitive; spaces, dots and dashes ignored) requiring `digits` digits.
    pub fn parse_with_digits(
        field: &str,
        input: &str,
        digits: usize,
    ) -> Result<BpomNumber, FieldError> {
        let compact = strip_chars(input, &[' ', '\t', '.', '-']).to_ascii_uppercase();
        if compact.is_empty() {
            return Err(FieldError::required(field, "Nomor BPOM"));
        }
        let rest = compact
            .strip_prefix("BPOMRI")
            .or_else(|| compact.strip_prefix("BPOM"))
            .unwrap_or(&compact);
        let (kind, number) = if let Some(n) = rest.strip_prefix("MD") {
            (BpomKind::Md, n)
        } else if let Some(n) = rest.strip_prefix("ML") {
            (BpomKind::Ml, n)
        } else {
            return Err(FieldError::new(
                field,
                "invalid_format",
                "Nomor BPOM harus diawali MD (produksi dalam negeri) atau ML (impor), \
                 contoh MD 123456789012.",
            ));
        };
        if !all_digits(number) {
            return Err(FieldError::new(
                field,
                "invalid_format",
                format!(
                    "Setelah {} nomor BPOM hanya boleh berisi angka ({digits} digit).",
                    kind.prefix()
                ),
            ));
        }
        if number.len() != digits {
            return Err(FieldError::new(
                field,
                "invalid_format",
                format!(
                    "Nomor BPOM {} harus berisi {digits} digit, yang diisi {} digit.",
                    kind.prefix(),
                    number.len()
                ),
            ));
        }
        Ok(BpomNumber { kind, digits: number.to_string() })
    }

    /// MD or ML.
    pub fn kind(&self) -> BpomKind {
        self.kind
    }

    /// The digits after the prefix.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// Written form `MD 123456789012`.
    pub fn formatted(&self) -> String {
        format!("{} {}", self.kind.prefix(), self.digits)
    }
}

impl fmt::Display for BpomNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.prefix(), self.digits)
    }
}

string_serde!(BpomNumber, "number");

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_spellings() {
        for input in [
            "MD 224311001234",
            "md224311001234",
            "BPOM RI MD 224311001234",
            "bpom md 2243.1100.1234",
        ] {
            let n = BpomNumber::parse("number", input).unwrap();
            assert_eq!(n.kind(), BpomKind::Md, "{input}");
            assert_eq!(n.digits(), "224311001234");
            assert_eq!(n.formatted(), "MD 224311001234");
            assert_eq!(n.to_string(), "MD 224311001234");
        }
        let ml = BpomNumber::parse("number", "BPOM RI ML 112233445566").unwrap();
        assert_eq!(ml.kind(), BpomKind::Ml);
        assert_eq!(ml.formatted(), "ML 112233445566");
        assert_eq!(serde_json::to_string(&ml).unwrap(), "\"ML 112233445566\"");
        let back: BpomNumber = serde_json::from_str("\"ML 112233445566\"").unwrap();
        assert_eq!(back, ml);
    }

    #[test]
    fn digit_count_is_a_setting() {
        assert_eq!(
            BpomNumber::parse_with_digits("n", "MD 1234567890", 10).unwrap().digits(),
            "1234567890"
        );
        let e = BpomNumber::parse("n", "MD 1234567890").unwrap_err();
        assert_eq!(e.code, "invalid_format");
        assert_eq!(e.message, "Nomor BPOM MD harus berisi 12 digit, yang diisi 10 digit.");
    }

    #[test]
    fn rejects_missing_prefix_and_letters() {
        let e = BpomNumber::parse("n", "PIRT 224311001234").unwrap_err();
        assert_eq!(e.code, "invalid_format");
        assert!(e.message.contains("diawali MD"));
        assert_eq!(BpomNumber::parse("n", "224311001234").unwrap_err().code, "invalid_format");
        assert_eq!(BpomNumber::parse("n", "MD 22431100123X").unwrap_err().code, "invalid_format");
        assert_eq!(BpomNumber::parse("n", "").unwrap_err().code, "required");
    }

    #[test]
    fn kind_codes() {
        crate::code_enum::assert_serde_codes::<BpomKind>();
    }
}
