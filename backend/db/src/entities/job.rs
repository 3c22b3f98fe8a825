//! `jobs`: a background run with visible progress (e.g. re-evaluating every product when a
//! standard version takes effect): `total`, `done`, status `running`, `done` or `failed`.

use etalase_domain::{JobKind, JobStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: JobKind,
    /// What the job works on, e.g. the standard version id.
    pub subject_id: Option<i64>,
    pub status: JobStatus,
    pub total: i64,
    pub done: i64,
    pub message: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
