//! `certificates.checked_by` / `checked_at`: the Dinas officer who checked a certificate, and
//! when. Halal, BPOM, SNI and other certificates count for filters, badges and standards only
//! once checked (P-IRT at once). Certificates of products already published were seen by the
//! officer who published them: they are marked checked at the publication time.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table("certificates").add_column(big_integer_null("checked_by")).take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("certificates")
                .add_column(timestamp_with_time_zone_null("checked_at"))
                .take(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE certificates SET checked_at = (SELECT p.published_at FROM products p \
                 WHERE p.id = certificates.product_id) WHERE product_id IN (SELECT id FROM \
                 products WHERE published_at IS NOT NULL AND status IN ('published', 'archived'))",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("certificates").drop_column("checked_at").take())
            .await?;
        m.alter_table(Table::alter().table("certificates").drop_column("checked_by").take()).await
    }
}
