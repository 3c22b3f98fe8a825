//! Retail: placement agreements (perjanjian penempatan) with their product lines and the
//! history of every change, and the store's shortlist of products (Rekomendasi).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("agreements")
                .col(big_pk_auto("id"))
                .col(big_integer("store_id"))
                .col(big_integer("producer_id"))
                .col(string_len("status", 16))
                .col(string_len("initiated_by", 16))
                .col(string_len("offer_by", 16))
                .col(string_len("scheme", 16))
                .col(big_integer_null("store_margin_percent"))
                .col(big_integer("payment_term_days"))
                .col(date("start_date"))
                .col(date("end_date"))
                .col(string_len("delivery_schedule", 200))
                .col(big_integer_null("listing_fee"))
                .col(text("flags"))
                .col(text_null("status_reason"))
                .col(big_integer_null("standard_version_id"))
                .col(big_integer_null("created_by"))
                .col(big_integer("version").default(1))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("accepted_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("agreements", "store_id")
                        .to("stores", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("agreements", "producer_id")
                        .to("producers", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_agreements_store")
                .table("agreements")
                .col("store_id")
                .col("status")
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_agreements_producer")
                .table("agreements")
                .col("producer_id")
                .col("status")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("agreement_items")
                .col(big_pk_auto("id"))
                .col(big_integer("agreement_id"))
                .col(big_integer("product_id"))
                .col(big_integer("price"))
                .col(big_integer("facings"))
                .foreign_key(
                    ForeignKey::create()
                        .from("agreement_items", "agreement_id")
                        .to("agreements", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("agreement_items", "product_id")
                        .to("products", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_agreement_items_agreement")
                .table("agreement_items")
                .col("agreement_id")
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_agreement_items_product")
                .table("agreement_items")
                .col("product_id")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("agreement_events")
                .col(big_pk_auto("id"))
                .col(big_integer("agreement_id"))
                .col(string_len("action", 16))
                .col(string_len_null("from_status", 16))
                .col(string_len("to_status", 16))
                .col(big_integer_null("actor_user_id"))
                .col(string_len("actor_side", 16))
                .col(text_null("note"))
                .col(text("terms"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("agreement_events", "agreement_id")
                        .to("agreements", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_agreement_events_agreement")
                .table("agreement_events")
                .col("agreement_id")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("shortlists")
                .col(big_pk_auto("id"))
                .col(big_integer("store_id"))
                .col(big_integer("product_id"))
                .col(big_integer("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("shortlists", "store_id")
                        .to("stores", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("shortlists", "product_id")
                        .to("products", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_shortlists_store_product")
                .table("shortlists")
                .col("store_id")
                .col("product_id")
                .unique()
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["shortlists", "agreement_events", "agreement_items", "agreements"] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
