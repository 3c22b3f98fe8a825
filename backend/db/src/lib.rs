//! Storage: sea-orm entities, the migrations (run on SQLite and PostgreSQL alike) and the
//! repositories the server calls. Nothing here decides a business rule; `etalase-domain` does.

pub mod connect;
pub mod entities;
pub mod migration;
pub mod repo;

pub use connect::{DbKind, connect, is_unique_violation};
pub use migration::Migrator;
pub use sea_orm::{DatabaseConnection, DbErr};

/// Brings the schema up to date.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    use sea_orm_migration::MigratorTrait;
    Migrator::up(db, None).await
}
