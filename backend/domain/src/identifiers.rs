//! Owns the official identifiers a UMKM enters: NIB (OSS business number), GTIN-13 barcode,
//! P-IRT, BPOM MD/ML and BPJPH halal numbers, and dispatch by certificate kind. Each type
//! is parsed from user input with `parse(field, input)` (tolerant of common spellings),
//! keeps one normalised form, and serialises as that string.

mod bpom;
mod certificate_number;
mod gtin;
mod halal;
mod nib;
mod pirt;

pub use bpom::{BPOM_DEFAULT_DIGITS, BpomKind, BpomNumber};
pub use certificate_number::{CertificateNumber, parse_certificate_number};
pub use gtin::{Gtin13, gtin_check_digit};
pub use halal::HalalNumber;
pub use nib::Nib;
pub use pirt::PirtNumber;

/// Implements `Serialize` (as the normalised string from `as_str`/`Display`) and
/// `Deserialize` (through `parse`, so stored values are re-validated) for an identifier.
macro_rules! string_serde {
    ($ty:ident, $field:literal) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                $ty::parse($field, &raw).map_err(|e| serde::de::Error::custom(e.message))
            }
        }
    };
}
pub(crate) use string_serde;

/// Removes every character in `separators` (used to accept `1234567890123-45` etc.).
pub(crate) fn strip_chars(input: &str, separators: &[char]) -> String {
    input.chars().filter(|c| !separators.contains(c)).collect()
}

/// True when `s` is non-empty and made of ASCII digits only.
pub(crate) fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}
