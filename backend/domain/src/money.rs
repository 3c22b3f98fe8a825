//! Owns money: `Rupiah`, a whole, never-negative amount of rupiah stored as an integer
//! (never a float), written the Indonesian way (`Rp1.250.000`).

use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A non-negative amount of whole rupiah. Serialises as a JSON integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(transparent)]
pub struct Rupiah(i64);

impl Rupiah {
    /// Rp0.
    pub const ZERO: Rupiah = Rupiah(0);

    /// Builds an amount; negative values are refused with `out_of_range` on `field`.
    pub fn new(field: &str, value: i64) -> Result<Rupiah, FieldError> {
        if value < 0 {
            return Err(FieldError::new(
                field,
                "out_of_range",
                format!("Nilai rupiah tidak boleh negatif (yang diisi {value})."),
            ));
        }
        Ok(Rupiah(value))
    }

    /// Builds an amount when `value` is not negative.
    pub const fn from_i64(value: i64) -> Option<Rupiah> {
        if value < 0 { None } else { Some(Rupiah(value)) }
    }

    /// The amount in rupiah.
    pub const fn value(self) -> i64 {
        self.0
    }

    /// Sum, or `None` on overflow.
    pub fn checked_add(self, other: Rupiah) -> Option<Rupiah> {
        self.0.checked_add(other.0).map(Rupiah)
    }

    /// Difference, or `None` when it would be negative.
    pub fn checked_sub(self, other: Rupiah) -> Option<Rupiah> {
        self.0.checked_sub(other.0).and_then(Rupiah::from_i64)
    }

    /// Amount times a non-negative quantity, or `None` on overflow / negative quantity.
    pub fn checked_mul(self, quantity: i64) -> Option<Rupiah> {
        self.0.checked_mul(quantity).and_then(Rupiah::from_i64)
    }

    /// Parses what people type: `25000`, `25.000`, `Rp 25.000`, `Rp25.000,-`, `Rp. 25.000,00`.
    /// Dots are thousand separators (groups of 3); no decimals except a trailing `,-`/`,00`.
    pub fn parse_text(field: &str, input: &str) -> Result<Rupiah, FieldError> {
        let mut s = input.trim();
        if s.is_empty() {
            return Err(FieldError::required(field, "Nilai rupiah"));
        }
        if s.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("rp")) {
            s = s[2..].trim_start();
            s = s.strip_prefix('.').unwrap_or(s).trim_start();
        }
        if s.starts_with('-') {
            return Err(FieldError::new(
                field,
                "out_of_range",
                "Nilai rupiah tidak boleh negatif.",
            ));
        }
        let s = s.strip_suffix(",-").or_else(|| s.strip_suffix(",00")).unwrap_or(s);
        let format_error = |why: &str| {
            FieldError::new(
                field,
                "invalid_format",
                format!("{why} Tulis rupiah tanpa sen, contoh 25000 atau Rp25.000."),
            )
        };
        if s.contains(',') {
            return Err(format_error("Nilai rupiah tidak boleh memakai desimal (koma)."));
        }
        let groups: Vec<&str> = s.split('.').collect();
        let grouped_ok = groups.len() == 1
            || (!groups[0].is_empty()
                && groups[0].len() <= 3
                && groups[1..].iter().all(|g| g.len() == 3));
        if !grouped_ok {
            return Err(format_error("Titik hanya boleh sebagai pemisah ribuan (setiap 3 angka)."));
        }
        let digits: String = groups.concat();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format_error("Nilai rupiah hanya boleh berisi angka."));
        }
        digits
            .parse::<i64>()
            .map(Rupiah)
            .map_err(|_| FieldError::new(field, "out_of_range", "Nilai rupiah terlalu besar."))
    }
}

/// Groups digits by thousands with dots: 1250000 → "1.250.000".
pub fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Rupiah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rp{}", group_thousands(self.0.unsigned_abs()))
    }
}

impl<'de> Deserialize<'de> for Rupiah {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        Rupiah::from_i64(v)
            .ok_or_else(|| serde::de::Error::custom("nilai rupiah tidak boleh negatif"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn rp(v: i64) -> Rupiah {
        Rupiah::new("price", v).unwrap()
    }

    #[test]
    fn displays_indonesian_style() {
        assert_eq!(rp(25_000).to_string(), "Rp25.000");
        assert_eq!(rp(1_250_000).to_string(), "Rp1.250.000");
        assert_eq!(rp(0).to_string(), "Rp0");
        assert_eq!(rp(999).to_string(), "Rp999");
        assert_eq!(rp(100_000).to_string(), "Rp100.000");
        assert_eq!(rp(50_000_000_000).to_string(), "Rp50.000.000.000");
    }

    #[test]
    fn parses_what_people_type() {
        for (input, want) in [
            ("25000", 25_000),
            ("25.000", 25_000),
            ("Rp 25.000", 25_000),
            ("Rp25.000,-", 25_000),
            ("rp. 1.250.000,00", 1_250_000),
            (" 0 ", 0),
        ] {
            assert_eq!(Rupiah::parse_text("price", input).unwrap().value(), want, "{input}");
        }
    }

    #[test]
    fn refuses_decimals_bad_grouping_and_negatives() {
        let code = |s: &str| Rupiah::parse_text("price", s).unwrap_err().code;
        assert_eq!(code("25.000,50"), "invalid_format");
        assert_eq!(code("25,5"), "invalid_format");
        assert_eq!(code("25.5"), "invalid_format");
        assert_eq!(code("2.50.000"), "invalid_format");
        assert_eq!(code("Rp"), "invalid_format");
        assert_eq!(code("dua puluh ribu"), "invalid_format");
        assert_eq!(code("é5"), "invalid_format");
        assert_eq!(code("-5000"), "out_of_range");
        assert_eq!(code("99999999999999999999"), "out_of_range");
        assert_eq!(code(""), "required");
        let e = Rupiah::new("retail_price", -1).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("retail_price", "out_of_range"));
    }

    #[test]
    fn arithmetic_and_serde() {
        assert_eq!(rp(1).checked_add(rp(2)), Some(rp(3)));
        assert_eq!(rp(i64::MAX).checked_add(rp(1)), None);
        assert_eq!(rp(5).checked_sub(rp(7)), None);
        assert_eq!(rp(5_000).checked_mul(3), Some(rp(15_000)));
        assert_eq!(rp(5_000).checked_mul(-1), None);
        assert_eq!(serde_json::to_string(&rp(25_000)).unwrap(), "25000");
        assert_eq!(serde_json::from_str::<Rupiah>("25000").unwrap(), rp(25_000));
        assert!(serde_json::from_str::<Rupiah>("-1").is_err());
    }
}
