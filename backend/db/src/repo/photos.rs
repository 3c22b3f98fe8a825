//! Product photos, in display order.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entities::photo::{ActiveModel, Column, Entity, Model};

pub async fn insert(db: &impl ConnectionTrait, am: ActiveModel) -> Result<Model, DbErr> {
    am.insert(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn for_product(db: &impl ConnectionTrait, product_id: i64) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::ProductId.eq(product_id))
        .order_by_asc(Column::Position)
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

pub async fn for_products(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<Vec<Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .filter(Column::ProductId.is_in(ids))
        .order_by_asc(Column::Position)
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

pub async fn count_for_product(db: &impl ConnectionTrait, product_id: i64) -> Result<u64, DbErr> {
    Entity::find().filter(Column::ProductId.eq(product_id)).count(db).await
}

/// How many rows use this content (the blobs go when none does).
pub async fn count_with_hash(db: &impl ConnectionTrait, hash: &str) -> Result<u64, DbErr> {
    Entity::find().filter(Column::ContentHash.eq(hash)).count(db).await
}

/// Every content hash in use (for the orphan sweep).
pub async fn all_hashes(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::ContentHash)
        .distinct()
        .into_tuple::<String>()
        .all(db)
        .await
}

pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Writes positions 0..n in the given order and marks `primary` (if any) as the only primary.
pub async fn reorder(
    db: &impl ConnectionTrait,
    ordered_ids: &[i64],
    primary: Option<i64>,
) -> Result<(), DbErr> {
    for (pos, id) in ordered_ids.iter().enumerate() {
        ActiveModel {
            id: Set(*id),
            position: Set(pos as i64),
            is_primary: Set(Some(*id) == primary),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    Ok(())
}

pub async fn set_alt_text(db: &impl ConnectionTrait, id: i64, alt: &str) -> Result<(), DbErr> {
    ActiveModel { id: Set(id), alt_text: Set(alt.to_string()), ..Default::default() }
        .update(db)
        .await?;
    Ok(())
}

/// Products that use the photo with this content hash (the same picture may serve several).
pub async fn product_ids_with_hash(
    db: &impl ConnectionTrait,
    hash: &str,
) -> Result<Vec<i64>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::ProductId)
        .filter(Column::ContentHash.eq(hash))
        .distinct()
        .into_tuple::<i64>()
        .all(db)
        .await
}
