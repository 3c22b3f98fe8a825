//! Government demand (Pasal 11): buyer organisations, the accounts that record for them, their
//! yearly budgets and their purchase records.

use chrono::NaiveDate;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{Page, PageReq};
use crate::entities::procurement_budget as budget;
use crate::entities::procurement_buyer as buyer;
use crate::entities::procurement_buyer_user as member;
use crate::entities::procurement_purchase as purchase;

pub async fn insert_buyer(
    db: &impl ConnectionTrait,
    am: buyer::ActiveModel,
) -> Result<buyer::Model, DbErr> {
    am.insert(db).await
}

pub async fn find_buyer(db: &impl ConnectionTrait, id: i64) -> Result<Option<buyer::Model>, DbErr> {
    buyer::Entity::find_by_id(id).one(db).await
}

/// Every buyer, by name.
pub async fn buyers(db: &impl ConnectionTrait) -> Result<Vec<buyer::Model>, DbErr> {
    buyer::Entity::find().order_by_asc(buyer::Column::Name).all(db).await
}

pub async fn find_buyer_by_name(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<Option<buyer::Model>, DbErr> {
    buyer::Entity::find().filter(buyer::Column::Name.eq(name)).one(db).await
}

/// The buyer a `buyer` account records for.
pub async fn buyer_of_user(db: &impl ConnectionTrait, user_id: i64) -> Result<Option<i64>, DbErr> {
    Ok(member::Entity::find_by_id(user_id).one(db).await?.map(|m| m.buyer_id))
}

/// Links an account to its buyer (replacing an earlier link).
pub async fn link_user(
    db: &impl ConnectionTrait,
    user_id: i64,
    buyer_id: i64,
) -> Result<(), DbErr> {
    member::Entity::insert(member::ActiveModel { user_id: Set(user_id), buyer_id: Set(buyer_id) })
        .on_conflict(
            OnConflict::column(member::Column::UserId)
                .update_column(member::Column::BuyerId)
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Accounts linked to a buyer.
pub async fn users_of_buyer(db: &impl ConnectionTrait, buyer_id: i64) -> Result<Vec<i64>, DbErr> {
    Ok(member::Entity::find()
        .filter(member::Column::BuyerId.eq(buyer_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect())
}

/// Sets the budget of (buyer, year), replacing an earlier figure.
pub async fn set_budget(
    db: &impl ConnectionTrait,
    buyer_id: i64,
    year: i32,
    amount: i64,
    by: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    budget::Entity::insert(budget::ActiveModel {
        buyer_id: Set(buyer_id),
        year: Set(year),
        amount: Set(amount),
        updated_by: Set(Some(by)),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([budget::Column::BuyerId, budget::Column::Year])
            .update_columns([
                budget::Column::Amount,
                budget::Column::UpdatedBy,
                budget::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// Budgets of a year, every buyer.
pub async fn budgets_of_year(
    db: &impl ConnectionTrait,
    year: i32,
) -> Result<Vec<budget::Model>, DbErr> {
    budget::Entity::find().filter(budget::Column::Year.eq(year)).all(db).await
}

pub async fn insert_purchase(
    db: &impl ConnectionTrait,
    am: purchase::ActiveModel,
) -> Result<purchase::Model, DbErr> {
    am.insert(db).await
}

pub async fn find_purchase(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<purchase::Model>, DbErr> {
    purchase::Entity::find_by_id(id).one(db).await
}

pub async fn update_purchase(
    db: &impl ConnectionTrait,
    am: purchase::ActiveModel,
) -> Result<purchase::Model, DbErr> {
    am.update(db).await
}

pub async fn delete_purchase(db: &impl ConnectionTrait, id: i64) -> Result<u64, DbErr> {
    Ok(purchase::Entity::delete_by_id(id).exec(db).await?.rows_affected)
}

fn year_bounds(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year, 12, 31)?))
}

/// Purchases of a year (one buyer, or all when `buyer_id` is `None`), newest first, paged.
pub async fn purchases(
    db: &impl ConnectionTrait,
    buyer_id: Option<i64>,
    year: Option<i32>,
    req: PageReq,
) -> Result<Page<purchase::Model>, DbErr> {
    let mut q = purchase::Entity::find();
    if let Some(b) = buyer_id {
        q = q.filter(purchase::Column::BuyerId.eq(b));
    }
    if let Some((from, to)) = year.and_then(year_bounds) {
        q = q.filter(purchase::Column::PurchaseDate.between(from, to));
    }
    let total = q.clone().count(db).await?;
    let items = q
        .order_by_desc(purchase::Column::PurchaseDate)
        .order_by_desc(purchase::Column::Id)
        .offset(req.offset())
        .limit(req.per_page)
        .all(db)
        .await?;
    Ok(Page { items, total, page: req.page, per_page: req.per_page })
}

/// What the Pasal 11(e) report needs of every purchase of a year: (buyer, date, value,
/// category, local UMKM).
pub type Fact = (i64, NaiveDate, i64, etalase_domain::procurement::PurchaseCategory, bool);

/// Every purchase of a year as report facts (one buyer, or all).
pub async fn facts_of_year(
    db: &impl ConnectionTrait,
    buyer_id: Option<i64>,
    year: i32,
) -> Result<Vec<Fact>, DbErr> {
    let Some((from, to)) = year_bounds(year) else { return Ok(Vec::new()) };
    let mut q = purchase::Entity::find()
        .select_only()
        .columns([
            purchase::Column::BuyerId,
            purchase::Column::PurchaseDate,
            purchase::Column::Value,
            purchase::Column::Category,
            purchase::Column::LocalUmkm,
        ])
        .filter(purchase::Column::PurchaseDate.between(from, to));
    if let Some(b) = buyer_id {
        q = q.filter(purchase::Column::BuyerId.eq(b));
    }
    q.into_tuple::<Fact>().all(db).await
}
