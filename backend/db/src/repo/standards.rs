//! Standards and their versions. Versions are only ever inserted.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entities::standard::{self, Entity, Model};
use crate::entities::standard_version::{self as version, Entity as Versions};

pub async fn insert(db: &impl ConnectionTrait, am: standard::ActiveModel) -> Result<Model, DbErr> {
    am.insert(db).await
}

pub async fn update(db: &impl ConnectionTrait, am: standard::ActiveModel) -> Result<Model, DbErr> {
    am.update(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// Every standard: the baseline first, then chains' by id.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Model>, DbErr> {
    let mut v = Entity::find().order_by_asc(standard::Column::Id).all(db).await?;
    v.sort_by_key(|s| (s.chain_id.is_some(), s.id));
    Ok(v)
}

/// The city baseline (the oldest standard without a chain).
pub async fn baseline(db: &impl ConnectionTrait) -> Result<Option<Model>, DbErr> {
    Entity::find()
        .filter(standard::Column::ChainId.is_null())
        .order_by_asc(standard::Column::Id)
        .one(db)
        .await
}

/// A chain's own standard, if it keeps one.
pub async fn for_chain(db: &impl ConnectionTrait, chain_id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find()
        .filter(standard::Column::ChainId.eq(chain_id))
        .order_by_asc(standard::Column::Id)
        .one(db)
        .await
}

pub async fn insert_version(
    db: &impl ConnectionTrait,
    am: version::ActiveModel,
) -> Result<version::Model, DbErr> {
    am.insert(db).await
}

pub async fn find_version(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<version::Model>, DbErr> {
    Versions::find_by_id(id).one(db).await
}

/// The versions of a standard, newest number first.
pub async fn versions(
    db: &impl ConnectionTrait,
    standard_id: i64,
) -> Result<Vec<version::Model>, DbErr> {
    Versions::find()
        .filter(version::Column::StandardId.eq(standard_id))
        .order_by_desc(version::Column::Number)
        .all(db)
        .await
}

/// Every version of every standard.
pub async fn all_versions(db: &impl ConnectionTrait) -> Result<Vec<version::Model>, DbErr> {
    Versions::find().order_by_asc(version::Column::Id).all(db).await
}

/// The highest version number of a standard (0 when none).
pub async fn last_number(db: &impl ConnectionTrait, standard_id: i64) -> Result<i64, DbErr> {
    let n: Option<Option<i64>> = Versions::find()
        .select_only()
        .column_as(version::Column::Number.max(), "n")
        .filter(version::Column::StandardId.eq(standard_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(n.flatten().unwrap_or(0))
}

/// The chain of a store: `None` when the store does not exist, `Some(None)` when it has none.
pub async fn store_chain(
    db: &impl ConnectionTrait,
    store_id: i64,
) -> Result<Option<Option<i64>>, DbErr> {
    Ok(crate::entities::store::Entity::find_by_id(store_id).one(db).await?.map(|s| s.chain_id))
}

/// A chain's name.
pub async fn chain_name(db: &impl ConnectionTrait, chain_id: i64) -> Result<Option<String>, DbErr> {
    Ok(crate::entities::chain::Entity::find_by_id(chain_id).one(db).await?.map(|c| c.name))
}
