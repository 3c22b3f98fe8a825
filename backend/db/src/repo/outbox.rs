//! The search outbox: enqueue in the writer's transaction; the relay claims due rows with a
//! lease (safe with several server instances: a claim only takes rows nobody holds), and
//! marks them done once the index has the snapshot (kept a day, for reindex catch-up), or
//! schedules a retry with backoff.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, Statement, TransactionSession, TransactionTrait,
};

use crate::entities::outbox::{ActiveModel, Column, Entity, Model};

/// Records that these products' search documents must be refreshed; with `reevaluate`, that
/// their standards evaluations must be recomputed first (a change to the listing itself).
pub async fn enqueue(
    db: &impl ConnectionTrait,
    product_ids: &[i64],
    now: DateTime<Utc>,
    reevaluate: bool,
) -> Result<(), DbErr> {
    if product_ids.is_empty() {
        return Ok(());
    }
    // In slices: one statement's bind parameters are limited (SQLite 32,766, PostgreSQL
    // 65,535), and an import may touch tens of thousands of products.
    for ids in product_ids.chunks(1_000) {
        insert_rows(db, ids, now, reevaluate).await?;
    }
    Ok(())
}

async fn insert_rows(
    db: &impl ConnectionTrait,
    product_ids: &[i64],
    now: DateTime<Utc>,
    reevaluate: bool,
) -> Result<(), DbErr> {
    let rows = product_ids.iter().map(|id| ActiveModel {
        product_id: Set(*id),
        enqueued_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        claimed_by: Set(None),
        last_error: Set(None),
        reevaluate: Set(reevaluate),
        done_at: Set(None),
        ..Default::default()
    });
    Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

fn free(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(Column::DoneAt.is_null())
        .add(Condition::any().add(Column::ClaimedUntil.is_null()).add(Column::ClaimedUntil.lt(now)))
}

/// Takes the next search revision (see migration 18) on `db`, holding its row lock until the
/// caller's transaction ends.
pub async fn next_revision(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let sql = "UPDATE search_revision SET value = value + 1 WHERE id = 1 RETURNING value";
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("search_revision".into()))?;
    row.try_get_by_index::<i64>(0)
}

/// Whether a relay pass has anything to claim: a waiting row that is due and under nobody's
/// lease. Read-only, on the waiting rows' index (migration 23): the relay asks this before it
/// takes a revision and the write lock, so an idle instance reads a few index pages a second
/// and writes nothing. (A due row of a product another relay holds still answers yes; the
/// claim then takes nothing.)
pub async fn any_due(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<bool, DbErr> {
    Ok(due_probe(now).into_tuple::<i64>().one(db).await?.is_some())
}

fn due_probe(now: DateTime<Utc>) -> sea_orm::Select<Entity> {
    use sea_orm::QuerySelect;
    Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::NextAttemptAt.lte(now))
        .filter(free(now))
        .limit(1)
}

/// Claims up to `limit` due rows for `worker` until `now + lease`; returns the claim's revision
/// (later claims, on any instance, have higher ones) and the rows.
pub async fn claim<C: TransactionTrait>(
    db: &C,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> Result<(i64, Vec<Model>), DbErr> {
    let txn = crate::begin_write(db).await?;
    // The revision row's lock serialises claims until this transaction commits: a claim sees
    // every row an earlier claim took.
    let revision = next_revision(&txn).await?;
    take_due(worker, now, lease, limit).exec(&txn).await?;
    let rows = claimed(worker, now + lease).all(&txn).await?;
    txn.commit().await?;
    Ok((revision, rows))
}

/// Marks up to `limit` due rows as `worker`'s until `now + lease`.
fn take_due(
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> sea_orm::UpdateMany<Entity> {
    // A product another worker holds a row of is left alone until that worker is done: the
    // deliveries of one product keep their order, so an older snapshot taken by a slow worker
    // never lands after a newer one (and the revision guards the case of an expired lease).
    let held = Query::select()
        .column(Column::ProductId)
        .from(Entity)
        .cond_where(
            Condition::all().add(Column::DoneAt.is_null()).add(Column::ClaimedUntil.gte(now)),
        )
        .take();
    let due = Query::select()
        .column(Column::Id)
        .from(Entity)
        .cond_where(
            Condition::all()
                .add(Column::NextAttemptAt.lte(now))
                .add(free(now))
                .add(Column::ProductId.not_in_subquery(held)),
        )
        .order_by(Column::Id, sea_orm::Order::Asc)
        .limit(limit)
        .take();
    Entity::update_many()
        .col_expr(Column::ClaimedUntil, Expr::value(now + lease))
        .col_expr(Column::ClaimedBy, Expr::value(worker.to_string()))
        .filter(Column::Id.in_subquery(due))
        .filter(free(now))
}

/// The rows `worker`'s claim with lease `until` took.
fn claimed(worker: &str, until: DateTime<Utc>) -> sea_orm::Select<Entity> {
    Entity::find()
        .filter(Column::ClaimedBy.eq(worker))
        .filter(Column::ClaimedUntil.eq(until))
        .filter(Column::DoneAt.is_null())
        .order_by_asc(Column::Id)
}

/// The index took these rows: mark them done (kept for `purge_done`).
pub async fn done(
    db: &impl ConnectionTrait,
    worker: &str,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    Entity::update_many()
        .col_expr(Column::DoneAt, Expr::value(Some(now)))
        .col_expr(Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(Column::Id.is_in(ids.to_vec()))
        .filter(Column::ClaimedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(())
}

/// The index refused or was down: release with a later attempt time.
pub async fn failed(
    db: &impl ConnectionTrait,
    worker: &str,
    ids: &[i64],
    error: &str,
    now: DateTime<Utc>,
    attempts: i64,
) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let backoff = Duration::milliseconds(std::cmp::min(250_i64 << attempts.clamp(0, 10), 60_000));
    Entity::update_many()
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .col_expr(Column::NextAttemptAt, Expr::value(now + backoff))
        .col_expr(Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(Column::ClaimedBy, Expr::value(Option::<String>::None))
        .col_expr(Column::LastError, Expr::value(error.chars().take(500).collect::<String>()))
        .filter(Column::Id.is_in(ids.to_vec()))
        .filter(Column::ClaimedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(())
}

/// Rows waiting for one product (for tests and the drift report).
pub async fn pending_for(db: &impl ConnectionTrait, product_id: i64) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::ProductId.eq(product_id))
        .filter(Column::DoneAt.is_null())
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

/// Rows waiting (for status pages and tests).
pub async fn pending(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    waiting().count(db).await
}

/// The oldest waiting row's age basis.
pub async fn oldest(db: &impl ConnectionTrait) -> Result<Option<Model>, DbErr> {
    waiting().one(db).await
}

/// The rows still waiting, oldest first.
fn waiting() -> sea_orm::Select<Entity> {
    Entity::find().filter(Column::DoneAt.is_null()).order_by_asc(Column::Id)
}

/// Products with a row delivered since `since` (perhaps to an index a reindex has replaced
/// since: the reindex sends them again). Rows still waiting reach the new index anyway.
pub async fn delivered_since(
    db: &impl ConnectionTrait,
    since: DateTime<Utc>,
) -> Result<Vec<i64>, DbErr> {
    use sea_orm::QuerySelect;
    Entity::find()
        .select_only()
        .column(Column::ProductId)
        .distinct()
        .filter(Column::DoneAt.gte(since))
        .into_tuple()
        .all(db)
        .await
}

/// Deletes delivered rows older than `before`; returns how many.
pub async fn purge_done(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::DoneAt.is_not_null())
        .filter(Column::DoneAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use sea_orm::{DbBackend, QuerySelect, QueryTrait};

    /// SQLite's plan for `stmt`, a line per step.
    async fn plan(db: &sea_orm::DatabaseConnection, stmt: Statement) -> Vec<String> {
        let explain = Statement { sql: format!("EXPLAIN QUERY PLAN {}", stmt.sql), ..stmt };
        let rows = db.query_all_raw(explain).await.unwrap();
        rows.iter().map(|r| r.try_get::<String>("", "detail").unwrap()).collect()
    }

    /// The outbox's index names on a database.
    async fn indexes(db: &sea_orm::DatabaseConnection) -> Vec<String> {
        let sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'search_outbox' AND name LIKE 'idx_%' ORDER BY name";
        let rows = db.query_all_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.unwrap();
        rows.iter().map(|r| r.try_get::<String>("", "name").unwrap()).collect()
    }

    #[tokio::test]
    async fn the_relay_and_the_metrics_read_waiting_rows_only_never_every_delivered_row() {
        use sea_orm_migration::MigratorTrait;
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("o.db").display());
        let db = crate::connect(&url).await.unwrap();
        crate::migrate(&db).await.unwrap();
        // The migration goes back to the indexes of every row, and forth again.
        let partial = ["idx_outbox_claim", "idx_outbox_held", "idx_outbox_pending"];
        assert_eq!(indexes(&db).await, partial);
        crate::migration::Migrator::down(&db, Some(1)).await.unwrap();
        assert_eq!(indexes(&db).await, ["idx_outbox_claim", "idx_outbox_due"]);
        crate::migrate(&db).await.unwrap();
        assert_eq!(indexes(&db).await, partial);
        let now = DateTime::parse_from_rfc3339("2026-12-05T06:00:00Z").unwrap().to_utc();
        let (lease, b) = (Duration::seconds(60), DbBackend::Sqlite);
        let statements = [
            ("any_due", due_probe(now).build(b)),
            ("claim: take", take_due("w", now, lease, 500).build(b)),
            ("claim: read back", claimed("w", now + lease).build(b)),
            ("pending", waiting().build(b)),
            ("oldest", waiting().limit(1).build(b)),
        ];
        for (name, stmt) in statements {
            let steps = plan(&db, stmt).await;
            for step in steps.iter().filter(|s| s.contains("search_outbox")) {
                // A step over the table is a look-up by id, or goes through one of the
                // indexes of waiting rows (a bare `SCAN search_outbox`, or `idx_outbox_due`
                // over every row, read the delivered rows too).
                let waiting_only = ["idx_outbox_pending", "idx_outbox_held", "idx_outbox_claim"]
                    .iter()
                    .any(|i| step.contains(i));
                assert!(
                    waiting_only || step.contains("INTEGER PRIMARY KEY (rowid=?)"),
                    "{name}: {step} (plan {steps:?})"
                );
            }
        }
    }
}
