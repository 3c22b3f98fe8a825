//! `standard_versions`: one published version of a standard — its requirements (JSON of the
//! domain's `Requirement` list) and the date it takes effect. Never changed once written.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "standard_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub standard_id: i64,
    /// 1, 2, … within the standard.
    pub number: i64,
    pub requirements: String,
    pub effective_from: Date,
    pub note: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
