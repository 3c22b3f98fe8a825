//! `store_compliance`: each store's current compliance figures and level, maintained when its
//! agreements, inspections or the policy change (issue 17), so the dashboard reads one row per
//! store instead of aggregating every agreement per request. `store_compliance_state` (one row,
//! id 1) says for which date and policy thresholds the rows were computed: a reader uses the
//! table only when they are the ones it asks for, and falls back to the live aggregation
//! otherwise. Also `idx_producers_lat_lon`, so the recommendations' candidate query reads the
//! producers in a box around the store as a range (`repo::matching`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("store_compliance")
                .if_not_exists()
                .col(big_integer("store_id").primary_key())
                .col(big_integer("agreements"))
                .col(big_integer("products"))
                .col(big_integer("producers"))
                .col(big_integer("agreements_later"))
                .col(big_integer("products_later"))
                .col(big_integer("producers_later"))
                .col(text("level"))
                .foreign_key(
                    ForeignKey::create()
                        .from("store_compliance", "store_id")
                        .to("stores", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("store_compliance_state")
                .if_not_exists()
                .col(integer("id").primary_key())
                .col(big_integer("policy_id"))
                .col(date("as_of"))
                .col(date("horizon"))
                .col(big_integer("min_agreements"))
                .col(big_integer("min_products"))
                .col(big_integer("min_producers"))
                .col(timestamp_with_time_zone("rebuilt_at"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_producers_lat_lon")
                .table("producers")
                .col("lat")
                .col("lon")
                .if_not_exists()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_producers_lat_lon").table("producers").to_owned())
            .await?;
        m.drop_table(Table::drop().table("store_compliance_state").take()).await?;
        m.drop_table(Table::drop().table("store_compliance").take()).await
    }
}
