//! Requirement: the packaging is one of an allowed set.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::labels;
use crate::product::Packaging;
use crate::standards::{Check, ProductFacts, Rule, fix};

/// `{"kind": "packaging", "allowed": ["standing_pouch", "toples"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackagingAllowed {
    pub allowed: Vec<Packaging>,
}

impl Rule for PackagingAllowed {
    fn label(&self) -> String {
        format!("Kemasan: {}", labels(&self.allowed, Packaging::label))
    }
    fn check(&self, facts: &ProductFacts, _date: NaiveDate) -> Check {
        match facts.packaging {
            None => Check::fail("Jenis kemasan belum diisi", fix::PACKAGING),
            Some(p) if self.allowed.contains(&p) => Check::pass(format!("Kemasan {}", p.label())),
            Some(p) => Check::fail(
                format!(
                    "Kemasan {} belum diterima — gunakan {}",
                    p.label().to_lowercase(),
                    labels(&self.allowed, Packaging::label).to_lowercase()
                ),
                fix::PACKAGING,
            ),
        }
    }
    fn validate(&self) -> Result<(), String> {
        super::check_allowed(&self.allowed, "jenis kemasan")
    }
}
