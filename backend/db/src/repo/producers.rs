//! Producers (UMKM businesses).

use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use etalase_domain::ProducerStatus;

use super::{Page, PageReq};
use crate::entities::producer::{ActiveModel, Column, Entity, Model};

#[derive(Debug, Clone, Default)]
pub struct ProducerFilter {
    pub status: Option<ProducerStatus>,
    pub kecamatan: Option<String>,
    pub q: Option<String>,
    pub owner_user_id: Option<i64>,
}

pub async fn insert(db: &impl ConnectionTrait, am: ActiveModel) -> Result<Model, DbErr> {
    am.insert(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn find_by_owner(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::OwnerUserId.eq(user_id)).one(db).await
}

pub async fn find_many(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<Vec<Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find().filter(Column::Id.is_in(ids)).all(db).await
}

pub async fn list(
    db: &impl ConnectionTrait,
    f: &ProducerFilter,
    req: PageReq,
) -> Result<Page<Model>, DbErr> {
    let mut q = Entity::find();
    if let Some(s) = f.status {
        q = q.filter(Column::Status.eq(s));
    }
    if let Some(k) = &f.kecamatan {
        q = q.filter(Column::KecamatanCode.eq(k.as_str()));
    }
    if let Some(o) = f.owner_user_id {
        q = q.filter(Column::OwnerUserId.eq(o));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", text.to_lowercase());
        q = q.filter(Expr::expr(Func::lower(Expr::col(Column::Name))).like(pattern));
    }
    let total = q.clone().count(db).await?;
    let items = q
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .offset(req.offset())
        .limit(req.per_page)
        .all(db)
        .await?;
    Ok(Page { items, total, page: req.page, per_page: req.per_page })
}

pub async fn count_by_status(
    db: &impl ConnectionTrait,
    status: ProducerStatus,
) -> Result<u64, DbErr> {
    Entity::find().filter(Column::Status.eq(status)).count(db).await
}

/// Businesses with any of these NIBs or external ids (read in slices: imports look up tens
/// of thousands at once).
pub async fn find_by_keys(
    db: &impl ConnectionTrait,
    nibs: &[String],
    external_ids: &[String],
) -> Result<Vec<Model>, DbErr> {
    let mut out = Vec::new();
    let wanted: std::collections::HashSet<&str> = nibs.iter().map(String::as_str).collect();
    for chunk in nibs.chunks(1_000) {
        out.extend(Entity::find().filter(Column::Nib.is_in(chunk.to_vec())).all(db).await?);
    }
    for chunk in external_ids.chunks(1_000) {
        let found = Entity::find().filter(Column::ExternalId.is_in(chunk.to_vec())).all(db).await?;
        out.extend(
            found.into_iter().filter(|m| m.nib.as_deref().is_none_or(|n| !wanted.contains(n))),
        );
    }
    out.sort_by_key(|m| m.id);
    out.dedup_by_key(|m| m.id);
    Ok(out)
}

/// Businesses accompanied by this officer (pendampingan), newest first.
pub async fn accompanied_by(db: &impl ConnectionTrait, officer: i64) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::CompanionUserId.eq(officer))
        .order_by_desc(Column::Id)
        .all(db)
        .await
}
