//! Requirement: the producer's business is verified by the Dinas.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::standards::{Check, ProductFacts, Rule, fix};

/// `{"kind": "producer_verified"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProducerVerified {}

impl Rule for ProducerVerified {
    fn label(&self) -> String {
        "Usaha terverifikasi Dinas".to_string()
    }
    fn check(&self, facts: &ProductFacts, _date: NaiveDate) -> Check {
        if facts.producer.verified {
            Check::pass("Usaha sudah diverifikasi Dinas")
        } else {
            Check::fail(
                "Usaha belum diverifikasi Dinas — lengkapi data usaha dan tunggu verifikasi",
                fix::PRODUCER,
            )
        }
    }
}
