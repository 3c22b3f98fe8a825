//! Government demand (Perwal 74/2023 Pasal 11(b)–(e)):
//! - `procurement_buyers`: a Perangkat Daerah or BUMD that buys goods and services;
//! - `procurement_buyer_users`: which buyer a `buyer` account records for (one each);
//! - `procurement_budgets`: a buyer's procurement budget of one year;
//! - `procurement_purchases`: purchase records (date, whole rupiah, category, supplier: a
//!   business of the catalog or another supplier by name, and whether it is a local UMKM).
//!
//! New tables only (foreign keys declared with the tables, as SQLite requires).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    from: &'static str,
    col: &'static str,
    to: &'static str,
    action: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from, col).to(to, "id").on_delete(action).take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("procurement_buyers")
                .col(big_pk_auto("id"))
                .col(string_len("name", 160).unique_key())
                .col(string_len("kind", 24))
                .col(big_integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("procurement_buyer_users")
                .col(big_integer("user_id").primary_key())
                .col(big_integer("buyer_id"))
                .foreign_key(&mut fk(
                    "procurement_buyer_users",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "procurement_buyer_users",
                    "buyer_id",
                    "procurement_buyers",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("procurement_budgets")
                .col(big_pk_auto("id"))
                .col(big_integer("buyer_id"))
                .col(integer("year"))
                .col(big_integer("amount"))
                .col(big_integer_null("updated_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "procurement_budgets",
                    "buyer_id",
                    "procurement_buyers",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_procurement_budgets_buyer_year")
                .table("procurement_budgets")
                .col("buyer_id")
                .col("year")
                .unique()
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("procurement_purchases")
                .col(big_pk_auto("id"))
                .col(big_integer("buyer_id"))
                .col(date("purchase_date"))
                .col(big_integer("value"))
                .col(string_len("description", 300))
                .col(string_len("category", 24))
                .col(big_integer_null("producer_id"))
                .col(string_len("supplier_name", 160))
                .col(boolean("local_umkm"))
                .col(big_integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "procurement_purchases",
                    "buyer_id",
                    "procurement_buyers",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "procurement_purchases",
                    "producer_id",
                    "producers",
                    ForeignKeyAction::SetNull,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_procurement_purchases_buyer_date")
                .table("procurement_purchases")
                .col("buyer_id")
                .col("purchase_date")
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "procurement_purchases",
            "procurement_budgets",
            "procurement_buyer_users",
            "procurement_buyers",
        ] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
