//! `notices`: a surat teguran sent by the Dinas to a store, with the figures it quoted and
//! the generated text (rendered to PDF on download).

use etalase_domain::compliance::Level;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub store_id: i64,
    pub chain_id: Option<i64>,
    pub issued_by: Option<i64>,
    pub issued_on: Date,
    pub level: Level,
    pub agreements: i64,
    pub products: i64,
    pub producers: i64,
    pub body: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
