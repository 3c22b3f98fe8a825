//! The terms of an agreement: products with agreed price and facings, scheme (konsinyasi with
//! the store's margin, or beli putus), payment term, dates, delivery schedule and an optional
//! listing fee; validation (errors block) and Permendag 23/2021 flags (warnings shown to both
//! sides, which do NOT block: the regulation caps fees, the parties and the Dinas must see it,
//! and the Dinas acts on it — refusing silently would hide the practice instead of recording it).

use crate::code_enum::code_enum;
use crate::error::{FieldError, ValidationErrors};
use crate::money::group_thousands;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

code_enum! {
    /// How the store pays for the goods.
    pub enum Scheme : "skema" {
        /// Consignment: the store pays after sale and keeps a margin.
        Konsinyasi => ("konsinyasi", "Konsinyasi"),
        /// Outright purchase.
        BeliPutus => ("beli_putus", "Beli putus"),
    }
}

/// Permendag 23/2021: trading-term fees at most 15%.
pub const TERM_FEE_MAX_PERCENT: i64 = 15;
/// Permendag 23/2021: a minimarket listing fee for a new UMKM item at most Rp50.000 per outlet.
pub const LISTING_FEE_MAX: i64 = 50_000;
/// Payment terms longer than this are flagged (long terms are the UMKM's common complaint).
pub const LONG_PAYMENT_TERM_DAYS: i64 = 30;

/// One product line of the terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    pub product_id: i64,
    /// Agreed price per unit, rupiah.
    pub price: i64,
    /// Shelf facings for this product.
    pub facings: i64,
}

/// Terms as proposed or countered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermsInput {
    pub items: Vec<ItemInput>,
    /// `konsinyasi` or `beli_putus`.
    pub scheme: String,
    /// The store's margin, whole percent (konsinyasi only).
    #[serde(default)]
    pub store_margin_percent: Option<i64>,
    /// Days after delivery (beli putus) or after sale (konsinyasi) until the UMKM is paid.
    pub payment_term_days: i64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// e.g. "Setiap Senin pagi".
    pub delivery_schedule: String,
    /// Listing fee per outlet, rupiah (optional).
    #[serde(default)]
    pub listing_fee: Option<i64>,
}

/// A warning about the terms, shown to both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsFlag {
    /// `margin_above_limit`, `listing_fee_above_limit` or `long_payment_term`.
    pub code: String,
    pub message: String,
}

/// Terms that passed validation, with their flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidTerms {
    pub items: Vec<ItemInput>,
    pub scheme: Scheme,
    pub store_margin_percent: Option<i64>,
    pub payment_term_days: i64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub delivery_schedule: String,
    pub listing_fee: Option<i64>,
    pub flags: Vec<TermsFlag>,
}

impl TermsInput {
    /// Validates the terms proposed on `today` (the start may not lie in the past).
    pub fn validate(&self, today: NaiveDate) -> Result<ValidTerms, ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.items.is_empty() {
            e.push(FieldError::new("items", "required", "Pilih minimal satu produk."));
        } else if self.items.len() > 50 {
            e.push(FieldError::new(
                "items",
                "too_long",
                "Maksimal 50 produk dalam satu perjanjian.",
            ));
        }
        for (i, it) in self.items.iter().enumerate() {
            if self.items[..i].iter().any(|o| o.product_id == it.product_id) {
                e.push(FieldError::new(
                    format!("items[{i}].product_id"),
                    "duplicate",
                    "Produk ini sudah ada di daftar.",
                ));
            }
            if !(1..=100_000_000).contains(&it.price) {
                e.push(FieldError::new(
                    format!("items[{i}].price"),
                    "out_of_range",
                    "Harga harus lebih dari Rp0.",
                ));
            }
            if !(1..=100).contains(&it.facings) {
                e.push(FieldError::new(
                    format!("items[{i}].facings"),
                    "out_of_range",
                    "Jumlah facing harus 1 sampai 100.",
                ));
            }
        }
        let scheme = e.field(Scheme::parse_field("scheme", &self.scheme));
        let margin = match (scheme, self.store_margin_percent) {
            (Some(Scheme::Konsinyasi), None) => {
                e.push(FieldError::new(
                    "store_margin_percent",
                    "required",
                    "Margin toko wajib diisi untuk konsinyasi.",
                ));
                None
            }
            (Some(Scheme::Konsinyasi), Some(m)) if !(0..=100).contains(&m) => {
                e.push(FieldError::new(
                    "store_margin_percent",
                    "out_of_range",
                    "Margin toko harus 0 sampai 100 persen.",
                ));
                None
            }
            (Some(Scheme::BeliPutus), Some(_)) => {
                e.push(FieldError::new(
                    "store_margin_percent",
                    "not_applicable",
                    "Margin toko hanya untuk skema konsinyasi; kosongkan untuk beli putus.",
                ));
                None
            }
            (_, m) => m,
        };
        if !(0..=180).contains(&self.payment_term_days) {
            e.push(FieldError::new(
                "payment_term_days",
                "out_of_range",
                "Tempo pembayaran harus 0 sampai 180 hari.",
            ));
        }
        if self.start_date < today {
            e.push(FieldError::new(
                "start_date",
                "in_the_past",
                "Tanggal mulai tidak boleh sebelum hari ini.",
            ));
        }
        if self.end_date <= self.start_date {
            e.push(FieldError::new(
                "end_date",
                "before_start",
                "Tanggal selesai harus sesudah tanggal mulai.",
            ));
        } else if (self.end_date - self.start_date).num_days() > 3 * 366 {
            e.push(FieldError::new("end_date", "out_of_range", "Perjanjian paling lama 3 tahun."));
        }
        let delivery = self.delivery_schedule.trim().to_string();
        if delivery.chars().count() < 3 || delivery.chars().count() > 200 {
            e.push(FieldError::new(
                "delivery_schedule",
                "out_of_range",
                "Jadwal pengiriman wajib diisi (3–200 karakter).",
            ));
        }
        if self.listing_fee.is_some_and(|f| !(0..=100_000_000).contains(&f)) {
            e.push(FieldError::new("listing_fee", "out_of_range", "Biaya listing tidak sah."));
        }
        let Some(scheme) = scheme else { return Err(e) };
        if !e.is_empty() {
            return Err(e);
        }
        let mut v = ValidTerms {
            items: self.items.clone(),
            scheme,
            store_margin_percent: margin,
            payment_term_days: self.payment_term_days,
            start_date: self.start_date,
            end_date: self.end_date,
            delivery_schedule: delivery,
            listing_fee: self.listing_fee.filter(|f| *f > 0),
            flags: Vec::new(),
        };
        v.flags = flags_of(&v);
        Ok(v)
    }
}

/// The Permendag 23/2021 warnings (and the long-payment-term warning) for valid terms.
pub fn flags_of(v: &ValidTerms) -> Vec<TermsFlag> {
    let mut out = Vec::new();
    if let Some(m) = v.store_margin_percent.filter(|m| *m > TERM_FEE_MAX_PERCENT) {
        out.push(TermsFlag {
            code: "margin_above_limit".into(),
            message: format!(
                "Margin toko {m}% melebihi batas biaya syarat perdagangan 15% (Permendag 23/2021)."
            ),
        });
    }
    if let Some(f) = v.listing_fee.filter(|f| *f > LISTING_FEE_MAX) {
        out.push(TermsFlag {
            code: "listing_fee_above_limit".into(),
            message: format!(
                "Biaya listing Rp{} per gerai melebihi batas Rp50.000 untuk produk UMKM (Permendag 23/2021).",
                group_thousands(f.unsigned_abs())
            ),
        });
    }
    if v.payment_term_days > LONG_PAYMENT_TERM_DAYS {
        out.push(TermsFlag {
            code: "long_payment_term".into(),
            message: format!(
                "Tempo pembayaran {} hari — lebih dari {LONG_PAYMENT_TERM_DAYS} hari memberatkan arus kas UMKM.",
                v.payment_term_days
            ),
        });
    }
    out
}

impl ValidTerms {
    /// The terms as they were typed (for forms and snapshots).
    pub fn to_input(&self) -> TermsInput {
        TermsInput {
            items: self.items.clone(),
            scheme: self.scheme.as_str().to_string(),
            store_margin_percent: self.store_margin_percent,
            payment_term_days: self.payment_term_days,
            start_date: self.start_date,
            end_date: self.end_date,
            delivery_schedule: self.delivery_schedule.clone(),
            listing_fee: self.listing_fee,
        }
    }
}
