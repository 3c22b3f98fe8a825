//! Opening a database from a URL: SQLite (WAL, busy timeout, foreign keys) or PostgreSQL.

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend, DbErr, RuntimeErr};

/// Which engine a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl DbKind {
    pub fn of(conn: &DatabaseConnection) -> DbKind {
        match conn.get_database_backend() {
            DbBackend::Postgres => DbKind::Postgres,
            _ => DbKind::Sqlite,
        }
    }
}

/// Connects and configures the pool. SQLite files are created when missing.
#[tracing::instrument]
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let is_sqlite = url.starts_with("sqlite:");
    let url = if is_sqlite && !url.contains("mode=") && !url.contains(":memory:") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_string()
    };
    let mut opt = ConnectOptions::new(url);
    opt.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(15));
    if is_sqlite {
        opt.max_connections(8).min_connections(1);
        opt.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    } else {
        opt.max_connections(16).min_connections(1);
    }
    Database::connect(opt).await
}

/// True when the error is a unique-constraint violation (SQLite or PostgreSQL).
pub fn is_unique_violation(err: &DbErr) -> bool {
    let text = match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            if let Some(db) = e.as_database_error()
                && db.is_unique_violation()
            {
                return true;
            }
            e.to_string()
        }
        other => other.to_string(),
    };
    text.contains("UNIQUE constraint failed") || text.contains("duplicate key value")
}
