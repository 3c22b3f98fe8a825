//! Compliance (Pasal 10(1)(b)): the Dinas' versioned policies, monthly snapshots per store
//! (so trends do not move when old agreements change), inspections with the products seen or
//! not seen, and notices (surat teguran). Adds covering indexes on agreements and their items
//! so the dashboard aggregation stays fast at 5,000 stores and 100,000 agreements.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("compliance_policies")
                .col(big_pk_auto("id"))
                .col(big_integer("min_agreements"))
                .col(big_integer("min_products"))
                .col(big_integer("min_producers"))
                .col(date("effective_from"))
                .col(text_null("note"))
                .col(big_integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("compliance_snapshots")
                .col(big_pk_auto("id"))
                .col(string_len("month", 7))
                .col(big_integer("store_id"))
                .col(big_integer_null("chain_id"))
                .col(string_len("kecamatan_code", 10))
                .col(string_len("kelurahan_code", 16))
                .col(string_len("level", 16))
                .col(big_integer("agreements"))
                .col(big_integer("products"))
                .col(big_integer("producers"))
                .col(big_integer_null("policy_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("compliance_snapshots", "store_id")
                        .to("stores", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_compliance_snapshots_month_store")
                .table("compliance_snapshots")
                .col("month")
                .col("store_id")
                .unique()
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_compliance_snapshots_chain")
                .table("compliance_snapshots")
                .col("chain_id")
                .col("month")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("inspections")
                .col(big_pk_auto("id"))
                .col(big_integer("store_id"))
                .col(big_integer_null("inspector_user_id"))
                .col(date("inspected_on"))
                .col(text("notes"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("inspections", "store_id")
                        .to("stores", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_inspections_store")
                .table("inspections")
                .col("store_id")
                .col("inspected_on")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("inspection_items")
                .col(big_pk_auto("id"))
                .col(big_integer("inspection_id"))
                .col(big_integer("product_id"))
                .col(boolean("seen"))
                .foreign_key(
                    ForeignKey::create()
                        .from("inspection_items", "inspection_id")
                        .to("inspections", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_inspection_items_inspection")
                .table("inspection_items")
                .col("inspection_id")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("notices")
                .col(big_pk_auto("id"))
                .col(big_integer("store_id"))
                .col(big_integer_null("chain_id"))
                .col(big_integer_null("issued_by"))
                .col(date("issued_on"))
                .col(string_len("level", 16))
                .col(big_integer("agreements"))
                .col(big_integer("products"))
                .col(big_integer("producers"))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("notices", "store_id")
                        .to("stores", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_notices_store").table("notices").col("store_id").take(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_notices_chain").table("notices").col("chain_id").take(),
        )
        .await?;
        // Covering indexes for the dashboard aggregation (agreements on the shelf on a date).
        m.create_index(
            Index::create()
                .name("idx_agreements_compliance")
                .table("agreements")
                .col("status")
                .col("start_date")
                .col("end_date")
                .col("store_id")
                .col("producer_id")
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_agreement_items_compliance")
                .table("agreement_items")
                .col("agreement_id")
                .col("product_id")
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_agreement_items_compliance")
                .table("agreement_items")
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop().name("idx_agreements_compliance").table("agreements").to_owned(),
        )
        .await?;
        for t in [
            "notices",
            "inspection_items",
            "inspections",
            "compliance_snapshots",
            "compliance_policies",
        ] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
