//! `task_runs`: one row per periodic task and period (`media_sweep` / `2026-12-02T13`, …).
//! An instance runs a period's task only after inserting its row (or taking over a row whose
//! lease ran out because its holder died), so N instances run each period once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("task_runs")
                .if_not_exists()
                .col(string("task"))
                .col(string("period"))
                .col(string("holder"))
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone("lease_until"))
                .col(timestamp_with_time_zone_null("finished_at"))
                .col(string_null("outcome"))
                .primary_key(Index::create().col("task").col("period"))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("task_runs").take()).await
    }
}
