//! Requirement: the producer's business scale is one of a set (e.g. mikro and kecil only).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::labels;
use crate::producer::BusinessScale;
use crate::standards::{Check, ProductFacts, Rule, fix};

/// `{"kind": "producer_scale", "allowed": ["mikro", "kecil"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProducerScale {
    pub allowed: Vec<BusinessScale>,
}

impl Rule for ProducerScale {
    fn label(&self) -> String {
        format!("Skala usaha: {}", labels(&self.allowed, BusinessScale::label))
    }
    fn check(&self, facts: &ProductFacts, _date: NaiveDate) -> Check {
        match facts.producer.scale {
            Some(s) if self.allowed.contains(&s) => Check::pass(s.label()),
            Some(s) => Check::fail(
                format!("{} tidak termasuk skala yang diminta", s.label()),
                fix::PRODUCER,
            ),
            None => Check::fail("Skala usaha belum diisi — lengkapi data usaha", fix::PRODUCER),
        }
    }
    fn validate(&self) -> Result<(), String> {
        super::check_allowed(&self.allowed, "skala usaha")
    }
}
