//! `throttle_buckets`: attempts counted per key (`login:acct:<email>`, `login:addr:<ip>`,
//! `register:addr:<ip>`) where every instance sees them. A row is changed only by a
//! compare-and-swap on `version`, so two instances (or two requests) never both take the last
//! free attempt.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("throttle_buckets")
                .if_not_exists()
                .col(string("key").primary_key())
                .col(integer("attempts"))
                .col(timestamp_with_time_zone("window_started_at"))
                .col(timestamp_with_time_zone("last_attempt_at"))
                .col(timestamp_with_time_zone("next_allowed_at"))
                .col(big_integer("version"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_throttle_buckets_last_attempt")
                .table("throttle_buckets")
                .col("last_attempt_at")
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("throttle_buckets").take()).await
    }
}
