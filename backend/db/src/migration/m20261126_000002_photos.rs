//! Product photos.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("photos")
                .col(big_pk_auto("id"))
                .col(big_integer("product_id"))
                .col(big_integer("position"))
                .col(boolean("is_primary").default(false))
                .col(string_len("alt_text", 200).default(""))
                .col(string_len("content_hash", 64))
                .col(big_integer("width"))
                .col(big_integer("height"))
                .col(big_integer("bytes"))
                .col(string_len("sizes", 40))
                .col(double("sharpness"))
                .col(double("brightness"))
                .col(double("border_spread"))
                .col(double("border_brightness"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("photos", "product_id")
                        .to("products", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_photos_product_hash")
                .table("photos")
                .col("product_id")
                .col("content_hash")
                .unique()
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_photos_hash").table("photos").col("content_hash").take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("photos").take()).await?;
        Ok(())
    }
}
