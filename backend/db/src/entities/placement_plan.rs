//! `placement_plans`: a computed placement plan, its report as JSON, and when it was sent.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "placement_plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_date: Date,
    pub policy_id: i64,
    pub computed_by: Option<i64>,
    pub computed_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub report: String,
    pub sent_at: Option<DateTimeUtc>,
    pub sent_by: Option<i64>,
    pub sent_agreements: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
