//! Throttle counters in the database, so every instance sees the same attempts. A bucket is
//! read, decided on (pure rules in the server's `auth::throttle`) and written back only if
//! nobody changed it in between (`version` compare-and-swap); a writer that loses retries.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use crate::entities::throttle_bucket::{ActiveModel, Column, Entity};

/// The counted attempts of one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub attempts: u32,
    pub window_started_at: DateTime<Utc>,
    pub last_attempt_at: DateTime<Utc>,
    pub next_allowed_at: DateTime<Utc>,
}

/// The bucket of `key` and its version, if any.
pub async fn load(db: &impl ConnectionTrait, key: &str) -> Result<Option<(Bucket, i64)>, DbErr> {
    Ok(Entity::find_by_id(key.to_string()).one(db).await?.map(|m| {
        (
            Bucket {
                attempts: u32::try_from(m.attempts).unwrap_or(0),
                window_started_at: m.window_started_at,
                last_attempt_at: m.last_attempt_at,
                next_allowed_at: m.next_allowed_at,
            },
            m.version,
        )
    }))
}

/// Writes `next` when the stored bucket is still at `expected` (`None`: no row yet). Returns
/// whether it was written; `false` means another request got there first.
pub async fn swap(
    db: &impl ConnectionTrait,
    key: &str,
    expected: Option<i64>,
    next: &Bucket,
) -> Result<bool, DbErr> {
    let attempts = i32::try_from(next.attempts).unwrap_or(i32::MAX);
    match expected {
        None => {
            let row = ActiveModel {
                key: Set(key.to_string()),
                attempts: Set(attempts),
                window_started_at: Set(next.window_started_at),
                last_attempt_at: Set(next.last_attempt_at),
                next_allowed_at: Set(next.next_allowed_at),
                version: Set(1),
            };
            let res = Entity::insert(row)
                .on_conflict(OnConflict::column(Column::Key).do_nothing().to_owned())
                .exec_without_returning(db)
                .await;
            match res {
                Ok(n) => Ok(n == 1),
                Err(DbErr::RecordNotInserted) => Ok(false),
                Err(e) => Err(e),
            }
        }
        Some(version) => {
            let res = Entity::update_many()
                .col_expr(Column::Attempts, Expr::value(attempts))
                .col_expr(Column::WindowStartedAt, Expr::value(next.window_started_at))
                .col_expr(Column::LastAttemptAt, Expr::value(next.last_attempt_at))
                .col_expr(Column::NextAllowedAt, Expr::value(next.next_allowed_at))
                .col_expr(Column::Version, Expr::value(version + 1))
                .filter(Column::Key.eq(key))
                .filter(Column::Version.eq(version))
                .exec(db)
                .await?;
            Ok(res.rows_affected == 1)
        }
    }
}

/// Forgets a key (a successful login clears its account's failures).
pub async fn delete(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    Entity::delete_many().filter(Column::Key.eq(key)).exec(db).await?;
    Ok(())
}

/// Removes buckets untouched since `before`; returns how many.
pub async fn purge_idle(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(Entity::delete_many().filter(Column::LastAttemptAt.lt(before)).exec(db).await?.rows_affected)
}
