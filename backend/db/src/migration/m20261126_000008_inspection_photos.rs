//! Shelf photos of an inspection. The pixels live in the blob store under the same
//! content-addressed keys as product photos (`photos/{h2}/{hash}/{size}.{ext}`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("inspection_photos")
                .col(big_pk_auto("id"))
                .col(big_integer("inspection_id"))
                .col(string_len("content_hash", 64))
                .col(big_integer("width"))
                .col(big_integer("height"))
                .col(string_len("sizes", 40))
                .col(big_integer("position"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("inspection_photos", "inspection_id")
                        .to("inspections", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_inspection_photos_inspection")
                .table("inspection_photos")
                .col("inspection_id")
                .col("position")
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_inspection_photos_hash")
                .table("inspection_photos")
                .col("content_hash")
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("inspection_photos").take()).await?;
        Ok(())
    }
}
