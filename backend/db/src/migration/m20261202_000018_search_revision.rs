//! `search_revision`: one row counting claims of the search outbox. Every claim (and every
//! reindex) takes the next number under the row's lock, so claims are serialised across
//! instances and each delivery carries a revision that orders it: an index never replaces a
//! document with one taken under a lower revision.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("search_revision")
                .col(integer("id").primary_key())
                .col(big_integer("value"))
                .take(),
        )
        .await?;
        let seed = Query::insert()
            .into_table("search_revision")
            .columns(["id", "value"])
            .values_panic([1.into(), 0_i64.into()])
            .take();
        m.exec_stmt(seed).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("search_revision").take()).await
    }
}
