//! Certificates of products.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};

use crate::entities::certificate::{ActiveModel, Column, Entity, Model};

pub async fn insert(db: &impl ConnectionTrait, am: ActiveModel) -> Result<Model, DbErr> {
    am.insert(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn for_product(db: &impl ConnectionTrait, product_id: i64) -> Result<Vec<Model>, DbErr> {
    Entity::find().filter(Column::ProductId.eq(product_id)).order_by_asc(Column::Id).all(db).await
}

pub async fn for_products(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<Vec<Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // In slices: a statement's bind parameters are limited (imports read thousands at once).
    let mut out = Vec::new();
    for chunk in ids.chunks(1_000) {
        out.extend(
            Entity::find()
                .filter(Column::ProductId.is_in(chunk.to_vec()))
                .order_by_asc(Column::Id)
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// How many certificate rows still point at a stored document (for blob clean-up).
pub async fn count_with_document(db: &impl ConnectionTrait, key: &str) -> Result<u64, DbErr> {
    Entity::find().filter(Column::DocumentKey.eq(key)).count(db).await
}

/// Every stored document key in use (for the orphan sweep).
pub async fn all_document_keys(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    use sea_orm::QuerySelect;
    let keys: Vec<Option<String>> =
        Entity::find().select_only().column(Column::DocumentKey).into_tuple().all(db).await?;
    Ok(keys.into_iter().flatten().collect())
}

/// Marks the product's certificates not yet checked as checked by `officer` at `at` (the
/// officer who publishes a product has seen its certificates).
pub async fn mark_checked(
    db: &impl ConnectionTrait,
    product_id: i64,
    officer: i64,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<u64, DbErr> {
    use sea_orm::sea_query::Expr;
    let r = Entity::update_many()
        .col_expr(Column::CheckedBy, Expr::value(officer))
        .col_expr(Column::CheckedAt, Expr::value(at))
        .filter(Column::ProductId.eq(product_id))
        .filter(Column::CheckedAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// Clamps certificate dates outside 1950–2100 (stored before the bound existed) to the bound:
/// a far-future expiry becomes 31 December 2100, an impossible past date 1 January 1950.
/// Returns the rows changed. On SQLite dates are ISO text, and a year beyond 9999 is written
/// with a sign ("+262142-01-01"), which sorts before "1950": those are matched by the sign.
pub async fn clamp_implausible_dates(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let sqlite = db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite;
    let mut n = 0;
    for col in ["issued_on", "expires_on"] {
        let (high, low) = if sqlite {
            (
                format!("{col} LIKE '+%' OR ({col} NOT LIKE '-%' AND {col} > '2100-12-31')"),
                format!("{col} LIKE '-%' OR ({col} NOT LIKE '+%' AND {col} < '1950-01-01')"),
            )
        } else {
            (format!("{col} > '2100-12-31'"), format!("{col} < '1950-01-01'"))
        };
        for (value, cond) in [("2100-12-31", high), ("1950-01-01", low)] {
            let sql = format!("UPDATE certificates SET {col} = '{value}' WHERE {cond}");
            n += db.execute_unprepared(&sql).await?.rows_affected();
        }
    }
    Ok(n)
}
