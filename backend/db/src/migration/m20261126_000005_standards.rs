//! Product standards: standards (city baseline or a chain's), their immutable versions,
//! stored evaluations per product × version, and jobs with visible progress.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("standards")
                .col(big_pk_auto("id"))
                .col(string_len("name", 160))
                .col(text("description"))
                .col(big_integer_null("chain_id"))
                .col(big_integer("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("standards", "chain_id")
                        .to("chains", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_standards_chain").table("standards").col("chain_id").take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("standard_versions")
                .col(big_pk_auto("id"))
                .col(big_integer("standard_id"))
                .col(big_integer("number"))
                .col(text("requirements"))
                .col(date("effective_from"))
                .col(text("note"))
                .col(big_integer("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("standard_versions", "standard_id")
                        .to("standards", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_standard_versions_number")
                .table("standard_versions")
                .col("standard_id")
                .col("number")
                .unique()
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("evaluations")
                .col(big_pk_auto("id"))
                .col(big_integer("product_id"))
                .col(big_integer("standard_id"))
                .col(big_integer("version_id"))
                .col(boolean("eligible"))
                .col(big_integer("score"))
                .col(text("items"))
                .col(date("evaluated_on"))
                .col(timestamp_with_time_zone("evaluated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("evaluations", "product_id")
                        .to("products", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("evaluations", "version_id")
                        .to("standard_versions", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_evaluations_product_version")
                .table("evaluations")
                .col("product_id")
                .col("version_id")
                .unique()
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_evaluations_version")
                .table("evaluations")
                .col("version_id")
                .col("eligible")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("jobs")
                .col(big_pk_auto("id"))
                .col(string_len("kind", 40))
                .col(big_integer_null("subject_id"))
                .col(string_len("status", 16))
                .col(big_integer("total").default(0))
                .col(big_integer("done").default(0))
                .col(text_null("message"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("finished_at"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_jobs_kind_subject")
                .table("jobs")
                .col("kind")
                .col("subject_id")
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("jobs").take()).await?;
        m.drop_table(Table::drop().table("evaluations").take()).await?;
        m.drop_table(Table::drop().table("standard_versions").take()).await?;
        m.drop_table(Table::drop().table("standards").take()).await?;
        Ok(())
    }
}
