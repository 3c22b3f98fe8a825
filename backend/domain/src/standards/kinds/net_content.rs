//! Requirement: net content and its unit stated (as on the label).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::standards::{Check, ProductFacts, Rule, fix};

/// `{"kind": "net_content"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetContentStated {}

impl Rule for NetContentStated {
    fn label(&self) -> String {
        "Isi bersih dan satuannya tercantum".to_string()
    }
    fn check(&self, facts: &ProductFacts, _date: NaiveDate) -> Check {
        match (facts.net_content, facts.net_unit) {
            (Some(n), Some(u)) if n > 0 => Check::pass(format!("Isi bersih {}", u.format(n))),
            _ => Check::fail(
                "Isi bersih belum diisi — isi jumlah dan satuannya (mis. 250 g)",
                fix::NET_CONTENT,
            ),
        }
    }
}
