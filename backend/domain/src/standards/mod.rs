//! Owns the agreed product standards (Pasal 10(1)(b)) as data: typed requirement kinds, each
//! with its own evaluator (`kinds/`), and the pure evaluation of a product's facts against a
//! list of requirements on a date — eligible or not, a score, and for every requirement ✓/✗
//! with a plain-Indonesian reason and the place in the product form that fixes it.

mod evaluate;
mod facts;
pub mod kinds;
mod schedule;

pub use evaluate::{Evaluation, Item, ItemStatus, evaluate, fix_url};
pub use facts::{CertificateFacts, PhotoFacts, ProducerFacts, ProductFacts};
pub use kinds::{CertificateNeed, Requirement};
pub use schedule::{needs_reevaluation, version_in_force};

use chrono::NaiveDate;

/// The outcome of one requirement on one product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub status: ItemStatus,
    /// What was found, or what is missing and how to fix it (Bahasa Indonesia).
    pub message: String,
    /// Where the fix is: `#anchor` of the product form, or a path such as `/usaha`.
    pub fix: Option<&'static str>,
}

impl Check {
    pub fn pass(message: impl Into<String>) -> Check {
        Check { status: ItemStatus::Pass, message: message.into(), fix: None }
    }
    pub fn warn(message: impl Into<String>, fix: &'static str) -> Check {
        Check { status: ItemStatus::Warning, message: message.into(), fix: Some(fix) }
    }
    pub fn fail(message: impl Into<String>, fix: &'static str) -> Check {
        Check { status: ItemStatus::Fail, message: message.into(), fix: Some(fix) }
    }
}

/// One requirement kind's evaluator. Adding a kind = one file implementing this plus one
/// line in `kinds::requirement_kinds!`.
pub trait Rule {
    /// What the requirement asks, e.g. "Masa simpan minimal 90 hari".
    fn label(&self) -> String;
    /// The evaluation of `facts` on `date`.
    fn check(&self, facts: &ProductFacts, date: NaiveDate) -> Check;
    /// Checks the parameters; the message names what is wrong.
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }
}

/// Anchors of the product form and pages that fix a failed item.
pub mod fix {
    pub const CERTIFICATES: &str = "#sertifikat";
    pub const PHOTOS: &str = "#foto";
    pub const GTIN: &str = "#gtin";
    pub const SHELF_LIFE: &str = "#shelf_life_days";
    pub const NET_CONTENT: &str = "#net_content";
    pub const PACK_SIZE: &str = "#pack_size";
    pub const PACKAGING: &str = "#packaging";
    pub const STORAGE: &str = "#storage";
    pub const CAPACITY: &str = "#monthly_capacity";
    pub const PRICE: &str = "#wholesale_price";
    pub const RETAIL_PRICE: &str = "#retail_price";
    pub const PRODUCER: &str = "/usaha";
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
