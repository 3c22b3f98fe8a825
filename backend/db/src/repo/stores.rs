//! Stores (gerai): lookups, filtered pages, versioned updates.

use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::{Page, PageReq};
use crate::entities::store::{ActiveModel, Column, Entity, Model};

#[derive(Debug, Clone, Default)]
pub struct StoreFilter {
    pub chain_id: Option<i64>,
    pub store_id: Option<i64>,
    pub kecamatan: Option<String>,
    pub q: Option<String>,
}

pub async fn insert(db: &impl ConnectionTrait, am: ActiveModel) -> Result<Model, DbErr> {
    am.insert(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn find_by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::Code.eq(code)).one(db).await
}

/// The stores with these codes (an import's lookup, in slices the databases accept).
pub async fn find_by_codes(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<Vec<Model>, DbErr> {
    let mut out = Vec::new();
    for chunk in codes.chunks(1_000) {
        out.extend(Entity::find().filter(Column::Code.is_in(chunk.to_vec())).all(db).await?);
    }
    Ok(out)
}

pub async fn find_many(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<Vec<Model>, DbErr> {
    Entity::find().filter(Column::Id.is_in(ids)).all(db).await
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Entity::find().count(db).await
}

fn filtered(f: &StoreFilter) -> sea_orm::Select<Entity> {
    let mut q = Entity::find();
    if let Some(c) = f.chain_id {
        q = q.filter(Column::ChainId.eq(c));
    }
    if let Some(s) = f.store_id {
        q = q.filter(Column::Id.eq(s));
    }
    if let Some(k) = &f.kecamatan {
        q = q.filter(Column::KecamatanCode.eq(k.as_str()));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", text.to_lowercase());
        q = q.filter(Expr::expr(Func::lower(Expr::col(Column::Name))).like(pattern));
    }
    q
}

pub async fn list(
    db: &impl ConnectionTrait,
    f: &StoreFilter,
    req: PageReq,
) -> Result<Page<Model>, DbErr> {
    let q = filtered(f);
    let total = q.clone().count(db).await?;
    let items =
        q.order_by_asc(Column::Code).offset(req.offset()).limit(req.per_page).all(db).await?;
    Ok(Page { items, total, page: req.page, per_page: req.per_page })
}

/// Every store matching `f` (for matching; Kota Serang has a few hundred outlets).
pub async fn all(db: &impl ConnectionTrait, f: &StoreFilter) -> Result<Vec<Model>, DbErr> {
    filtered(f).order_by_asc(Column::Id).all(db).await
}
