//! Requirement: a halal certificate (BPJPH) valid on the evaluation date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::certificate::{CertificateNeed, check_certificate};
use crate::standards::{Check, ProductFacts, Rule};

/// `{"kind": "halal"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HalalCertificate {}

impl Rule for HalalCertificate {
    fn label(&self) -> String {
        "Sertifikat halal berlaku".to_string()
    }
    fn check(&self, facts: &ProductFacts, date: NaiveDate) -> Check {
        check_certificate(facts, CertificateNeed::Halal, date)
    }
}
