//! Catalog core: accounts, sessions, producers, products, certificates and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    from: (&'static str, &'static str),
    to: (&'static str, &'static str),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

fn index(table: &'static str, name: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(*c);
    }
    idx.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("users")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("email", 254))
                .col(string("password_hash"))
                .col(string_len("role", 16))
                .col(string_len("display_name", 120))
                .col(boolean("disabled").default(false))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("sessions")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("token_hash", 64))
                .col(big_integer("user_id"))
                .col(string_len("kind", 8))
                .col(string_len("csrf_token", 64))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(&mut fk(("sessions", "user_id"), ("users", "id")))
                .take(),
        )
        .await?;
        m.create_index(index("sessions", "idx_sessions_user", &["user_id"])).await?;

        m.create_table(
            Table::create()
                .table("producers")
                .col(big_pk_auto("id"))
                .col(big_integer_uniq("owner_user_id"))
                .col(string_len("name", 120))
                .col(string_len("owner_name", 120))
                .col(string_len_uniq("nib", 13))
                .col(string_len("scale", 16))
                .col(string_len("risk_level", 24))
                .col(string_len("address", 300))
                .col(string_len("kelurahan_code", 16))
                .col(string_len("kecamatan_code", 10))
                .col(double("lat"))
                .col(double("lon"))
                .col(string_len_null("phone", 20))
                .col(string_len_null("whatsapp", 20))
                .col(string_len("status", 16))
                .col(string_len_null("status_reason", 1000))
                .col(big_integer_null("reviewed_by"))
                .col(timestamp_with_time_zone_null("reviewed_at"))
                .col(big_integer("version").default(1))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(("producers", "owner_user_id"), ("users", "id")))
                .take(),
        )
        .await?;
        m.create_index(index("producers", "idx_producers_status", &["status"])).await?;
        m.create_index(index("producers", "idx_producers_kecamatan", &["kecamatan_code"])).await?;

        m.create_table(
            Table::create()
                .table("products")
                .col(big_pk_auto("id"))
                .col(big_integer("producer_id"))
                .col(string_len("name", 120))
                .col(string_len("category", 40))
                .col(text("description"))
                .col(string_len_null("brand", 80))
                .col(string_len_null("gtin", 13))
                .col(big_integer_null("net_content"))
                .col(string_len_null("net_unit", 8))
                .col(big_integer_null("pack_size"))
                .col(string_len_null("packaging", 24))
                .col(big_integer_null("shelf_life_days"))
                .col(string_len("storage", 16))
                .col(big_integer_null("wholesale_price"))
                .col(big_integer_null("retail_price"))
                .col(big_integer_null("min_order"))
                .col(big_integer_null("monthly_capacity"))
                .col(string_len("status", 16))
                .col(string_len_null("status_reason", 1000))
                .col(big_integer("version").default(1))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("submitted_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .foreign_key(&mut fk(("products", "producer_id"), ("producers", "id")))
                .take(),
        )
        .await?;
        m.create_index(index("products", "idx_products_producer", &["producer_id"])).await?;
        m.create_index(index("products", "idx_products_status_category", &["status", "category"]))
            .await?;

        m.create_table(
            Table::create()
                .table("certificates")
                .col(big_pk_auto("id"))
                .col(big_integer("product_id"))
                .col(string_len("kind", 16))
                .col(string_len("number", 100))
                .col(string_len_null("issuer", 120))
                .col(date_null("issued_on"))
                .col(date_null("expires_on"))
                .col(string_len_null("document_key", 200))
                .col(string_len_null("document_type", 64))
                .col(string_len_null("document_name", 200))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(("certificates", "product_id"), ("products", "id")))
                .take(),
        )
        .await?;
        m.create_index(index("certificates", "idx_certificates_product", &["product_id"])).await?;

        m.create_table(
            Table::create()
                .table("audit_log")
                .col(big_pk_auto("id"))
                .col(big_integer_null("actor_user_id"))
                .col(string_len("action", 40))
                .col(string_len("entity", 40))
                .col(big_integer("entity_id"))
                .col(text_null("detail"))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await?;
        m.create_index(index("audit_log", "idx_audit_entity", &["entity", "entity_id"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["audit_log", "certificates", "products", "producers", "sessions", "users"] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
