//! `products`: one SKU of a producer, with its listing status and optimistic `version`.

use etalase_domain::{ListingStatus, NetUnit, Packaging, StorageType};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub producer_id: i64,
    pub name: String,
    pub category: String,
    pub description: String,
    pub brand: Option<String>,
    pub gtin: Option<String>,
    pub net_content: Option<i64>,
    pub net_unit: Option<NetUnit>,
    pub pack_size: Option<i64>,
    pub packaging: Option<Packaging>,
    pub shelf_life_days: Option<i64>,
    pub storage: StorageType,
    pub wholesale_price: Option<i64>,
    pub retail_price: Option<i64>,
    pub min_order: Option<i64>,
    pub monthly_capacity: Option<i64>,
    pub status: ListingStatus,
    pub status_reason: Option<String>,
    pub version: i64,
    /// Stable key of an imported product, unique per producer.
    pub external_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
