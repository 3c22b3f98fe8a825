//! The search outbox: a product change and its outbox row commit in one transaction; the relay
//! sends the current snapshot to the index and deletes the row only once the index took it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("search_outbox")
                .col(big_pk_auto("id"))
                .col(big_integer("product_id"))
                .col(timestamp_with_time_zone("enqueued_at"))
                .col(big_integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("claimed_until"))
                .col(string_len_null("claimed_by", 64))
                .col(text_null("last_error"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_due")
                .table("search_outbox")
                .col("next_attempt_at")
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_claim")
                .table("search_outbox")
                .col("claimed_by")
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("search_outbox").take()).await?;
        Ok(())
    }
}
