//! Login sessions, looked up by the SHA-256 of their token.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use etalase_domain::SessionKind;

use crate::entities::{session, user};

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub kind: SessionKind,
    pub csrf_token: &'a str,
    pub expires_at: DateTime<Utc>,
}

pub async fn create(
    db: &impl ConnectionTrait,
    s: NewSession<'_>,
    now: DateTime<Utc>,
) -> Result<session::Model, DbErr> {
    session::ActiveModel {
        token_hash: Set(s.token_hash.to_string()),
        user_id: Set(s.user_id),
        kind: Set(s.kind),
        csrf_token: Set(s.csrf_token.to_string()),
        created_at: Set(now),
        expires_at: Set(s.expires_at),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The unexpired session with this token hash and its (enabled) user.
pub async fn find_valid(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(session::Model, user::Model)>, DbErr> {
    let Some(s) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash))
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let u = user::Entity::find_by_id(s.user_id).one(db).await?;
    Ok(u.filter(|u| !u.disabled).map(|u| (s, u)))
}

pub async fn delete(db: &impl ConnectionTrait, token_hash: &str) -> Result<(), DbErr> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn delete_expired(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let r =
        session::Entity::delete_many().filter(session::Column::ExpiresAt.lte(now)).exec(db).await?;
    Ok(r.rows_affected)
}
