//! The audit trail: append-only rows of who did what.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{Page, PageReq};
use crate::entities::audit::{ActiveModel, Column, Entity, Model};

pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: i64,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    ActiveModel {
        actor_user_id: Set(actor),
        action: Set(action.to_string()),
        entity: Set(entity.to_string()),
        entity_id: Set(entity_id),
        detail: Set(detail),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn for_entity(
    db: &impl ConnectionTrait,
    entity: &str,
    id: i64,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::Entity.eq(entity))
        .filter(Column::EntityId.eq(id))
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

/// What a business's history covers: the business, its products and its owner's account.
#[derive(Debug, Clone)]
pub struct BusinessSubjects {
    pub producer_id: i64,
    pub product_ids: Vec<i64>,
    /// `None` for a business without an account (imported, pendampingan).
    pub owner_user_id: Option<i64>,
}

/// One page of the events about a business, its products and its owner's account, newest
/// first, with the total.
pub async fn for_business(
    db: &impl ConnectionTrait,
    s: &BusinessSubjects,
    req: PageReq,
) -> Result<Page<Model>, DbErr> {
    let about = |entity: &str, ids: Vec<i64>| {
        Condition::all().add(Column::Entity.eq(entity)).add(Column::EntityId.is_in(ids))
    };
    let mut any = Condition::any()
        .add(about("producer", vec![s.producer_id]))
        .add(about("user", s.owner_user_id.into_iter().collect()));
    if !s.product_ids.is_empty() {
        any = any.add(about("product", s.product_ids.clone()));
    }
    let q = Entity::find().filter(any);
    let total = q.clone().count(db).await?;
    let items = q
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .offset(req.offset())
        .limit(req.per_page)
        .all(db)
        .await?;
    Ok(Page { items, total, page: req.page, per_page: req.per_page })
}
