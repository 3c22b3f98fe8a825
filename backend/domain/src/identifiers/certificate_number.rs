//! Owns the dispatch from a certificate kind to the parser of its number: P-IRT, BPOM MD,
//! BPOM ML, halal (BPJPH), and free text for SNI and other certificates.

use super::{BpomKind, BpomNumber, HalalNumber, PirtNumber};
use crate::certificate::CertificateKind;
use crate::error::{FieldError, check_len};
use std::fmt;

/// A certificate number parsed according to its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateNumber {
    /// SPP-IRT number.
    Pirt(PirtNumber),
    /// BPOM MD or ML number (the kind matches the certificate kind).
    Bpom(BpomNumber),
    /// BPJPH halal certificate number.
    Halal(HalalNumber),
    /// SNI certificate number (free text, trimmed, at most 100 characters).
    Sni(String),
    /// Any other certificate (free text, trimmed, at most 100 characters).
    Other(String),
}

/// Maximum length of a free-text certificate number.
const FREE_TEXT_MAX: usize = 100;

impl CertificateNumber {
    /// Parses `input` as a number of certificate `kind`.
    pub fn parse(
        kind: CertificateKind,
        field: &str,
        input: &str,
    ) -> Result<CertificateNumber, FieldError> {
        Self::parse_with_bpom_digits(kind, field, input, super::bpom::BPOM_DEFAULT_DIGITS)
    }

    /// Like `parse`, with the number of digits after MD/ML a setting.
    pub fn parse_with_bpom_digits(
        kind: CertificateKind,
        field: &str,
        input: &str,
        bpom_digits: usize,
    ) -> Result<CertificateNumber, FieldError> {
        match kind {
            CertificateKind::Pirt => PirtNumber::parse(field, input).map(CertificateNumber::Pirt),
            CertificateKind::BpomMd => parse_bpom(field, input, BpomKind::Md, bpom_digits),
            CertificateKind::BpomMl => parse_bpom(field, input, BpomKind::Ml, bpom_digits),
            CertificateKind::Halal => {
                HalalNumber::parse(field, input).map(CertificateNumber::Halal)
            }
            CertificateKind::Sni => free_text(field, input).map(CertificateNumber::Sni),
            CertificateKind::Other => free_text(field, input).map(CertificateNumber::Other),
        }
    }

    /// The normalised written form stored in the database.
    pub fn normalized(&self) -> String {
        match self {
            CertificateNumber::Pirt(p) => p.formatted(),
            CertificateNumber::Bpom(b) => b.formatted(),
            CertificateNumber::Halal(h) => h.as_str().to_string(),
            CertificateNumber::Sni(s) | CertificateNumber::Other(s) => s.clone(),
        }
    }
}

impl fmt::Display for CertificateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized())
    }
}

/// Parses a certificate number of `kind` and returns its normalised form
/// (P-IRT `1234567890123-45`, BPOM `MD 123456789012`, halal `ID…`, others trimmed).
pub fn parse_certificate_number(
    kind: CertificateKind,
    field: &str,
    input: &str,
) -> Result<String, FieldError> {
    CertificateNumber::parse(kind, field, input).map(|n| n.normalized())
}

fn parse_bpom(
    field: &str,
    input: &str,
    want: BpomKind,
    digits: usize,
) -> Result<CertificateNumber, FieldError> {
    let n = BpomNumber::parse_with_digits(field, input, digits)?;
    if n.kind() != want {
        let (chosen, other_label) = match want {
            BpomKind::Md => ("BPOM MD", "BPOM ML (pangan impor)"),
            BpomKind::Ml => ("BPOM ML", "BPOM MD (produksi dalam negeri)"),
        };
        return Err(FieldError::new(
            field,
            "kind_mismatch",
            format!(
                "Nomor {} adalah nomor {other_label}, padahal jenis sertifikat yang dipilih \
                 {chosen}. Ganti jenis sertifikat atau periksa kembali nomornya.",
                n.formatted()
            ),
        ));
    }
    Ok(CertificateNumber::Bpom(n))
}

fn free_text(field: &str, input: &str) -> Result<String, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::required(field, "Nomor sertifikat"));
    }
    check_len(field, "Nomor sertifikat", s, 1, FREE_TEXT_MAX)?;
    Ok(s.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn normalises_each_kind() {
        use CertificateKind as K;
        let p = parse_certificate_number(K::Pirt, "number", "206367301002328");
        assert_eq!(p.unwrap(), "2063673010023-28");
        let md = parse_certificate_number(K::BpomMd, "number", "bpom ri md224311001234");
        assert_eq!(md.unwrap(), "MD 224311001234");
        let ml = parse_certificate_number(K::BpomMl, "number", "ML 112233445566");
        assert_eq!(ml.unwrap(), "ML 112233445566");
        let h = parse_certificate_number(K::Halal, "number", "id31110000123450821");
        assert_eq!(h.unwrap(), "ID31110000123450821");
        let sni = parse_certificate_number(K::Sni, "number", "  SNI 01-2886-2015 ");
        assert_eq!(sni.unwrap(), "SNI 01-2886-2015");
    }

    #[test]
    fn bpom_prefix_must_match_the_chosen_kind() {
        use CertificateKind as K;
        let e = parse_certificate_number(K::BpomMd, "number", "ML 112233445566").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("number", "kind_mismatch"));
        assert!(e.message.contains("BPOM ML"), "{}", e.message);
        let e = parse_certificate_number(K::BpomMl, "number", "MD 224311001234").unwrap_err();
        assert_eq!(e.code, "kind_mismatch");
    }

    #[test]
    fn free_text_is_required_and_bounded() {
        use CertificateKind as K;
        assert_eq!(parse_certificate_number(K::Other, "n", "  ").unwrap_err().code, "required");
        let long = "x".repeat(101);
        assert_eq!(parse_certificate_number(K::Other, "n", &long).unwrap_err().code, "too_long");
        assert!(parse_certificate_number(K::Other, "n", &"x".repeat(100)).is_ok());
        let e = parse_certificate_number(K::Halal, "n", "KH123456789012").unwrap_err();
        assert_eq!(e.code, "kh_not_certificate");
    }
}
