//! Owns the P-IRT number (nomor SPP-IRT, home-industry food permit): 15 digits, usually
//! written `1234567890123-45`. Digit 1 is the packaging type, 2–3 the food type, 4–7 the
//! province + kab/kota code, 8–9 the product number, 10–13 the producer number and 14–15
//! the year the permit expires (a P-IRT is valid 5 years; an expired one does not count).

use super::{all_digits, string_serde, strip_chars};
use crate::error::FieldError;
use chrono::NaiveDate;
use std::fmt;

/// A P-IRT number of exactly 15 digits (stored without separators).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PirtNumber(String);

impl PirtNumber {
    /// Number of digits of a P-IRT number.
    pub const LEN: usize = 15;

    /// Parses `123456789012345` or `1234567890123-45`; spaces, dots and dashes between
    /// groups are ignored, then exactly 15 digits are required.
    pub fn parse(field: &str, input: &str) -> Result<PirtNumber, FieldError> {
        let s = strip_chars(input, &[' ', '\t', '.', '-']);
        if s.is_empty() {
            return Err(FieldError::required(field, "Nomor P-IRT"));
        }
        if !all_digits(&s) {
            return Err(FieldError::new(
                field,
                "invalid_format",
                "Nomor P-IRT hanya boleh berisi angka, contoh 1234567890123-45.",
            ));
        }
        if s.len() != Self::LEN {
            return Err(FieldError::new(
                field,
                "invalid_format",
                format!(
                    "Nomor P-IRT harus 15 digit (contoh 1234567890123-45), yang diisi {} digit.",
                    s.len()
                ),
            ));
        }
        Ok(PirtNumber(s))
    }

    /// The 15 digits without separators.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The usual written form `1234567890123-45`.
    pub fn formatted(&self) -> String {
        format!("{}-{}", &self.0[..13], &self.0[13..])
    }

    /// Digit 1: packaging type code.
    pub fn packaging_code(&self) -> u8 {
        self.0.as_bytes()[0] - b'0'
    }

    /// Digits 2–3: food type code.
    pub fn food_type_code(&self) -> &str {
        &self.0[1..3]
    }

    /// Digits 4–7: province + kab/kota code (Kota Serang is `3673`).
    pub fn region_code(&self) -> &str {
        &self.0[3..7]
    }

    /// True when the permit was issued by Kota Serang (region code `3673`).
    pub fn is_kota_serang(&self) -> bool {
        self.region_code() == "3673"
    }

    /// Digits 8–9: product number.
    pub fn product_code(&self) -> &str {
        &self.0[7..9]
    }

    /// Digits 10–13: producer number.
    pub fn producer_code(&self) -> &str {
        &self.0[9..13]
    }

    /// The year the permit expires: 2000 + digits 14–15.
    pub fn expiry_year(&self) -> i32 {
        let b = self.0.as_bytes();
        2000 + i32::from(b[13] - b'0') * 10 + i32::from(b[14] - b'0')
    }

    /// Last day of validity: 31 December of the expiry year (valid through that day).
    pub fn expiry_date(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.expiry_year(), 12, 31).unwrap_or(NaiveDate::MAX)
    }
}

impl fmt::Display for PirtNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

string_serde!(PirtNumber, "number");

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_give_the_same_number() {
        let a = PirtNumber::parse("number", "206367301002328").unwrap();
        let b = PirtNumber::parse("number", "2063673010023-28").unwrap();
        let c = PirtNumber::parse("number", " 2.06.3673.01.0023-28 ").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a.as_str(), "206367301002328");
        assert_eq!(a.formatted(), "2063673010023-28");
        assert_eq!(a.to_string(), "2063673010023-28");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"2063673010023-28\"");
    }

    #[test]
    fn exposes_its_parts_and_expiry() {
        let p = PirtNumber::parse("number", "2063673010023-28").unwrap();
        assert_eq!(p.packaging_code(), 2);
        assert_eq!(p.food_type_code(), "06");
        assert_eq!(p.region_code(), "3673");
        assert!(p.is_kota_serang());
        assert_eq!(p.product_code(), "01");
        assert_eq!(p.producer_code(), "0023");
        assert_eq!(p.expiry_year(), 2028);
        assert_eq!(p.expiry_date(), NaiveDate::from_ymd_opt(2028, 12, 31).unwrap());
        let other = PirtNumber::parse("number", "5123604020105-07").unwrap();
        assert!(!other.is_kota_serang());
        assert_eq!(other.expiry_year(), 2007);
    }

    #[test]
    fn rejects_wrong_length_and_letters() {
        let e = PirtNumber::parse("pirt", "2063673010023-2").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("pirt", "invalid_format"));
        assert!(e.message.contains("yang diisi 14 digit"), "{}", e.message);
        let e = PirtNumber::parse("pirt", "2063673O10023-28").unwrap_err();
        assert_eq!(e.code, "invalid_format");
        assert!(e.message.contains("hanya boleh berisi angka"));
        assert_eq!(PirtNumber::parse("pirt", " - ").unwrap_err().code, "required");
    }
}
