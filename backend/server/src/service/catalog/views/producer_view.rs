//! `ProducerView`: a UMKM business as the API returns it and the pages render it, with the
//! derivation of its scale (PP 7/2021 Pasal 35).

use chrono::{DateTime, Utc};
use etalase_db::entities::producer;
use etalase_domain::producer::derivation_text;
use etalase_domain::wilayah::kota_serang;
use serde::Serialize;
use utoipa::ToSchema;

/// A UMKM business.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProducerView {
    pub id: i64,
    pub name: String,
    pub owner_name: String,
    /// `null` while the business is in pendampingan (no NIB yet).
    pub nib: Option<String>,
    /// Derived from `capital_range`/`sales_range` (PP 7/2021 Pasal 35); declared by the owner
    /// for businesses registered before the ranges were asked (both null).
    pub scale: String,
    pub scale_label: String,
    /// `up_to1`, `from1_to5`, `from5_to10` (Rp miliar, capital excluding land and buildings).
    pub capital_range: Option<String>,
    pub capital_range_label: Option<String>,
    /// `up_to2`, `from2_to15`, `from15_to50` (Rp miliar, annual sales).
    pub sales_range: Option<String>,
    pub sales_range_label: Option<String>,
    /// How the scale was obtained, e.g. "Usaha mikro — modal ≤ Rp1 miliar (PP 7/2021 Pasal 35)".
    pub scale_derivation: String,
    pub risk_level: String,
    pub risk_level_label: String,
    pub address: String,
    pub kelurahan_code: String,
    pub kelurahan: String,
    pub kecamatan_code: String,
    pub kecamatan: String,
    pub lat: f64,
    pub lon: f64,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
    /// `registered`, `verified` or `rejected`.
    pub status: String,
    pub status_label: String,
    /// Why the Dinas rejected it, when it did.
    pub status_reason: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&producer::Model> for ProducerView {
    fn from(m: &producer::Model) -> Self {
        let w = kota_serang();
        let kel = w.kelurahan_by_code(&m.kelurahan_code);
        ProducerView {
            id: m.id,
            name: m.name.clone(),
            owner_name: m.owner_name.clone(),
            nib: m.nib.clone(),
            scale: m.scale.as_str().into(),
            scale_label: m.scale.label().into(),
            capital_range: m.capital_range.map(|r| r.as_str().into()),
            capital_range_label: m.capital_range.map(|r| r.label().into()),
            sales_range: m.sales_range.map(|r| r.as_str().into()),
            sales_range_label: m.sales_range.map(|r| r.label().into()),
            scale_derivation: derivation_text(m.scale, m.capital_range, m.sales_range),
            risk_level: m.risk_level.as_str().into(),
            risk_level_label: m.risk_level.label().into(),
            address: m.address.clone(),
            kelurahan_code: m.kelurahan_code.clone(),
            kelurahan: kel.map(|k| k.name.clone()).unwrap_or_default(),
            kecamatan_code: m.kecamatan_code.clone(),
            kecamatan: kel.map(|k| k.kecamatan_name.clone()).unwrap_or_default(),
            lat: m.lat,
            lon: m.lon,
            phone: m.phone.clone(),
            whatsapp: m.whatsapp.clone(),
            status: m.status.as_str().into(),
            status_label: m.status.label().into(),
            status_reason: m.status_reason.clone(),
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}
