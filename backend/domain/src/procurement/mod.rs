//! Owns government demand (Perwal 74/2023 Pasal 11(b)–(e)): buyer organisations (a Perangkat
//! Daerah or a BUMD), their purchase records with the Pasal 11 category, and the validation of
//! what a buyer types. The 40% rule of Pasal 11(e) is in [`share`].
//!
//! A purchase carries a calendar **date** (the date on the receipt or contract, as the buyer
//! reads it in Kota Serang, WIB), not an instant: it belongs to the WIB calendar month of that
//! date. When a date is taken from the clock it is the WIB date ([`crate::datefmt::date_wib`]):
//! 31 January 23:59 WIB is 16:59 UTC and stays in January; 1 February 00:30 WIB is 17:30 UTC on
//! 31 January and counts in February.

pub mod share;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::code_enum::{code_enum, parse_choice};
use crate::error::{FieldError, ValidationErrors, check_len, non_empty};

pub use share::{
    BudgetUse, CategoryShare, MonthShare, PurchaseFact, ShareStatus, TARGET_PERCENT, budget_use,
    by_category, meets_target, monthly, share_basis_points, year_to_date,
};

code_enum! {
    /// What kind of government buyer.
    pub enum BuyerKind : "jenis pembeli" {
        /// A Perangkat Daerah (dinas, badan, kecamatan, kelurahan …) of Kota Serang.
        PerangkatDaerah => ("perangkat_daerah", "Perangkat Daerah"),
        /// A badan usaha milik daerah (Perumda, Perseroda).
        Bumd => ("bumd", "BUMD"),
    }
}

code_enum! {
    /// What was bought, with the letters of Pasal 11 the report shows separately.
    pub enum PurchaseCategory : "kategori belanja" {
        /// Pasal 11(b): food and drink for meetings, socialisation, seminars, training.
        MakananRapat => ("makanan_rapat", "Makanan dan minuman rapat (Pasal 11 huruf b)"),
        /// Pasal 11(c): furniture and office supplies from local craftspeople.
        MebelKantor => ("mebel_kantor", "Mebel, perlengkapan kantor dan kerajinan (Pasal 11 huruf c)"),
        /// Pasal 11(d): souvenirs for state or regional guests.
        Cenderamata => ("cenderamata", "Cenderamata dan suvenir tamu (Pasal 11 huruf d)"),
        /// Any other goods or services.
        Lainnya => ("lainnya", "Barang/jasa lainnya"),
    }
}

impl PurchaseCategory {
    /// The letter of Pasal 11 the category belongs to, if any ("b", "c", "d").
    pub fn pasal_letter(self) -> Option<&'static str> {
        match self {
            PurchaseCategory::MakananRapat => Some("b"),
            PurchaseCategory::MebelKantor => Some("c"),
            PurchaseCategory::Cenderamata => Some("d"),
            PurchaseCategory::Lainnya => None,
        }
    }
}

/// Largest value of one purchase or one yearly budget: Rp1 triliun (far above any Perangkat
/// Daerah's yearly spending in Kota Serang; bounds sums and keeps typos out).
pub const MAX_RUPIAH: i64 = 1_000_000_000_000;

/// Years a record or budget may belong to.
pub const YEARS: std::ops::RangeInclusive<i32> = 2020..=2100;

/// A purchase as a buyer types it (API body and page form).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PurchaseInput {
    /// `YYYY-MM-DD`, the date on the receipt or contract (WIB calendar).
    #[serde(default)]
    pub date: String,
    /// Whole rupiah.
    #[serde(default)]
    pub value: Option<i64>,
    #[serde(default)]
    pub description: String,
    /// `makanan_rapat`, `mebel_kantor`, `cenderamata` or `lainnya`.
    #[serde(default)]
    pub category: String,
    /// A UMKM business in the catalog (local by definition), or …
    #[serde(default)]
    pub producer_id: Option<i64>,
    /// … another supplier by name,
    #[serde(default)]
    pub supplier_name: Option<String>,
    /// … and whether that supplier is a local UMKM of Kota Serang.
    #[serde(default)]
    pub supplier_local_umkm: Option<bool>,
}

/// Who was paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Supplier {
    /// A business in the catalog (a local UMKM).
    Catalog(i64),
    /// Someone else, by name, with whether it is a local UMKM.
    Other { name: String, local_umkm: bool },
}

/// A checked purchase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPurchase {
    pub date: NaiveDate,
    pub value: i64,
    pub description: String,
    pub category: PurchaseCategory,
    pub supplier: Supplier,
}

/// Parses a `YYYY-MM-DD` date within [`YEARS`] and not after `today` (WIB).
pub fn parse_purchase_date(
    field: &str,
    s: &str,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(FieldError::required(field, "Tanggal belanja"));
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        FieldError::new(field, "invalid_format", "Tanggal belanja harus berformat TTTT-BB-HH.")
    })?;
    if !YEARS.contains(&d.year()) {
        return Err(FieldError::new(
            field,
            "out_of_range",
            format!("Tahun belanja harus antara {} dan {}.", YEARS.start(), YEARS.end()),
        ));
    }
    if d > today {
        return Err(FieldError::new(
            field,
            "in_future",
            "Tanggal belanja tidak boleh setelah hari ini; catat belanja yang sudah terjadi.",
        ));
    }
    Ok(d)
}

/// Checks a rupiah value of a purchase or budget: 1 to [`MAX_RUPIAH`].
pub fn check_value(field: &str, what: &str, v: Option<i64>) -> Result<i64, FieldError> {
    match v {
        None => Err(FieldError::required(field, what)),
        Some(v) if v < 1 => {
            Err(FieldError::new(field, "out_of_range", format!("{what} harus lebih dari Rp0.")))
        }
        Some(v) if v > MAX_RUPIAH => Err(FieldError::new(
            field,
            "out_of_range",
            format!("{what} paling besar Rp1.000.000.000.000 (Rp1 triliun)."),
        )),
        Some(v) => Ok(v),
    }
}

impl PurchaseInput {
    /// Checks every field at once; `today` is the WIB date (no purchase in the future).
    pub fn validate(&self, today: NaiveDate) -> Result<ValidPurchase, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let date = e.field(parse_purchase_date("date", &self.date, today));
        let value = e.field(check_value("value", "Nilai belanja", self.value));
        let description = match non_empty(Some(&self.description)) {
            None => {
                e.push(FieldError::required("description", "Uraian belanja"));
                None
            }
            Some(d) => e.field(check_len("description", "Uraian belanja", d, 3, 300).map(|_| d)),
        };
        let category = e.field(parse_choice::<PurchaseCategory>(
            "category",
            "kategori belanja",
            &self.category,
        ));
        let name = non_empty(self.supplier_name.as_deref());
        let supplier = match (self.producer_id, name) {
            (Some(_), Some(_)) => {
                e.push(FieldError::new(
                    "supplier_name",
                    "not_applicable",
                    "Pilih UMKM dari katalog atau tulis nama penyedia lain, bukan keduanya.",
                ));
                None
            }
            (Some(id), None) if id > 0 => Some(Supplier::Catalog(id)),
            (Some(_), None) => {
                e.push(FieldError::new("producer_id", "not_found", "UMKM ini tidak terdaftar."));
                None
            }
            (None, Some(n)) => match (
                check_len("supplier_name", "Nama penyedia", n, 2, 160),
                self.supplier_local_umkm,
            ) {
                (Err(fe), _) => {
                    e.push(fe);
                    None
                }
                (Ok(()), None) => {
                    e.push(FieldError::new(
                        "supplier_local_umkm",
                        "required",
                        "Nyatakan apakah penyedia ini UMKM lokal Kota Serang.",
                    ));
                    None
                }
                (Ok(()), Some(local)) => {
                    Some(Supplier::Other { name: n.to_string(), local_umkm: local })
                }
            },
            (None, None) => {
                e.push(FieldError::new(
                    "supplier_name",
                    "required",
                    "Pilih UMKM dari katalog atau tulis nama penyedia.",
                ));
                None
            }
        };
        e.into_result(())?;
        match (date, value, description, category, supplier) {
            (Some(date), Some(value), Some(d), Some(category), Some(supplier)) => {
                Ok(ValidPurchase { date, value, description: d.to_string(), category, supplier })
            }
            _ => Err(FieldError::new("body", "invalid", "Data belanja tidak lengkap.").into()),
        }
    }
}

/// Checks a buyer organisation's name (3–160 characters).
pub fn check_buyer_name(field: &str, name: &str) -> Result<String, FieldError> {
    let n = name.trim();
    if n.is_empty() {
        return Err(FieldError::required(field, "Nama Perangkat Daerah/BUMD"));
    }
    check_len(field, "Nama Perangkat Daerah/BUMD", n, 3, 160)?;
    Ok(n.to_string())
}

/// Checks a budget year.
pub fn check_year(field: &str, year: Option<i32>) -> Result<i32, FieldError> {
    match year {
        None => Err(FieldError::required(field, "Tahun anggaran")),
        Some(y) if YEARS.contains(&y) => Ok(y),
        Some(_) => Err(FieldError::new(
            field,
            "out_of_range",
            format!("Tahun anggaran harus antara {} dan {}.", YEARS.start(), YEARS.end()),
        )),
    }
}

#[cfg(test)]
mod tests;
