//! `placement_plans`: a computed city-wide placement plan (issue 16), kept whole as JSON so the
//! page and "send as draft agreements" act on the same plan; `sent_at` is claimed once, so a
//! plan is sent at most once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("placement_plans")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(date("plan_date"))
                .col(big_integer("policy_id"))
                .col(big_integer_null("computed_by"))
                .col(timestamp_with_time_zone("computed_at"))
                .col(text("report"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .col(big_integer_null("sent_by"))
                .col(big_integer("sent_agreements").default(0))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("placement_plans").take()).await
    }
}
