//! Requirement: prices stated — the wholesale price to the store and the suggested retail
//! price.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::Rupiah;
use crate::standards::{Check, ProductFacts, Rule, fix};

/// `{"kind": "price"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceStated {}

fn rp(v: i64) -> String {
    Rupiah::new("harga", v).map(|r| r.to_string()).unwrap_or_else(|_| v.to_string())
}

impl Rule for PriceStated {
    fn label(&self) -> String {
        "Harga grosir dan harga eceran tercantum".to_string()
    }
    fn check(&self, facts: &ProductFacts, _date: NaiveDate) -> Check {
        match (facts.wholesale_price.filter(|p| *p > 0), facts.retail_price.filter(|p| *p > 0)) {
            (Some(w), Some(r)) => Check::pass(format!("Grosir {} · eceran {}", rp(w), rp(r))),
            (None, Some(_)) => Check::fail("Harga grosir ke toko belum diisi", fix::PRICE),
            (Some(_), None) => {
                Check::fail("Harga eceran disarankan belum diisi", fix::RETAIL_PRICE)
            }
            (None, None) => Check::fail("Harga grosir dan harga eceran belum diisi", fix::PRICE),
        }
    }
}
