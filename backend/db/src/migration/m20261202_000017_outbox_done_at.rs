//! `search_outbox.done_at`: a delivered row is kept for a day instead of deleted, so a reindex
//! (on any instance) can re-send every product that changed while it was building the new
//! index — changes another instance's relay delivered to the old index only.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("search_outbox")
                .add_column(timestamp_with_time_zone_null("done_at"))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("search_outbox").drop_column("done_at").take()).await
    }
}
