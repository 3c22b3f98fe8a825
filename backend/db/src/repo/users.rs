//! Accounts.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use etalase_domain::Role;

use super::{Page, PageReq};
use crate::entities::user::{ActiveModel, Column, Entity, Model};

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub display_name: &'a str,
}

#[tracing::instrument(skip(db, u), fields(email = u.email))]
pub async fn create(
    db: &impl ConnectionTrait,
    u: NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<Model, DbErr> {
    ActiveModel {
        email: Set(u.email.to_string()),
        password_hash: Set(u.password_hash.to_string()),
        role: Set(u.role),
        display_name: Set(u.display_name.to_string()),
        disabled: Set(false),
        created_at: Set(now),
        chain_id: Set(None),
        store_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn find_by_email(db: &impl ConnectionTrait, email: &str) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::Email.eq(email)).one(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn list(
    db: &impl ConnectionTrait,
    role: Option<Role>,
    req: PageReq,
) -> Result<Page<Model>, DbErr> {
    let mut q = Entity::find();
    if let Some(r) = role {
        q = q.filter(Column::Role.eq(r));
    }
    let total = q.clone().count(db).await?;
    let items = q.order_by_asc(Column::Id).offset(req.offset()).limit(req.per_page).all(db).await?;
    Ok(Page { items, total, page: req.page, per_page: req.per_page })
}

/// Links an account to its chain and/or store.
pub async fn set_affiliation(
    db: &impl ConnectionTrait,
    id: i64,
    chain_id: Option<i64>,
    store_id: Option<i64>,
) -> Result<(), DbErr> {
    ActiveModel {
        id: Set(id),
        chain_id: Set(chain_id),
        store_id: Set(store_id),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Display names of the given accounts, by id (for "checked by …" labels).
pub async fn names(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> Result<std::collections::HashMap<i64, String>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let rows: Vec<(i64, String)> = Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::DisplayName)
        .filter(Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// How the admin's account list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UserSort {
    /// Newest or oldest account first.
    #[default]
    Created,
    Name,
    Email,
    Role,
}

/// The admin's account list: words in the name or email, one role, an order.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub q: Option<String>,
    pub role: Option<Role>,
    pub sort: UserSort,
    pub descending: bool,
}

/// One page of accounts matching `f`, with the total.
pub async fn search(
    db: &impl ConnectionTrait,
    f: &UserFilter,
    req: PageReq,
) -> Result<Page<Model>, DbErr> {
    use sea_orm::Order;
    use sea_orm::sea_query::{Condition, Expr, ExprTrait, Func};
    let mut q = Entity::find();
    if let Some(r) = f.role {
        q = q.filter(Column::Role.eq(r));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", text.to_lowercase());
        q = q.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(Column::DisplayName))).like(&pattern))
                .add(Expr::expr(Func::lower(Expr::col(Column::Email))).like(&pattern)),
        );
    }
    let total = q.clone().count(db).await?;
    let order = if f.descending { Order::Desc } else { Order::Asc };
    let lower = |c: Column| Expr::from(Func::lower(Expr::col(c)));
    let key = match f.sort {
        UserSort::Created => Expr::col(Column::CreatedAt),
        UserSort::Name => lower(Column::DisplayName),
        UserSort::Email => lower(Column::Email),
        UserSort::Role => Expr::col(Column::Role),
    };
    q = q.order_by(key, order.clone()).order_by(Column::Id, order);
    let items = q.offset(req.offset()).limit(req.per_page).all(db).await?;
    Ok(Page { items, total, page: req.page, per_page: req.per_page })
}
