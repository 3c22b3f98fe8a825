//! Requirement: a shelf life of at least N days.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::standards::{Check, ProductFacts, Rule, fix};

/// `{"kind": "shelf_life", "min_days": 90}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShelfLife {
    pub min_days: i64,
}

impl Rule for ShelfLife {
    fn label(&self) -> String {
        format!("Masa simpan minimal {} hari", self.min_days)
    }
    fn check(&self, facts: &ProductFacts, _date: NaiveDate) -> Check {
        match facts.shelf_life_days {
            None => Check::fail(
                "Masa simpan belum diisi — isi masa simpan (hari) sesuai label",
                fix::SHELF_LIFE,
            ),
            Some(d) if d < self.min_days => Check::fail(
                format!("Masa simpan {d} hari, kurang dari {} hari yang diminta", self.min_days),
                fix::SHELF_LIFE,
            ),
            Some(d) => Check::pass(format!("Masa simpan {d} hari")),
        }
    }
    fn validate(&self) -> Result<(), String> {
        if (1..=3650).contains(&self.min_days) {
            Ok(())
        } else {
            Err("masa simpan minimal harus 1–3650 hari".into())
        }
    }
}
