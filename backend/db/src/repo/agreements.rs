//! Placement agreements, their product lines, their history and the stores' shortlists.

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use etalase_domain::CertificateKind;
use etalase_domain::agreement::AgreementStatus;

use super::{Page, PageReq};
use crate::entities::agreement::{ActiveModel, Column, Entity, Model};
use crate::entities::{agreement_event as event, agreement_item as item, shortlist, store};

/// Statuses in which a product holds (or will hold) its place on the shelf.
pub const LIVE: [AgreementStatus; 3] =
    [AgreementStatus::Accepted, AgreementStatus::Active, AgreementStatus::Suspended];
/// Statuses in which a product is taken (live or under negotiation).
pub const TAKEN: [AgreementStatus; 5] = [
    AgreementStatus::Proposed,
    AgreementStatus::Countered,
    AgreementStatus::Accepted,
    AgreementStatus::Active,
    AgreementStatus::Suspended,
];

#[derive(Debug, Clone, Default)]
pub struct AgreementFilter {
    pub store_id: Option<i64>,
    /// Agreements of the stores of this chain.
    pub chain_id: Option<i64>,
    pub producer_id: Option<i64>,
    pub statuses: Vec<AgreementStatus>,
}

fn filtered(f: &AgreementFilter) -> sea_orm::Select<Entity> {
    let mut q = Entity::find();
    if let Some(s) = f.store_id {
        q = q.filter(Column::StoreId.eq(s));
    }
    if let Some(c) = f.chain_id {
        q = q.filter(
            Column::StoreId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(store::Column::Id)
                    .from(store::Entity)
                    .and_where(store::Column::ChainId.eq(c))
                    .take(),
            ),
        );
    }
    if let Some(p) = f.producer_id {
        q = q.filter(Column::ProducerId.eq(p));
    }
    if !f.statuses.is_empty() {
        q = q.filter(Column::Status.is_in(f.statuses.clone()));
    }
    q
}

pub async fn insert(db: &impl ConnectionTrait, am: ActiveModel) -> Result<Model, DbErr> {
    am.insert(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn list(
    db: &impl ConnectionTrait,
    f: &AgreementFilter,
    req: PageReq,
) -> Result<Page<Model>, DbErr> {
    let q = filtered(f);
    let total = q.clone().count(db).await?;
    let items = q
        .order_by_desc(Column::UpdatedAt)
        .order_by_desc(Column::Id)
        .offset(req.offset())
        .limit(req.per_page)
        .all(db)
        .await?;
    Ok(Page { items, total, page: req.page, per_page: req.per_page })
}

pub async fn all(db: &impl ConnectionTrait, f: &AgreementFilter) -> Result<Vec<Model>, DbErr> {
    filtered(f).order_by_asc(Column::Id).all(db).await
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Entity::find().count(db).await
}

/// Agreements the calendar must move on `today`.
pub async fn due(db: &impl ConnectionTrait, today: NaiveDate) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(Column::Status.eq(AgreementStatus::Accepted))
                        .add(Column::StartDate.lte(today)),
                )
                .add(
                    Condition::all()
                        .add(
                            Column::Status
                                .is_in([AgreementStatus::Active, AgreementStatus::Suspended]),
                        )
                        .add(Column::EndDate.lte(today)),
                ),
        )
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

pub async fn items_of(
    db: &impl ConnectionTrait,
    agreement_ids: Vec<i64>,
) -> Result<Vec<item::Model>, DbErr> {
    item::Entity::find()
        .filter(item::Column::AgreementId.is_in(agreement_ids))
        .order_by_asc(item::Column::Id)
        .all(db)
        .await
}

/// Replaces the product lines of an agreement.
pub async fn replace_items(
    db: &impl ConnectionTrait,
    agreement_id: i64,
    lines: &[(i64, i64, i64)],
) -> Result<(), DbErr> {
    item::Entity::delete_many().filter(item::Column::AgreementId.eq(agreement_id)).exec(db).await?;
    for &(product_id, price, facings) in lines {
        item::ActiveModel {
            agreement_id: Set(agreement_id),
            product_id: Set(product_id),
            price: Set(price),
            facings: Set(facings),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub async fn insert_event(
    db: &impl ConnectionTrait,
    am: event::ActiveModel,
) -> Result<event::Model, DbErr> {
    am.insert(db).await
}

pub async fn events_of(
    db: &impl ConnectionTrait,
    agreement_id: i64,
) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find()
        .filter(event::Column::AgreementId.eq(agreement_id))
        .order_by_asc(event::Column::Id)
        .all(db)
        .await
}

/// (agreement, its items) for agreements matching `f` — one query for each.
pub async fn with_items(
    db: &impl ConnectionTrait,
    f: &AgreementFilter,
) -> Result<Vec<(Model, Vec<item::Model>)>, DbErr> {
    let ags = all(db, f).await?;
    let items = items_of(db, ags.iter().map(|a| a.id).collect()).await?;
    Ok(ags
        .into_iter()
        .map(|a| {
            let its = items.iter().filter(|i| i.agreement_id == a.id).cloned().collect();
            (a, its)
        })
        .collect())
}

/// Number of distinct stores each producer is live in: (producer_id, stores).
pub async fn live_store_counts(db: &impl ConnectionTrait) -> Result<Vec<(i64, i64)>, DbErr> {
    let rows: Vec<(i64, i64)> = Entity::find()
        .select_only()
        .column(Column::ProducerId)
        .column_as(Expr::col(Column::StoreId).count_distinct(), "n")
        .filter(Column::Status.is_in(LIVE))
        .group_by(Column::ProducerId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows)
}

pub async fn shortlist_add(
    db: &impl ConnectionTrait,
    store_id: i64,
    product_id: i64,
    user_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let exists = shortlist::Entity::find()
        .filter(shortlist::Column::StoreId.eq(store_id))
        .filter(shortlist::Column::ProductId.eq(product_id))
        .one(db)
        .await?;
    if exists.is_none() {
        shortlist::ActiveModel {
            store_id: Set(store_id),
            product_id: Set(product_id),
            user_id: Set(user_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub async fn shortlist_remove(
    db: &impl ConnectionTrait,
    store_id: i64,
    product_id: i64,
) -> Result<u64, DbErr> {
    let r = shortlist::Entity::delete_many()
        .filter(shortlist::Column::StoreId.eq(store_id))
        .filter(shortlist::Column::ProductId.eq(product_id))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

pub async fn shortlist_of(
    db: &impl ConnectionTrait,
    store_id: i64,
) -> Result<Vec<shortlist::Model>, DbErr> {
    shortlist::Entity::find()
        .filter(shortlist::Column::StoreId.eq(store_id))
        .order_by_desc(shortlist::Column::Id)
        .all(db)
        .await
}

/// Products by id (for agreement lines and matching).
pub async fn products_by_ids(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> Result<Vec<crate::entities::product::Model>, DbErr> {
    use crate::entities::product;
    product::Entity::find().filter(product::Column::Id.is_in(ids)).all(db).await
}

/// Listed products (published, business verified), optionally of one producer and/or matching a
/// name (matching candidates).
pub async fn published_products(
    db: &impl ConnectionTrait,
    producer_id: Option<i64>,
    q: Option<&str>,
    limit: u64,
) -> Result<Vec<crate::entities::product::Model>, DbErr> {
    use crate::entities::product;
    use sea_orm::sea_query::Func;
    let mut s = product::Entity::find().filter(super::products::listed());
    if let Some(p) = producer_id {
        s = s.filter(product::Column::ProducerId.eq(p));
    }
    if let Some(text) = q.map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", text.to_lowercase());
        s = s.filter(Expr::expr(Func::lower(Expr::col(product::Column::Name))).like(pattern));
    }
    s.order_by_asc(product::Column::Id).limit(limit).all(db).await
}

/// Product ids with a valid (unexpired on `today`) halal certificate, among `ids`.
pub async fn halal_products(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
    today: NaiveDate,
) -> Result<Vec<i64>, DbErr> {
    use crate::entities::certificate;
    let rows: Vec<i64> = certificate::Entity::find()
        .select_only()
        .column(certificate::Column::ProductId)
        .filter(certificate::Column::ProductId.is_in(ids))
        .filter(certificate::Column::Kind.eq(CertificateKind::Halal))
        .filter(certificate::Column::CheckedAt.is_not_null())
        .filter(
            Condition::any()
                .add(certificate::Column::ExpiresOn.is_null())
                .add(certificate::Column::ExpiresOn.gte(today)),
        )
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows)
}
