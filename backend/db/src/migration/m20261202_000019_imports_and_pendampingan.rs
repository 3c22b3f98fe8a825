//! Businesses the Dinas imports or registers on a producer's behalf (pendampingan):
//! - `producers.owner_user_id` and `producers.nib` may be NULL: an imported business has no
//!   account yet, and a business in pendampingan has no NIB yet (both stay UNIQUE; NULLs do not
//!   collide);
//! - `producers.external_id`: the stable key of an imported row without NIB (unique);
//! - `producers.companion_user_id`: the Dinas officer accompanying the business;
//! - `products.external_id`: the stable key of an imported product, unique per producer;
//! - `import_uploads`: a previewed file kept until its officer saves it (a day at most), so the
//!   preview and the save read the same bytes on any instance.
//!
//! SQLite cannot drop a NOT NULL with ALTER TABLE and a table rebuild would cascade into the
//! products; its documented procedure for removing NOT NULL constraints rewrites the stored
//! table definition instead (PRAGMA writable_schema, schema_version bumped), in one transaction.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const NULLABLE: [&str; 2] = ["owner_user_id", "nib"];

/// The `CREATE TABLE` text with `NOT NULL` removed from the named columns' definitions.
pub fn drop_not_null(sql: &str, columns: &[&str]) -> Result<String, DbErr> {
    let mut out = sql.to_string();
    for col in columns {
        let quoted = format!("\"{col}\" ");
        let start = out
            .find(&quoted)
            .ok_or_else(|| DbErr::Migration(format!("producers: column {col} not found")))?;
        let end = out[start..].find(',').map_or(out.len(), |e| start + e);
        let def = out[start..end].to_string();
        if !def.contains(" NOT NULL") {
            return Err(DbErr::Migration(format!("producers.{col} is not NOT NULL: {def}")));
        }
        out.replace_range(start..end, &def.replacen(" NOT NULL", "", 1));
    }
    Ok(out)
}

async fn sqlite_drop_not_null(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let q = |s: &str| Statement::from_string(DbBackend::Sqlite, s.to_string());
    let row = db
        .query_one_raw(q(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'producers'",
        ))
        .await?
        .ok_or_else(|| DbErr::Migration("producers table missing".into()))?;
    let sql: String = row.try_get("", "sql")?;
    let new_sql = drop_not_null(&sql, &NULLABLE)?;
    let version: i64 = db
        .query_one_raw(q("PRAGMA schema_version"))
        .await?
        .ok_or_else(|| DbErr::Migration("no schema_version".into()))?
        .try_get_by_index(0)?;
    db.execute_raw(q("PRAGMA writable_schema = ON")).await?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'producers'",
        [new_sql.into()],
    ))
    .await?;
    db.execute_raw(q(&format!("PRAGMA schema_version = {}", version + 1))).await?;
    db.execute_raw(q("PRAGMA writable_schema = OFF")).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One connection throughout (the writable_schema pragma is per connection).
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Sqlite {
            sqlite_drop_not_null(m).await?;
        } else {
            for col in NULLABLE {
                m.get_connection()
                    .execute_unprepared(&format!(
                        "ALTER TABLE producers ALTER COLUMN {col} DROP NOT NULL"
                    ))
                    .await?;
            }
        }
        m.alter_table(
            Table::alter().table("producers").add_column(string_len_null("external_id", 64)).take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("producers")
                .add_column(big_integer_null("companion_user_id"))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter().table("products").add_column(string_len_null("external_id", 64)).take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_producers_external_id")
                .table("producers")
                .col("external_id")
                .unique()
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_producers_companion")
                .table("producers")
                .col("companion_user_id")
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_products_external_id")
                .table("products")
                .col("producer_id")
                .col("external_id")
                .unique()
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("import_uploads")
                .col(big_pk_auto("id"))
                .col(string_len("token", 64).unique_key())
                .col(big_integer("user_id"))
                .col(string_len("kind", 16))
                .col(string_len("file_name", 200))
                .col(blob("bytes"))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("import_uploads").take()).await?;
        for (idx, table) in [
            ("uq_products_external_id", "products"),
            ("idx_producers_companion", "producers"),
            ("uq_producers_external_id", "producers"),
        ] {
            m.drop_index(Index::drop().name(idx).table(table).to_owned()).await?;
        }
        m.alter_table(Table::alter().table("products").drop_column("external_id").take()).await?;
        for col in ["companion_user_id", "external_id"] {
            m.alter_table(Table::alter().table("producers").drop_column(col).take()).await?;
        }
        // The NOT NULLs are not put back: rows without an owner or a NIB may exist by then.
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn not_null_is_removed_only_from_the_named_columns() {
        let sql = r#"CREATE TABLE "producers" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "owner_user_id" bigint NOT NULL UNIQUE, "name" varchar(120) NOT NULL, "nib" varchar(13) NOT NULL UNIQUE, "lat" real NOT NULL )"#;
        let out = drop_not_null(sql, &NULLABLE).unwrap();
        assert!(out.contains(r#""owner_user_id" bigint UNIQUE,"#), "{out}");
        assert!(out.contains(r#""nib" varchar(13) UNIQUE,"#), "{out}");
        assert!(out.contains(r#""name" varchar(120) NOT NULL,"#), "{out}");
        assert!(drop_not_null(&out, &NULLABLE).is_err(), "a second run is refused");
    }
}
