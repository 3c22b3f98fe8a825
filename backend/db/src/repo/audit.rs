//! The audit trail: append-only rows of who did what.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

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
