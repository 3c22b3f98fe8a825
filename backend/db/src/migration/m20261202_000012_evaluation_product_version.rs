//! `evaluations.product_version`: the product version an evaluation was computed from. A write
//! computed from an older version than the stored one is dropped, so a slow re-evaluation (the
//! relay of another instance, say) can never overwrite the result of a later change.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("evaluations")
                .add_column(big_integer("product_version").default(0))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("evaluations").drop_column("product_version").take())
            .await
    }
}
