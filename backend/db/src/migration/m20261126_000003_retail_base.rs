//! Retail base: chains (jaringan), stores (gerai) and which chain or store an account belongs
//! to. Shared by the standards (a chain keeps its own standard) and the retail side.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("chains")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("code", 32))
                .col(string_len("name", 120))
                .col(string_len("kind", 16))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("stores")
                .col(big_pk_auto("id"))
                .col(big_integer_null("chain_id"))
                .col(string_len_uniq("code", 32))
                .col(string_len("name", 120))
                .col(string_len("format", 24))
                .col(string_len("address", 300))
                .col(string_len("kelurahan_code", 16))
                .col(string_len("kecamatan_code", 10))
                .col(double("lat"))
                .col(double("lon"))
                .col(big_integer("local_facings").default(0))
                .col(big_integer("version").default(1))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("stores", "chain_id")
                        .to("chains", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_stores_chain").table("stores").col("chain_id").take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_stores_kecamatan")
                .table("stores")
                .col("kecamatan_code")
                .take(),
        )
        .await?;
        // SQLite cannot add a foreign key with ALTER TABLE: these are plain columns, checked by
        // the code that sets them.
        m.alter_table(
            Table::alter().table("users").add_column(big_integer_null("chain_id")).take(),
        )
        .await?;
        m.alter_table(
            Table::alter().table("users").add_column(big_integer_null("store_id")).take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("users").drop_column("store_id").take()).await?;
        m.alter_table(Table::alter().table("users").drop_column("chain_id").take()).await?;
        m.drop_table(Table::drop().table("stores").take()).await?;
        m.drop_table(Table::drop().table("chains").take()).await?;
        Ok(())
    }
}
