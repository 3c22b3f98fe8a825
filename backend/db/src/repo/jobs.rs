//! Background jobs with visible progress.

use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use etalase_domain::{JobKind, JobStatus};

use crate::entities::job::{ActiveModel, Column, Entity, Model};

/// Starts a job of `kind` on `subject_id` with `total` steps.
pub async fn start(
    db: &impl ConnectionTrait,
    kind: JobKind,
    subject_id: Option<i64>,
    total: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Model, DbErr> {
    ActiveModel {
        id: NotSet,
        kind: Set(kind),
        subject_id: Set(subject_id),
        status: Set(JobStatus::Running),
        total: Set(total),
        done: Set(0),
        message: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
    }
    .insert(db)
    .await
}

/// Records progress.
pub async fn progress(
    db: &impl ConnectionTrait,
    id: i64,
    done: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    ActiveModel { id: Set(id), done: Set(done), updated_at: Set(now), ..Default::default() }
        .update(db)
        .await?;
    Ok(())
}

/// Ends a job as `done` or `failed`, with a message.
pub async fn finish(
    db: &impl ConnectionTrait,
    id: i64,
    status: JobStatus,
    done: i64,
    message: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    ActiveModel {
        id: Set(id),
        status: Set(status),
        done: Set(done),
        message: Set(message),
        updated_at: Set(now),
        finished_at: Set(Some(now)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// The newest jobs of `kind`.
pub async fn recent(
    db: &impl ConnectionTrait,
    kind: JobKind,
    limit: u64,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::Kind.eq(kind))
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Jobs running now (all kinds).
pub async fn running_count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    Entity::find().filter(Column::Status.eq(JobStatus::Running)).count(db).await
}

/// The subjects that have a finished (`done`) or running job of `kind`.
pub async fn subjects_started(db: &impl ConnectionTrait, kind: JobKind) -> Result<Vec<i64>, DbErr> {
    let v: Vec<Option<i64>> = Entity::find()
        .select_only()
        .column(Column::SubjectId)
        .filter(Column::Kind.eq(kind))
        .filter(Column::Status.is_in([JobStatus::Done, JobStatus::Running]))
        .into_tuple()
        .all(db)
        .await?;
    Ok(v.into_iter().flatten().collect())
}

/// Running jobs of `kind` that have shown no progress since `before` (their instance died):
/// marked failed so the work is started again. Returns how many.
pub async fn abandon_stale(
    db: &impl ConnectionTrait,
    kind: JobKind,
    before: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, DbErr> {
    use sea_orm::sea_query::Expr;
    let res = Entity::update_many()
        .col_expr(Column::Status, Expr::value(JobStatus::Failed.as_str()))
        .col_expr(
            Column::Message,
            Expr::value(Some(
                "Terhenti tanpa kabar (server berhenti); dijalankan ulang.".to_string(),
            )),
        )
        .col_expr(Column::FinishedAt, Expr::value(Some(now)))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Kind.eq(kind))
        .filter(Column::Status.eq(JobStatus::Running))
        .filter(Column::UpdatedAt.lt(before))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
