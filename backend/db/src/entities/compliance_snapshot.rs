//! `compliance_snapshots`: one store's level and figures for one month (`YYYY-MM`), frozen so
//! trends do not change when old agreements are edited.

use etalase_domain::compliance::Level;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "compliance_snapshots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub month: String,
    pub store_id: i64,
    pub chain_id: Option<i64>,
    pub kecamatan_code: String,
    pub kelurahan_code: String,
    /// `patuh`, `berisiko` or `tidak_patuh`.
    pub level: Level,
    pub agreements: i64,
    pub products: i64,
    pub producers: i64,
    pub policy_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
