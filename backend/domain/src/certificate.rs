//! Owns product certificates and permits (P-IRT, BPOM MD/ML, halal, SNI, others): their
//! kinds, validation of the certificate form, and validity on a given date.

use crate::code_enum::code_enum;
use crate::datefmt::format_date_id;
use crate::error::{FieldError, ValidationErrors, non_empty};
use crate::identifiers::CertificateNumber;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

code_enum! {
    /// Kind of certificate or permit.
    pub enum CertificateKind : "jenis sertifikat" {
        Pirt => ("pirt", "P-IRT (SPP-IRT)"),
        BpomMd => ("bpom_md", "BPOM MD"),
        BpomMl => ("bpom_ml", "BPOM ML"),
        Halal => ("halal", "Halal (BPJPH)"),
        Sni => ("sni", "SNI"),
        Other => ("other", "Lainnya"),
    }
}

impl CertificateKind {
    /// Whether a Dinas officer must check a certificate of this kind before it counts for search
    /// filters, badges and standards. A P-IRT number carries its own expiry and is issued by the
    /// city itself, so it counts once it parses; halal, BPOM, SNI and other numbers are checked.
    pub fn needs_check(self) -> bool {
        !matches!(self, CertificateKind::Pirt)
    }
}

/// A certificate with this many days left or fewer is "expiring soon".
pub const EXPIRING_SOON_DAYS: i64 = 30;
/// Years a certificate's issue or expiry date may fall in (anything else is a typo or an attack:
/// a year like +262142 used to reach the daily standards tick).
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 1950..=2100;
/// Maximum length of the issuer name.
pub const ISSUER_MAX: usize = 120;

/// The certificate form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CertificateInput {
    pub kind: String,
    pub number: String,
    pub issuer: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
}

/// A certificate that passed validation; `number` is normalised for its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidCertificate {
    pub kind: CertificateKind,
    pub number: String,
    pub issuer: Option<String>,
    pub issued_on: Option<NaiveDate>,
    /// For P-IRT, derived from the number when not given (31 December of its year).
    pub expires_on: Option<NaiveDate>,
}

impl CertificateInput {
    /// Validates the form, collecting all errors. Does not compare dates with today.
    pub fn validate(self) -> Result<ValidCertificate, ValidationErrors> {
        self.validate_with_bpom_digits(crate::identifiers::BPOM_DEFAULT_DIGITS)
    }

    /// Like `validate`, with the number of digits of a BPOM number a setting.
    pub fn validate_with_bpom_digits(
        self,
        bpom_digits: usize,
    ) -> Result<ValidCertificate, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let kind = errs.field(CertificateKind::parse_field("kind", &self.kind));
        let number = match kind {
            Some(k) => errs.field(CertificateNumber::parse_with_bpom_digits(
                k,
                "number",
                &self.number,
                bpom_digits,
            )),
            None => None,
        };
        let issuer = non_empty(self.issuer.as_deref()).map(str::to_string);
        if let Some(i) = &issuer {
            errs.field(crate::error::check_len("issuer", "Penerbit", i, 0, ISSUER_MAX));
        }
        for (field, label, date) in [
            ("issued_on", "Tanggal terbit", self.issued_on),
            ("expires_on", "Tanggal berakhir", self.expires_on),
        ] {
            if let Some(d) = date
                && !(DATE_YEARS.contains(&d.year()))
            {
                errs.push(FieldError::new(
                    field,
                    "implausible_date",
                    format!(
                        "{label} harus antara tahun {} dan {}.",
                        DATE_YEARS.start(),
                        DATE_YEARS.end()
                    ),
                ));
            }
        }
        let mut expires_on = self.expires_on;
        if let Some(CertificateNumber::Pirt(p)) = &number {
            match expires_on {
                None => expires_on = Some(p.expiry_date()),
                Some(d) if d.year() != p.expiry_year() => errs.push(FieldError::new(
                    "expires_on",
                    "pirt_year_mismatch",
                    format!(
                        "Tahun berakhir ({}) tidak sama dengan tahun kedaluwarsa pada nomor \
                         P-IRT ({}). Periksa tanggal atau nomornya.",
                        d.year(),
                        p.expiry_year()
                    ),
                )),
                Some(_) => {}
            }
        }
        if let (Some(issued), Some(expires)) = (self.issued_on, expires_on)
            && expires < issued
        {
            errs.push(FieldError::new(
                "expires_on",
                "expires_before_issued",
                format!(
                    "Tanggal berakhir ({}) tidak boleh sebelum tanggal terbit ({}).",
                    format_date_id(expires),
                    format_date_id(issued)
                ),
            ));
        }
        let (Some(kind), Some(number), true) = (kind, number, errs.is_empty()) else {
            return Err(errs);
        };
        Ok(ValidCertificate {
            kind,
            number: number.normalized(),
            issuer,
            issued_on: self.issued_on,
            expires_on,
        })
    }
}

impl ValidCertificate {
    /// Validity of this certificate on `date`.
    pub fn validity_on(&self, date: NaiveDate) -> CertificateValidity {
        validity_on(self.expires_on, date)
    }
}

/// Whether a certificate counts on a given date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CertificateValidity {
    /// Valid, more than 30 days left.
    Valid,
    /// Still valid, with 0–30 days left (0 = last valid day).
    ExpiringSoon { days_left: i64 },
    /// No longer valid since `since` (the day after the expiry date).
    Expired { since: NaiveDate },
    /// The certificate has no end date (e.g. halal certificates under current rules).
    NoExpiry,
}

/// Validity on `date` of a certificate valid through `expires_on` (inclusive).
pub fn validity_on(expires_on: Option<NaiveDate>, date: NaiveDate) -> CertificateValidity {
    let Some(expiry) = expires_on else {
        return CertificateValidity::NoExpiry;
    };
    if date > expiry {
        return CertificateValidity::Expired { since: expiry.succ_opt().unwrap_or(expiry) };
    }
    let days_left = (expiry - date).num_days();
    if days_left <= EXPIRING_SOON_DAYS {
        CertificateValidity::ExpiringSoon { days_left }
    } else {
        CertificateValidity::Valid
    }
}

impl CertificateValidity {
    /// True when the certificate counts (valid, expiring soon or without end date).
    pub fn is_valid(&self) -> bool {
        !matches!(self, CertificateValidity::Expired { .. })
    }

    /// Indonesian label, e.g. "Segera kedaluwarsa (12 hari lagi)".
    pub fn label(&self) -> String {
        match self {
            CertificateValidity::Valid => "Berlaku".to_string(),
            CertificateValidity::ExpiringSoon { days_left: 0 } => {
                "Segera kedaluwarsa (berakhir hari ini)".to_string()
            }
            CertificateValidity::ExpiringSoon { days_left } => {
                format!("Segera kedaluwarsa ({days_left} hari lagi)")
            }
            CertificateValidity::Expired { since } => {
                format!("Kedaluwarsa sejak {}", format_date_id(*since))
            }
            CertificateValidity::NoExpiry => "Tanpa masa berlaku".to_string(),
        }
    }
}

/// A certificate as one line, its kind's label and number, without saying a prefix twice:
/// ("BPOM MD", "MD 224131001234") → "BPOM MD 224131001234"; ("Halal (BPJPH)", "ID36…") →
/// "Halal (BPJPH) ID36…".
pub fn label_with_number(kind_label: &str, number: &str) -> String {
    let number = number.trim();
    let last = kind_label.split_whitespace().last().filter(|w| w.len() >= 2 && number.is_ascii());
    if let Some(last) = last {
        let upper = number.to_uppercase();
        if let Some(rest) = upper.strip_prefix(&last.to_uppercase()) {
            let rest = number[number.len() - rest.len()..].trim_start_matches([' ', '-', '.']);
            return format!("{kind_label} {rest}");
        }
    }
    format!("{kind_label} {number}")
}

#[cfg(test)]
mod label_tests {
    use super::label_with_number;

    #[test]
    fn a_prefix_in_the_number_is_not_said_twice() {
        assert_eq!(label_with_number("BPOM MD", "MD 224131001234"), "BPOM MD 224131001234");
        assert_eq!(label_with_number("BPOM MD", "MD224131001234"), "BPOM MD 224131001234");
        assert_eq!(label_with_number("BPOM ML", "ml 1234"), "BPOM ML 1234");
        assert_eq!(
            label_with_number("Halal (BPJPH)", "ID3611000012"),
            "Halal (BPJPH) ID3611000012"
        );
        assert_eq!(label_with_number("SNI", "SNI 01-3840"), "SNI 01-3840");
        assert_eq!(
            label_with_number("P-IRT (SPP-IRT)", "2063673010123-29"),
            "P-IRT (SPP-IRT) 2063673010123-29"
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
