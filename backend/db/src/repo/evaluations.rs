//! Stored evaluations, one per product × standard version: replaced whole when recomputed.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::entities::evaluation::{ActiveModel, Column, Entity, Model};

/// Inserts or replaces the evaluations (by product and version), in chunks.
pub async fn upsert_many(db: &impl ConnectionTrait, rows: Vec<ActiveModel>) -> Result<(), DbErr> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<ActiveModel> = rows.by_ref().take(200).collect();
        Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([Column::ProductId, Column::VersionId])
                    .update_columns([
                        Column::Eligible,
                        Column::Score,
                        Column::Items,
                        Column::EvaluatedOn,
                        Column::EvaluatedAt,
                        Column::ProductVersion,
                    ])
                    // Never let an evaluation of an older product version overwrite a newer one.
                    .action_and_where(
                        Expr::col((Alias::new("evaluations"), Alias::new("product_version"))).lte(
                            Expr::col((Alias::new("excluded"), Alias::new("product_version"))),
                        ),
                    )
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

pub async fn for_product(db: &impl ConnectionTrait, product_id: i64) -> Result<Vec<Model>, DbErr> {
    Entity::find().filter(Column::ProductId.eq(product_id)).all(db).await
}

/// Evaluations of these products under these versions.
pub async fn for_products_versions(
    db: &impl ConnectionTrait,
    product_ids: Vec<i64>,
    version_ids: Vec<i64>,
) -> Result<Vec<Model>, DbErr> {
    if product_ids.is_empty() || version_ids.is_empty() {
        return Ok(vec![]);
    }
    Entity::find()
        .filter(Column::ProductId.is_in(product_ids))
        .filter(Column::VersionId.is_in(version_ids))
        .all(db)
        .await
}

/// Every evaluation under one version.
pub async fn for_version(db: &impl ConnectionTrait, version_id: i64) -> Result<Vec<Model>, DbErr> {
    Entity::find().filter(Column::VersionId.eq(version_id)).all(db).await
}

/// `(product_id, evaluated_on)` of every evaluation under these versions (for the daily check).
pub async fn dates_for_versions(
    db: &impl ConnectionTrait,
    version_ids: Vec<i64>,
) -> Result<Vec<(i64, chrono::NaiveDate)>, DbErr> {
    if version_ids.is_empty() {
        return Ok(vec![]);
    }
    Entity::find()
        .select_only()
        .column(Column::ProductId)
        .column(Column::EvaluatedOn)
        .filter(Column::VersionId.is_in(version_ids))
        .into_tuple()
        .all(db)
        .await
}

/// The products to evaluate: these ids, or every product when `None`.
pub async fn products_to_evaluate(
    db: &impl ConnectionTrait,
    ids: Option<Vec<i64>>,
) -> Result<Vec<crate::entities::product::Model>, DbErr> {
    use crate::entities::product;
    let mut q = product::Entity::find();
    if let Some(ids) = ids {
        q = q.filter(product::Column::Id.is_in(ids));
    }
    q.all(db).await
}

/// `(product_id, expires_on)` of every certificate with an end date (for the daily check).
pub async fn certificate_expiries(
    db: &impl ConnectionTrait,
) -> Result<Vec<(i64, chrono::NaiveDate)>, DbErr> {
    use crate::entities::certificate;
    certificate::Entity::find()
        .select_only()
        .column(certificate::Column::ProductId)
        .column(certificate::Column::ExpiresOn)
        .filter(certificate::Column::ExpiresOn.is_not_null())
        .into_tuple()
        .all(db)
        .await
}

/// Per product: `(status, kecamatan code of its producer)` (for summaries by kecamatan).
pub async fn product_places(
    db: &impl ConnectionTrait,
) -> Result<std::collections::HashMap<i64, (etalase_domain::ListingStatus, String)>, DbErr> {
    use crate::entities::{producer, product};
    let prods: Vec<(i64, i64, etalase_domain::ListingStatus)> = product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .column(product::Column::ProducerId)
        .column(product::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let places: std::collections::HashMap<i64, String> = producer::Entity::find()
        .select_only()
        .column(producer::Column::Id)
        .column(producer::Column::KecamatanCode)
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(prods
        .into_iter()
        .map(|(id, pr, st)| (id, (st, places.get(&pr).cloned().unwrap_or_default())))
        .collect())
}
