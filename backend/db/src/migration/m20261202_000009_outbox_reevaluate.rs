//! `search_outbox.reevaluate`: the row also stands for "re-evaluate this product against the
//! standards in force before its document is sent". A listing change records it in its own
//! transaction, so the re-evaluation is as durable as the change (retried by the relay when
//! it fails after the commit).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("search_outbox")
                .add_column(boolean("reevaluate").default(false))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("search_outbox").drop_column("reevaluate").take()).await
    }
}
