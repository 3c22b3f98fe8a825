//! Requirement: at least N photos with a long side of at least W pixels that pass the
//! sharpness check of the photo pipeline.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::standards::{Check, ProductFacts, Rule, fix};

/// `{"kind": "photos", "min_count": 2, "min_long_side": 1000}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoodPhotos {
    pub min_count: i64,
    pub min_long_side: i64,
}

impl Rule for GoodPhotos {
    fn label(&self) -> String {
        format!("Minimal {} foto tajam, sisi panjang ≥ {} px", self.min_count, self.min_long_side)
    }
    fn check(&self, facts: &ProductFacts, _date: NaiveDate) -> Check {
        let good = facts
            .photos
            .iter()
            .filter(|p| {
                p.long_side() >= self.min_long_side && p.sharpness >= facts.photo_min_sharpness
            })
            .count() as i64;
        if good >= self.min_count {
            return Check::pass(format!("{good} foto memenuhi syarat"));
        }
        let total = facts.photos.len();
        let detail = if total == 0 {
            "Belum ada foto".to_string()
        } else {
            format!("Baru {good} dari {total} foto yang cukup besar dan tajam")
        };
        Check::fail(
            format!(
                "{detail}; perlu {} — unggah foto terang dan tajam, sisi panjang minimal {} px",
                self.min_count, self.min_long_side
            ),
            fix::PHOTOS,
        )
    }
    fn validate(&self) -> Result<(), String> {
        if !(1..=8).contains(&self.min_count) {
            return Err("jumlah foto harus 1–8".into());
        }
        if !(100..=10_000).contains(&self.min_long_side) {
            return Err("sisi panjang minimal harus 100–10.000 px".into());
        }
        Ok(())
    }
}
