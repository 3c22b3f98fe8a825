//! Products, with the catalog's filters.

use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use etalase_domain::ListingStatus;

use super::{Page, PageReq};
use crate::entities::producer;
use crate::entities::product::{ActiveModel, Column, Entity, Model};

/// Listed = what the public, search and buyers see: a published product of a business the Dinas
/// has verified. A product of a business that was rejected or is back in review (identity
/// changed) is not listed, whatever its own status.
pub fn listed() -> sea_orm::Condition {
    sea_orm::Condition::all().add(Column::Status.eq(ListingStatus::Published)).add(
        Column::ProducerId.in_subquery(
            Query::select()
                .column(producer::Column::Id)
                .from(producer::Entity)
                .and_where(producer::Column::Status.eq(etalase_domain::ProducerStatus::Verified))
                .take(),
        ),
    )
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Only listed products (see [`listed`]).
    pub listed_only: bool,
    pub producer_id: Option<i64>,
    pub status: Option<ListingStatus>,
    pub category: Option<String>,
    pub kecamatan: Option<String>,
    pub q: Option<String>,
    /// `q` also matches the producer's (business's) name (the Dinas' review queue).
    pub q_matches_producer: bool,
    /// Newest first (catalog) instead of oldest first (review queue).
    pub newest_first: bool,
    /// Most recently changed first (the owner's own list).
    pub recently_changed_first: bool,
}

pub async fn insert(db: &impl ConnectionTrait, am: ActiveModel) -> Result<Model, DbErr> {
    am.insert(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn list(
    db: &impl ConnectionTrait,
    f: &ProductFilter,
    req: PageReq,
) -> Result<Page<Model>, DbErr> {
    let mut q = Entity::find();
    if let Some(p) = f.producer_id {
        q = q.filter(Column::ProducerId.eq(p));
    }
    if let Some(s) = f.status {
        q = q.filter(Column::Status.eq(s));
    }
    if f.listed_only {
        q = q.filter(listed());
    }
    if let Some(c) = &f.category {
        q = q.filter(Column::Category.eq(c.as_str()));
    }
    if let Some(k) = &f.kecamatan {
        q = q.filter(
            Column::ProducerId.in_subquery(
                Query::select()
                    .column(producer::Column::Id)
                    .from(producer::Entity)
                    .and_where(producer::Column::KecamatanCode.eq(k.as_str()))
                    .take(),
            ),
        );
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", text.to_lowercase());
        let by_name = Expr::expr(Func::lower(Expr::col(Column::Name))).like(pattern.clone());
        q = if f.q_matches_producer {
            let producers = Query::select()
                .column(producer::Column::Id)
                .from(producer::Entity)
                .and_where(Expr::expr(Func::lower(Expr::col(producer::Column::Name))).like(pattern))
                .take();
            q.filter(
                sea_orm::Condition::any()
                    .add(by_name)
                    .add(Column::ProducerId.in_subquery(producers)),
            )
        } else {
            q.filter(by_name)
        };
    }
    let total = q.clone().count(db).await?;
    q = if f.recently_changed_first {
        q.order_by_desc(Column::UpdatedAt).order_by_desc(Column::Id)
    } else if f.newest_first {
        q.order_by_desc(Column::PublishedAt).order_by_desc(Column::Id)
    } else {
        q.order_by_asc(Column::UpdatedAt).order_by_asc(Column::Id)
    };
    let items = q.offset(req.offset()).limit(req.per_page).all(db).await?;
    Ok(Page { items, total, page: req.page, per_page: req.per_page })
}

pub async fn count_by_status(
    db: &impl ConnectionTrait,
    status: ListingStatus,
) -> Result<u64, DbErr> {
    Entity::find().filter(Column::Status.eq(status)).count(db).await
}

/// Removes a product; its certificates and photos go with it (foreign keys cascade).
pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    crate::entities::certificate::Entity::delete_many()
        .filter(crate::entities::certificate::Column::ProductId.eq(id))
        .exec(db)
        .await?;
    crate::entities::photo::Entity::delete_many()
        .filter(crate::entities::photo::Column::ProductId.eq(id))
        .exec(db)
        .await?;
    Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// A change to what the product carries (a certificate, a photo) moves its version on like a
/// field edit, so an edit form opened before it is refused as stale.
pub async fn bump_version(
    db: &impl ConnectionTrait,
    id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Ids of every product of a producer (its name, place or status shows in their listings).
/// (id, name) of every product of a producer, oldest first.
pub async fn names_of_producer(
    db: &impl ConnectionTrait,
    producer_id: i64,
) -> Result<Vec<(i64, String)>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::Name)
        .filter(Column::ProducerId.eq(producer_id))
        .order_by_asc(Column::Id)
        .into_tuple::<(i64, String)>()
        .all(db)
        .await
}

pub async fn ids_of_producer(
    db: &impl ConnectionTrait,
    producer_id: i64,
) -> Result<Vec<i64>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::ProducerId.eq(producer_id))
        .order_by_asc(Column::Id)
        .into_tuple::<i64>()
        .all(db)
        .await
}

/// Which of `ids` are listed (see [`listed`]).
pub async fn listed_among(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<Vec<i64>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Id.is_in(ids))
        .filter(listed())
        .into_tuple::<i64>()
        .all(db)
        .await
}

/// Every product of these businesses (read in slices).
pub async fn of_producers(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<Model>, DbErr> {
    let mut out = Vec::new();
    for chunk in ids.chunks(1_000) {
        out.extend(Entity::find().filter(Column::ProducerId.is_in(chunk.to_vec())).all(db).await?);
    }
    Ok(out)
}
