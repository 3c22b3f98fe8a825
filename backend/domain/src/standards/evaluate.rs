//! The pure evaluation: `(facts, requirements, date) → Evaluation { eligible, score, items }`.
//! A warning (e.g. a certificate expiring within 30 days) still passes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::facts::ProductFacts;
use super::kinds::Requirement;

/// Result of one requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Met.
    Pass,
    /// Met, but about to stop being met (e.g. a certificate expires within 30 days).
    Warning,
    /// Not met.
    Fail,
}

impl ItemStatus {
    pub fn passed(self) -> bool {
        self != ItemStatus::Fail
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Pass => "pass",
            ItemStatus::Warning => "warning",
            ItemStatus::Fail => "fail",
        }
    }
    /// ✓, ! or ✗.
    pub fn symbol(self) -> &'static str {
        match self {
            ItemStatus::Pass => "✓",
            ItemStatus::Warning => "!",
            ItemStatus::Fail => "✗",
        }
    }
}

/// One requirement's line in an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The requirement kind's code, e.g. `certificate`.
    pub kind: String,
    /// What the requirement asks, in Indonesian.
    pub label: String,
    pub status: ItemStatus,
    /// What was found, or what is missing and how to fix it.
    pub message: String,
    /// `#anchor` of the product form, or a page path, that fixes the item.
    pub fix: Option<String>,
}

/// A product measured against a standard on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// No requirement failed.
    pub eligible: bool,
    /// Percentage of requirements met (warnings count as met), 0–100; 100 when there are none.
    pub score: u8,
    pub items: Vec<Item>,
}

/// Evaluates `facts` against `requirements` on `date`.
pub fn evaluate(facts: &ProductFacts, requirements: &[Requirement], date: NaiveDate) -> Evaluation {
    let items: Vec<Item> = requirements
        .iter()
        .map(|r| {
            let rule = r.rule();
            let c = rule.check(facts, date);
            Item {
                kind: r.kind().to_string(),
                label: rule.label(),
                status: c.status,
                message: c.message,
                fix: c.fix.map(str::to_string),
            }
        })
        .collect();
    let met = items.iter().filter(|i| i.status.passed()).count();
    let score = if items.is_empty() { 100 } else { (met * 100 / items.len()) as u8 };
    Evaluation { eligible: met == items.len(), score, items }
}

/// The link that fixes an item of product `product_id`: form anchors become
/// `/produk-saya/{id}#anchor`; page paths stay as they are.
pub fn fix_url(product_id: i64, fix: &str) -> String {
    if fix.starts_with('#') { format!("/produk-saya/{product_id}{fix}") } else { fix.to_string() }
}
