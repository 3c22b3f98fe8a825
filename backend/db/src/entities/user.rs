//! `users`: an account with one role.

use etalase_domain::Role;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub display_name: String,
    pub disabled: bool,
    pub created_at: DateTimeUtc,
    /// The chain a `chain` (head office) or `store` account belongs to.
    pub chain_id: Option<i64>,
    /// The store a `store` (manager) account runs.
    pub store_id: Option<i64>,
    /// When the account last opened its Kotak masuk.
    pub inbox_seen_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
