//! `producers.capital_range` and `producers.sales_range`: the ranges the business scale is
//! derived from (PP 7/2021 Pasal 35). NULL for businesses registered before they were asked;
//! their declared `scale` stays.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for col in ["capital_range", "sales_range"] {
            m.alter_table(
                Table::alter().table("producers").add_column(string_len_null(col, 16)).take(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in ["capital_range", "sales_range"] {
            m.alter_table(Table::alter().table("producers").drop_column(col).take()).await?;
        }
        Ok(())
    }
}
