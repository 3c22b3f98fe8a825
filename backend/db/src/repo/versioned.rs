//! The one optimistic-concurrency update: a row changes only if it still has the version the
//! caller read, and the update moves it to the next version.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::Versioned;
use crate::entities::{agreement, producer, product, store};

/// An entity whose rows have an `id` and an optimistic `version`.
pub trait VersionedEntity: EntityTrait {
    /// The `id` column.
    fn id_column() -> Self::Column;
    /// The `version` column.
    fn version_column() -> Self::Column;
}

/// Applies `am` to row `id` only if the row still has `expected` as its version, and sets its
/// version to `expected + 1`. `Stale` when another write came first, `Missing` when the row is
/// gone; otherwise the row as it is now.
pub async fn update<A>(
    db: &impl ConnectionTrait,
    id: i64,
    expected: i64,
    mut am: A,
) -> Result<Versioned<<A::Entity as EntityTrait>::Model>, DbErr>
where
    A: ActiveModelTrait + Send,
    A::Entity: VersionedEntity,
{
    let id_col = <A::Entity as VersionedEntity>::id_column();
    let version_col = <A::Entity as VersionedEntity>::version_column();
    am.set(version_col, (expected + 1).into());
    let r = <A::Entity as EntityTrait>::update_many()
        .set(am)
        .filter(id_col.eq(id))
        .filter(version_col.eq(expected))
        .exec(db)
        .await?;
    let current = <A::Entity as EntityTrait>::find().filter(id_col.eq(id)).one(db).await?;
    Ok(match (r.rows_affected, current) {
        (_, None) => Versioned::Missing,
        (0, Some(_)) => Versioned::Stale,
        (_, Some(m)) => Versioned::Updated(m),
    })
}

macro_rules! versioned_entity {
    ($($module:ident),+) => {
        $(
            impl VersionedEntity for $module::Entity {
                fn id_column() -> $module::Column {
                    $module::Column::Id
                }
                fn version_column() -> $module::Column {
                    $module::Column::Version
                }
            }
        )+
    };
}

versioned_entity!(agreement, producer, product, store);
