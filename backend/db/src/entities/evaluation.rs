//! `evaluations`: a product measured against one standard version — eligible, score and the
//! items (JSON of the domain's `Item` list), with the WIB date it was computed for.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    pub standard_id: i64,
    pub version_id: i64,
    pub eligible: bool,
    pub score: i64,
    pub items: String,
    pub evaluated_on: Date,
    pub evaluated_at: DateTimeUtc,
    /// The product version the evaluation was computed from (older writes are dropped).
    pub product_version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
