//! `producers`: a UMKM business, owned by one `umkm` account.

use etalase_domain::producer::{CapitalRange, SalesRange};
use etalase_domain::{BusinessScale, ProducerStatus, RiskLevel};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "producers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The owner's account; NULL for a business the Dinas imported or registers on its behalf.
    #[sea_orm(unique)]
    pub owner_user_id: Option<i64>,
    pub name: String,
    pub owner_name: String,
    /// NULL while the business is in pendampingan (no NIB yet).
    #[sea_orm(unique)]
    pub nib: Option<String>,
    /// Derived from the ranges; declared by the owner when both are NULL (older rows).
    pub scale: BusinessScale,
    pub capital_range: Option<CapitalRange>,
    pub sales_range: Option<SalesRange>,
    pub risk_level: RiskLevel,
    pub address: String,
    pub kelurahan_code: String,
    pub kecamatan_code: String,
    pub lat: f64,
    pub lon: f64,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
    pub status: ProducerStatus,
    pub status_reason: Option<String>,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub version: i64,
    /// Stable key of an imported business without NIB (unique).
    #[sea_orm(unique)]
    pub external_id: Option<String>,
    /// The Dinas officer accompanying the business (pendampingan).
    pub companion_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
