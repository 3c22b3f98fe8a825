//! Owns the product form: `ProductInput` as sent by the client and its validation into a
//! typed `ValidProduct`, reporting every bad field at once (field names equal the struct's
//! field names).

use super::{NetUnit, Packaging, StorageType};
use crate::category::{Category, parse_category};
use crate::error::{FieldError, ValidationErrors, check_len, non_empty};
use crate::identifiers::Gtin13;
use crate::money::Rupiah;
use serde::{Deserialize, Serialize};

/// The product form as submitted (all optional values may be absent or empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ProductBody))]
pub struct ProductInput {
    /// 3–120 characters.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub name: String,
    /// Category slug, e.g. `makanan-ringan` (see the catalog page for the list).
    #[cfg_attr(feature = "openapi", schema(required))]
    pub category: String,
    pub description: String,
    pub brand: Option<String>,
    /// GTIN-13 / EAN-13 with a correct check digit; optional.
    pub gtin: Option<String>,
    pub net_content: Option<i64>,
    /// `g`, `kg`, `ml`, `l` or `pcs`; together with `net_content`.
    pub net_unit: Option<String>,
    /// Units per pack, 1–1000.
    pub pack_size: Option<i64>,
    /// e.g. `standing_pouch`, `botol_kaca`, `toples`, `kotak_karton`.
    pub packaging: Option<String>,
    pub shelf_life_days: Option<i64>,
    /// `ambient` (default), `chilled` or `frozen`.
    pub storage: Option<String>,
    /// Rupiah, whole numbers.
    pub wholesale_price: Option<i64>,
    /// Rupiah, not below the wholesale price.
    pub retail_price: Option<i64>,
    pub min_order: Option<i64>,
    pub monthly_capacity: Option<i64>,
}

/// A product that passed validation. `net_content` and `net_unit` are both set or both
/// absent; `retail_price ≥ wholesale_price` when both are set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidProduct {
    pub name: String,
    pub category: &'static Category,
    /// Trimmed; may be empty.
    pub description: String,
    pub brand: Option<String>,
    pub gtin: Option<Gtin13>,
    pub net_content: Option<i64>,
    pub net_unit: Option<NetUnit>,
    /// Units per pack (1–1000).
    pub pack_size: Option<i64>,
    pub packaging: Option<Packaging>,
    /// Shelf life in days (1–3650).
    pub shelf_life_days: Option<i64>,
    /// `Ambient` when not given.
    pub storage: StorageType,
    pub wholesale_price: Option<Rupiah>,
    pub retail_price: Option<Rupiah>,
    /// Minimum order in packs (≥ 1).
    pub min_order: Option<i64>,
    /// Packs the producer can supply per month (0–10.000.000).
    pub monthly_capacity: Option<i64>,
}

/// Upper bound of `monthly_capacity`.
pub const MAX_MONTHLY_CAPACITY: i64 = 10_000_000;

fn in_range(
    field: &str,
    what: &str,
    value: Option<i64>,
    min: i64,
    max: i64,
) -> Result<Option<i64>, FieldError> {
    match value {
        Some(v) if v < min || v > max => Err(FieldError::new(
            field,
            "out_of_range",
            format!(
                "{what} harus antara {} dan {}, yang diisi {}.",
                crate::money::group_thousands(min.unsigned_abs()),
                crate::money::group_thousands(max.unsigned_abs()),
                v
            ),
        )),
        other => Ok(other),
    }
}

fn at_least(
    field: &str,
    what: &str,
    value: Option<i64>,
    min: i64,
) -> Result<Option<i64>, FieldError> {
    match value {
        Some(v) if v < min => Err(FieldError::new(
            field,
            "out_of_range",
            format!("{what} minimal {min}, yang diisi {v}."),
        )),
        other => Ok(other),
    }
}

fn optional_text(
    field: &str,
    what: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    match non_empty(value) {
        Some(s) => check_len(field, what, s, 0, max).map(|()| Some(s.to_string())),
        None => Ok(None),
    }
}

fn price(field: &str, value: Option<i64>) -> Result<Option<Rupiah>, FieldError> {
    value.map(|v| Rupiah::new(field, v)).transpose()
}

impl ProductInput {
    /// Validates every field, collecting all errors.
    pub fn validate(self) -> Result<ValidProduct, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let name = self.name.trim();
        let name = if name.is_empty() {
            errs.push(FieldError::required("name", "Nama produk"));
            None
        } else {
            errs.field(check_len("name", "Nama produk", name, 3, 120)).map(|()| name.to_string())
        };
        let category = errs.field(parse_category("category", &self.category));
        let description = self.description.trim();
        errs.field(check_len("description", "Deskripsi", description, 0, 2000));
        let brand = errs.field(optional_text("brand", "Merek", self.brand.as_deref(), 80));
        let gtin = errs
            .field(non_empty(self.gtin.as_deref()).map(|s| Gtin13::parse("gtin", s)).transpose());

        let net_content = errs.field(at_least("net_content", "Isi bersih", self.net_content, 1));
        let net_unit = errs.field(
            non_empty(self.net_unit.as_deref())
                .map(|s| NetUnit::parse_field("net_unit", s))
                .transpose(),
        );
        match (self.net_content, non_empty(self.net_unit.as_deref())) {
            (Some(_), None) => errs.push(FieldError::new(
                "net_unit",
                "required",
                "Satuan isi bersih wajib dipilih bila isi bersih diisi.",
            )),
            (None, Some(_)) => errs.push(FieldError::new(
                "net_content",
                "required",
                "Isi bersih wajib diisi bila satuannya dipilih.",
            )),
            _ => {}
        }

        let pack_size =
            errs.field(in_range("pack_size", "Jumlah isi per kemasan", self.pack_size, 1, 1000));
        let packaging = errs.field(
            non_empty(self.packaging.as_deref())
                .map(|s| Packaging::parse_field("packaging", s))
                .transpose(),
        );
        let shelf_life_days = errs.field(in_range(
            "shelf_life_days",
            "Masa simpan (hari)",
            self.shelf_life_days,
            1,
            3650,
        ));
        let storage = errs.field(
            non_empty(self.storage.as_deref())
                .map(|s| StorageType::parse_field("storage", s))
                .transpose(),
        );
        let wholesale_price = errs.field(price("wholesale_price", self.wholesale_price));
        let retail_price = errs.field(price("retail_price", self.retail_price));
        if let (Some(Some(w)), Some(Some(r))) = (wholesale_price, retail_price)
            && r < w
        {
            errs.push(FieldError::new(
                "retail_price",
                "below_wholesale",
                format!("Harga eceran ({r}) tidak boleh lebih rendah dari harga grosir ({w})."),
            ));
        }
        let min_order = errs.field(at_least("min_order", "Pesanan minimum", self.min_order, 1));
        let monthly_capacity = errs.field(in_range(
            "monthly_capacity",
            "Kapasitas produksi per bulan",
            self.monthly_capacity,
            0,
            MAX_MONTHLY_CAPACITY,
        ));

        let (Some(name), Some(category), true) = (name, category, errs.is_empty()) else {
            return Err(errs);
        };
        Ok(ValidProduct {
            name,
            category,
            description: description.to_string(),
            brand: brand.flatten(),
            gtin: gtin.flatten(),
            net_content: net_content.flatten(),
            net_unit: net_unit.flatten(),
            pack_size: pack_size.flatten(),
            packaging: packaging.flatten(),
            shelf_life_days: shelf_life_days.flatten(),
            storage: storage.flatten().unwrap_or_default(),
            wholesale_price: wholesale_price.flatten(),
            retail_price: retail_price.flatten(),
            min_order: min_order.flatten(),
            monthly_capacity: monthly_capacity.flatten(),
        })
    }
}

impl ValidProduct {
    /// Net content as on the label (`250 g`), when stated.
    pub fn net_label(&self) -> Option<String> {
        Some(self.net_unit?.format(self.net_content?))
    }
}
