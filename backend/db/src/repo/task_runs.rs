//! Claiming a periodic task's period: the first instance to insert `(task, period)` runs it;
//! a row whose holder's lease ran out without finishing (the instance died) may be taken over.
//! Both steps are single conditional statements, so two instances never both win.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entities::task_run::{ActiveModel, Column, Entity, Model};

/// Claims `task` for `period` for `holder` until `lease_until`; true when this holder won.
pub async fn claim(
    db: &impl ConnectionTrait,
    task: &str,
    period: &str,
    holder: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let row = ActiveModel {
        task: Set(task.to_string()),
        period: Set(period.to_string()),
        holder: Set(holder.to_string()),
        started_at: Set(now),
        lease_until: Set(lease_until),
        finished_at: Set(None),
        outcome: Set(None),
    };
    let inserted = Entity::insert(row)
        .on_conflict(OnConflict::columns([Column::Task, Column::Period]).do_nothing().to_owned())
        .exec_without_returning(db)
        .await;
    match inserted {
        Ok(1) => return Ok(true),
        Ok(_) | Err(DbErr::RecordNotInserted) => {}
        Err(e) => return Err(e),
    }
    // Taken over only when unfinished and its lease is over.
    let res = Entity::update_many()
        .col_expr(Column::Holder, Expr::value(holder.to_string()))
        .col_expr(Column::StartedAt, Expr::value(now))
        .col_expr(Column::LeaseUntil, Expr::value(lease_until))
        .filter(Column::Task.eq(task))
        .filter(Column::Period.eq(period))
        .filter(Column::FinishedAt.is_null())
        .filter(Column::LeaseUntil.lt(now))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Records the end of a claimed run (only by its holder).
pub async fn finish(
    db: &impl ConnectionTrait,
    task: &str,
    period: &str,
    holder: &str,
    now: DateTime<Utc>,
    outcome: &str,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::FinishedAt, Expr::value(Some(now)))
        .col_expr(Column::Outcome, Expr::value(Some(outcome.chars().take(500).collect::<String>())))
        .filter(Column::Task.eq(task))
        .filter(Column::Period.eq(period))
        .filter(Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(())
}

/// The runs of `task`, newest period first.
pub async fn recent(
    db: &impl ConnectionTrait,
    task: &str,
    limit: u64,
) -> Result<Vec<Model>, DbErr> {
    use sea_orm::QuerySelect;
    Entity::find()
        .filter(Column::Task.eq(task))
        .order_by_desc(Column::Period)
        .limit(limit)
        .all(db)
        .await
}

/// Removes finished runs that started before `before`; returns how many.
pub async fn purge(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::FinishedAt.is_not_null())
        .filter(Column::StartedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}
