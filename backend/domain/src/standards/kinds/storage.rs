//! Requirement: a storage type the store can handle (e.g. ambient only, no freezer).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::labels;
use crate::product::StorageType;
use crate::standards::{Check, ProductFacts, Rule, fix};

/// `{"kind": "storage", "allowed": ["ambient"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageAllowed {
    pub allowed: Vec<StorageType>,
}

impl Rule for StorageAllowed {
    fn label(&self) -> String {
        format!("Penyimpanan: {}", labels(&self.allowed, StorageType::label))
    }
    fn check(&self, facts: &ProductFacts, _date: NaiveDate) -> Check {
        let s = facts.storage;
        if self.allowed.contains(&s) {
            Check::pass(format!("Penyimpanan {}", s.label().to_lowercase()))
        } else {
            Check::fail(
                format!(
                    "Penyimpanan {} belum bisa diterima toko — yang diterima: {}",
                    s.label().to_lowercase(),
                    labels(&self.allowed, StorageType::label).to_lowercase()
                ),
                fix::STORAGE,
            )
        }
    }
    fn validate(&self) -> Result<(), String> {
        super::check_allowed(&self.allowed, "jenis penyimpanan")
    }
}
