//! Requirement: units per pack within a range (a pack size that fits the shelf).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::standards::{Check, ProductFacts, Rule, fix};

/// `{"kind": "pack_size", "min": 1, "max": 12}`; either bound may be absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackSizeRange {
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
}

impl PackSizeRange {
    fn range(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("{a}–{b} buah"),
            (Some(a), None) => format!("minimal {a} buah"),
            (None, Some(b)) => format!("maksimal {b} buah"),
            (None, None) => "berapa saja".to_string(),
        }
    }
}

impl Rule for PackSizeRange {
    fn label(&self) -> String {
        format!("Isi per kemasan {}", self.range())
    }
    fn check(&self, facts: &ProductFacts, _date: NaiveDate) -> Check {
        match facts.pack_size {
            None => Check::fail("Isi per kemasan belum diisi", fix::PACK_SIZE),
            Some(n) if self.min.is_some_and(|m| n < m) || self.max.is_some_and(|m| n > m) => {
                Check::fail(
                    format!(
                        "Isi per kemasan {n} buah, yang diminta {} — sesuaikan ukuran kemasan",
                        self.range()
                    ),
                    fix::PACK_SIZE,
                )
            }
            Some(n) => Check::pass(format!("Isi per kemasan {n} buah")),
        }
    }
    fn validate(&self) -> Result<(), String> {
        match (self.min, self.max) {
            (None, None) => Err("isi batas bawah atau batas atas".into()),
            (Some(a), Some(b)) if a > b => Err("batas bawah lebih besar dari batas atas".into()),
            (Some(a), _) | (_, Some(a)) if a < 1 => Err("batas harus minimal 1".into()),
            _ => Ok(()),
        }
    }
}
