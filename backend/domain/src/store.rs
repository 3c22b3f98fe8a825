//! Owns the retail outlets' rules: the store formats (minimarket, supermarket, hypermarket,
//! toko modern lainnya), chain kinds and validation of one store's input (the form, the API and
//! each row of a store import, `import::store`).

use crate::code_enum::code_enum;
use crate::error::{FieldError, ValidationErrors, check_len};
use crate::wilayah::{Kelurahan, check_in_kota_serang, parse_kelurahan};
use serde::{Deserialize, Serialize};

code_enum! {
    /// Format of a retail outlet.
    pub enum StoreFormat : "format gerai" {
        /// Minimarket.
        Minimarket => ("minimarket", "Minimarket"),
        /// Supermarket.
        Supermarket => ("supermarket", "Supermarket"),
        /// Hypermarket.
        Hypermarket => ("hypermarket", "Hypermarket"),
        /// Other toko modern.
        TokoModernLainnya => ("toko_modern_lainnya", "Toko modern lainnya"),
    }
}

impl StoreFormat {
    /// Units of one local product a month such an outlet typically sells (capacity need).
    pub fn monthly_need(self) -> i64 {
        match self {
            StoreFormat::Minimarket | StoreFormat::TokoModernLainnya => 60,
            StoreFormat::Supermarket => 200,
            StoreFormat::Hypermarket => 500,
        }
    }
}

code_enum! {
    /// Kind of retail operator.
    pub enum ChainKind : "jenis jaringan" {
        /// A national chain.
        National => ("national", "Jaringan nasional"),
        /// A local chain (e.g. a cooperative).
        Local => ("local", "Jaringan lokal"),
        /// An independent outlet.
        Independent => ("independent", "Mandiri"),
    }
}

/// One store as typed (API body, form or import row).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = StoreBody))]
pub struct StoreInput {
    /// Unique outlet code, e.g. `MS-SRG-001`.
    pub code: String,
    pub name: String,
    /// Code of the chain (`SM`, `MS`, `BM`, …); absent for an independent outlet. A chain office
    /// may only use its own.
    #[serde(default)]
    pub chain_code: Option<String>,
    /// `minimarket`, `supermarket`, `hypermarket` or `toko_modern_lainnya`.
    pub format: String,
    pub address: String,
    pub kelurahan_code: String,
    pub lat: f64,
    pub lon: f64,
    /// Shelf facings set aside for local products.
    #[serde(default)]
    pub local_facings: i64,
}

/// A store input that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidStore {
    pub code: String,
    pub name: String,
    pub chain_code: Option<String>,
    pub format: StoreFormat,
    pub address: String,
    pub kelurahan: &'static Kelurahan,
    pub lat: f64,
    pub lon: f64,
    pub local_facings: i64,
}

fn check_code(field: &str, what: &str, raw: &str) -> Result<String, FieldError> {
    let code = raw.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err(FieldError::required(field, what));
    }
    check_len(field, what, &code, 2, 32)?;
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(FieldError::new(
            field,
            "invalid_format",
            format!("{what} hanya boleh berisi huruf, angka, '-' dan '_'."),
        ));
    }
    Ok(code)
}

impl StoreInput {
    /// Validates every field, reporting all problems at once.
    pub fn validate(&self) -> Result<ValidStore, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let code = e.field(check_code("code", "Kode gerai", &self.code));
        let name = self.name.trim().to_string();
        e.field(check_len("name", "Nama gerai", &name, 3, 120));
        let chain_code = match self.chain_code.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(c) => e.field(check_code("chain_code", "Kode jaringan", c)).map(Some),
            None => Some(None),
        };
        let format = e.field(StoreFormat::parse_field("format", &self.format));
        let address = self.address.trim().to_string();
        e.field(check_len("address", "Alamat", &address, 5, 300));
        let kelurahan = e.field(parse_kelurahan("kelurahan_code", &self.kelurahan_code));
        e.field(check_in_kota_serang("lat", "lon", self.lat, self.lon));
        if !(0..=10_000).contains(&self.local_facings) {
            e.push(FieldError::new(
                "local_facings",
                "out_of_range",
                "Jumlah facing produk lokal harus antara 0 dan 10.000.",
            ));
        }
        match (code, chain_code, format, kelurahan) {
            (Some(code), Some(chain_code), Some(format), Some(kelurahan)) if e.is_empty() => {
                Ok(ValidStore {
                    code,
                    name,
                    chain_code,
                    format,
                    address,
                    kelurahan,
                    lat: self.lat,
                    lon: self.lon,
                    local_facings: self.local_facings,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
