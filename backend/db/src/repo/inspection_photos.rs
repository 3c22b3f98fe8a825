//! Shelf photos of inspections, in the order they were sent.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::entities::inspection_photo::{ActiveModel, Column, Entity, Model};

pub async fn insert(db: &impl ConnectionTrait, am: ActiveModel) -> Result<Model, DbErr> {
    am.insert(db).await
}

pub async fn for_inspection(
    db: &impl ConnectionTrait,
    inspection_id: i64,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::InspectionId.eq(inspection_id))
        .order_by_asc(Column::Position)
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

pub async fn for_inspections(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> Result<Vec<Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .filter(Column::InspectionId.is_in(ids))
        .order_by_asc(Column::Position)
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

/// How many inspection photos use this content (the blobs go when no row of any kind does).
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

/// The stores whose inspections used the photo with this content hash.
pub async fn store_ids_with_hash(db: &impl ConnectionTrait, hash: &str) -> Result<Vec<i64>, DbErr> {
    use crate::entities::inspection;
    use sea_orm::sea_query::Query;
    inspection::Entity::find()
        .select_only()
        .column(inspection::Column::StoreId)
        .filter(
            inspection::Column::Id.in_subquery(
                Query::select()
                    .column(Column::InspectionId)
                    .from(Entity)
                    .and_where(Column::ContentHash.eq(hash))
                    .take(),
            ),
        )
        .distinct()
        .into_tuple::<i64>()
        .all(db)
        .await
}
