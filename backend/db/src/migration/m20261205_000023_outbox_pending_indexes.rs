//! The outbox's indexes cover the rows still waiting only (`done_at IS NULL`). Delivered rows
//! are kept a day (migration 17): after an import of 100,000 products, each relay pass (every
//! second, on every instance) and every `/metrics` scrape read all of them, since
//! `next_attempt_at <= now` and `claimed_by` matched delivered rows too and the held-products
//! subquery had no index. `make bench-import` at 100,000 rows, a relay pass with nothing due
//! beside them (with the relay's read-only check before it claims): SQLite 9.7 ms before,
//! 0.15 ms after; PostgreSQL 51 ms before, 0.20 ms after (6.9 ms until autovacuum has been).
//!
//! - `idx_outbox_pending (id)`: the due rows in id order, and the waiting count and the oldest;
//! - `idx_outbox_held (claimed_until)`: the products another relay holds;
//! - `idx_outbox_claim (claimed_by)`: a claim reading back its own rows (replaces the index of
//!   every row).
//!
//! `idx_outbox_due (next_attempt_at)` over every row goes. Partial indexes are plain SQL on
//! SQLite and PostgreSQL alike.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: [&str; 5] = [
    "DROP INDEX IF EXISTS idx_outbox_due",
    "DROP INDEX IF EXISTS idx_outbox_claim",
    "CREATE INDEX IF NOT EXISTS idx_outbox_pending ON search_outbox (id) WHERE done_at IS NULL",
    "CREATE INDEX IF NOT EXISTS idx_outbox_held ON search_outbox (claimed_until) WHERE done_at IS NULL",
    "CREATE INDEX IF NOT EXISTS idx_outbox_claim ON search_outbox (claimed_by) WHERE done_at IS NULL",
];

const DOWN: [&str; 5] = [
    "DROP INDEX IF EXISTS idx_outbox_pending",
    "DROP INDEX IF EXISTS idx_outbox_held",
    "DROP INDEX IF EXISTS idx_outbox_claim",
    "CREATE INDEX IF NOT EXISTS idx_outbox_due ON search_outbox (next_attempt_at)",
    "CREATE INDEX IF NOT EXISTS idx_outbox_claim ON search_outbox (claimed_by)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for sql in UP {
            m.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for sql in DOWN {
            m.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
