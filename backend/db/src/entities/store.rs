//! `stores`: one minimarket / toko modern outlet (gerai), with its place and the shelf facings
//! it sets aside for local products.

use etalase_domain::store::StoreFormat;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "stores")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub chain_id: Option<i64>,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// `minimarket`, `supermarket`, `hypermarket` or `toko_modern_lainnya`.
    pub format: StoreFormat,
    pub address: String,
    pub kelurahan_code: String,
    pub kecamatan_code: String,
    pub lat: f64,
    pub lon: f64,
    pub local_facings: i64,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
