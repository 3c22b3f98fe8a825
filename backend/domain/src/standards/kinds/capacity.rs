//! Requirement: continuous supply — a monthly capacity of at least N packs.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::group_thousands;
use crate::standards::{Check, ProductFacts, Rule, fix};

/// `{"kind": "monthly_capacity", "min": 300}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthlyCapacity {
    pub min: i64,
}

impl Rule for MonthlyCapacity {
    fn label(&self) -> String {
        format!("Kapasitas minimal {} kemasan/bulan", group_thousands(self.min.unsigned_abs()))
    }
    fn check(&self, facts: &ProductFacts, _date: NaiveDate) -> Check {
        match facts.monthly_capacity {
            None => Check::fail("Kapasitas produksi per bulan belum diisi", fix::CAPACITY),
            Some(c) if c < self.min => Check::fail(
                format!(
                    "Kapasitas {} kemasan/bulan, kurang dari {} yang diminta",
                    group_thousands(c.unsigned_abs()),
                    group_thousands(self.min.unsigned_abs())
                ),
                fix::CAPACITY,
            ),
            Some(c) => Check::pass(format!(
                "Kapasitas {} kemasan/bulan",
                group_thousands(c.unsigned_abs())
            )),
        }
    }
    fn validate(&self) -> Result<(), String> {
        if (1..=10_000_000).contains(&self.min) {
            Ok(())
        } else {
            Err("kapasitas minimal harus 1–10.000.000".into())
        }
    }
}
