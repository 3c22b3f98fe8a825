//! Requirement: a GTIN-13 / EAN-13 barcode with a correct check digit.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::identifiers::Gtin13;
use crate::standards::{Check, ProductFacts, Rule, fix};

/// `{"kind": "gtin"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GtinValid {}

impl Rule for GtinValid {
    fn label(&self) -> String {
        "Barcode GTIN-13 / EAN-13".to_string()
    }
    fn check(&self, facts: &ProductFacts, _date: NaiveDate) -> Check {
        match facts.gtin.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
            None => Check::fail(
                "Produk belum punya barcode GTIN — daftarkan ke GS1 Indonesia lalu isi nomornya",
                fix::GTIN,
            ),
            Some(g) => match Gtin13::parse("gtin", g) {
                Ok(v) => Check::pass(format!("Barcode {} valid", v.as_str())),
                Err(_) => Check::fail(
                    format!("Barcode {g} tidak valid (angka pemeriksa salah) — periksa nomornya"),
                    fix::GTIN,
                ),
            },
        }
    }
}
