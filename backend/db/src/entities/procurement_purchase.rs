//! `procurement_purchases`: one purchase of a buyer: its date (WIB calendar), value in whole
//! rupiah, Pasal 11 category, and supplier (a catalog business, or another supplier by name),
//! with whether the supplier is a local UMKM.

use etalase_domain::procurement::PurchaseCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "procurement_purchases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub buyer_id: i64,
    pub purchase_date: Date,
    pub value: i64,
    pub description: String,
    pub category: PurchaseCategory,
    /// The catalog business paid, if any.
    pub producer_id: Option<i64>,
    /// The supplier's name (the business's name at the time, for a catalog business).
    pub supplier_name: String,
    pub local_umkm: bool,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
