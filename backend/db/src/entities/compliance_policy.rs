//! `compliance_policies`: one version of the Dinas' compliance policy (kebijakan kepatuhan).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "compliance_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub min_agreements: i64,
    pub min_products: i64,
    pub min_producers: i64,
    pub effective_from: Date,
    pub note: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
