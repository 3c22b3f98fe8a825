//! Storage: sea-orm entities, the migrations (run on SQLite and PostgreSQL alike) and the
//! repositories the server calls. Nothing here decides a business rule; `etalase-domain` does.

pub mod connect;
pub mod entities;
pub mod migration;
pub mod repo;

pub use connect::{DbKind, connect, is_unique_violation};
pub use migration::Migrator;
pub use sea_orm::{DatabaseConnection, DbErr};

/// Starts a transaction that will write. On SQLite it takes the write lock at `BEGIN`
/// (`BEGIN IMMEDIATE`), so the busy timeout covers the wait: a deferred transaction that reads
/// first and writes later fails at once with "database is locked" when another connection
/// committed in between (WAL cannot upgrade a stale read snapshot). PostgreSQL ignores the mode.
pub async fn begin_write<C: sea_orm::TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Brings the schema up to date. On PostgreSQL several instances may start at once: the
/// migrations run in one transaction holding an advisory lock, so one instance migrates and
/// the others wait, then find nothing left to do.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    use sea_orm_migration::MigratorTrait;
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Migrator::up(db, None).await;
    }
    // PostgreSQL only: the SQLite trap `begin_write` avoids does not apply.
    #[allow(clippy::disallowed_methods)]
    let txn = db.begin().await?;
    txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")).await?;
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// The PostgreSQL advisory lock key held while migrating ("ETALASE" in a number).
const MIGRATION_LOCK: i64 = 0x0045_5441_4c41_5345;
