//! What the API and pages show of chains and stores.

use etalase_db::entities::{chain, store};
use etalase_domain::wilayah::kota_serang;
use serde::Serialize;
use utoipa::ToSchema;

/// A chain.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChainView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
}

impl From<&chain::Model> for ChainView {
    fn from(c: &chain::Model) -> Self {
        ChainView {
            id: c.id,
            code: c.code.clone(),
            name: c.name.clone(),
            kind: c.kind.as_str().into(),
            kind_label: c.kind.label().into(),
        }
    }
}

/// A store (gerai).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoreView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub chain_id: Option<i64>,
    pub chain_code: Option<String>,
    pub chain_name: Option<String>,
    pub format: String,
    pub format_label: String,
    pub address: String,
    pub kelurahan_code: String,
    pub kelurahan_name: String,
    pub kecamatan_code: String,
    pub kecamatan_name: String,
    pub lat: f64,
    pub lon: f64,
    /// Shelf facings set aside for local products.
    pub local_facings: i64,
    pub version: i64,
}

impl StoreView {
    pub fn new(s: &store::Model, chains: &[chain::Model]) -> Self {
        let ch = s.chain_id.and_then(|id| chains.iter().find(|c| c.id == id));
        let kel = kota_serang().kelurahan_by_code(&s.kelurahan_code);
        StoreView {
            id: s.id,
            code: s.code.clone(),
            name: s.name.clone(),
            chain_id: s.chain_id,
            chain_code: ch.map(|c| c.code.clone()),
            chain_name: ch.map(|c| c.name.clone()),
            format: s.format.as_str().into(),
            format_label: s.format.label().into(),
            address: s.address.clone(),
            kelurahan_code: s.kelurahan_code.clone(),
            kelurahan_name: kel.map(|k| k.name.clone()).unwrap_or_default(),
            kecamatan_code: s.kecamatan_code.clone(),
            kecamatan_name: kel.map(|k| k.kecamatan_name.clone()).unwrap_or_default(),
            lat: s.lat,
            lon: s.lon,
            local_facings: s.local_facings,
            version: s.version,
        }
    }
}
