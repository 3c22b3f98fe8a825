//! Account upkeep: password changes, profile edits by the admin, deactivation (which ends every
//! session and API token at once) and the unread count of the Kotak masuk.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};

use etalase_domain::Role;
use etalase_domain::agreement::{AgreementStatus, Side};

use crate::entities::{agreement, notice, producer, session, store, user};

/// Replaces the password hash.
pub async fn set_password(db: &impl ConnectionTrait, id: i64, hash: &str) -> Result<(), DbErr> {
    user::ActiveModel { id: Set(id), password_hash: Set(hash.to_string()), ..Default::default() }
        .update(db)
        .await?;
    Ok(())
}

/// The admin's edit: name, role and the chain/store the account is linked to.
pub async fn update_profile(
    db: &impl ConnectionTrait,
    id: i64,
    display_name: &str,
    role: Role,
    chain_id: Option<i64>,
    store_id: Option<i64>,
) -> Result<user::Model, DbErr> {
    user::ActiveModel {
        id: Set(id),
        display_name: Set(display_name.to_string()),
        role: Set(role),
        chain_id: Set(chain_id),
        store_id: Set(store_id),
        ..Default::default()
    }
    .update(db)
    .await
}

/// Turns an account off (or on again).
pub async fn set_disabled(db: &impl ConnectionTrait, id: i64, disabled: bool) -> Result<(), DbErr> {
    user::ActiveModel { id: Set(id), disabled: Set(disabled), ..Default::default() }
        .update(db)
        .await?;
    Ok(())
}

/// Ends every session and API token of the account except the one with `keep` (its token
/// hash); returns how many ended.
pub async fn end_sessions(
    db: &impl ConnectionTrait,
    user_id: i64,
    keep: Option<&str>,
) -> Result<u64, DbErr> {
    let mut q = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(k) = keep {
        q = q.filter(session::Column::TokenHash.ne(k));
    }
    Ok(q.exec(db).await?.rows_affected)
}

/// How many sessions and tokens the account has open (for the admin's page).
pub async fn open_sessions(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::ExpiresAt.gt(now))
        .count(db)
        .await
}

/// Records that the account opened its Kotak masuk now.
pub async fn mark_inbox_seen(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    user::ActiveModel { id: Set(id), inbox_seen_at: Set(Some(now)), ..Default::default() }
        .update(db)
        .await?;
    Ok(())
}

/// Who the caller acts for, as the inbox sees it.
pub struct InboxOwner {
    pub role: Role,
    pub user_id: i64,
    pub chain_id: Option<i64>,
    pub store_id: Option<i64>,
}

/// Unread in the Kotak masuk: offers from the other side waiting for this account's answer
/// that arrived (or changed) after `seen`, plus surat teguran sent after `seen` (and at most
/// `notice_since` old). Two or three counting queries.
pub async fn inbox_unread(
    db: &impl ConnectionTrait,
    who: &InboxOwner,
    seen: Option<DateTime<Utc>>,
    notice_since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut q = agreement::Entity::find().filter(
        agreement::Column::Status.is_in([AgreementStatus::Proposed, AgreementStatus::Countered]),
    );
    let side = match who.role {
        Role::Store => match who.store_id {
            Some(s) => {
                q = q.filter(agreement::Column::StoreId.eq(s));
                Some(Side::Store)
            }
            None => None,
        },
        Role::Chain => match who.chain_id {
            Some(c) => {
                q = q.filter(
                    agreement::Column::StoreId.in_subquery(
                        Query::select()
                            .column(store::Column::Id)
                            .from(store::Entity)
                            .and_where(store::Column::ChainId.eq(c))
                            .take(),
                    ),
                );
                Some(Side::Store)
            }
            None => None,
        },
        Role::Umkm => {
            q = q.filter(
                agreement::Column::ProducerId.in_subquery(
                    Query::select()
                        .column(producer::Column::Id)
                        .from(producer::Entity)
                        .and_where(producer::Column::OwnerUserId.eq(who.user_id))
                        .take(),
                ),
            );
            Some(Side::Producer)
        }
        Role::Dinas | Role::Admin | Role::Buyer => None,
    };
    let mut total = 0;
    if let Some(side) = side {
        q = q.filter(agreement::Column::OfferBy.ne(side));
        if let Some(s) = seen {
            q = q.filter(agreement::Column::UpdatedAt.gt(s));
        }
        total += q.count(db).await?;
    }
    let since = seen.map_or(notice_since, |s| s.max(notice_since));
    let notices = notice::Entity::find().filter(notice::Column::CreatedAt.gt(since));
    let notices = match (who.role, who.chain_id, who.store_id) {
        (Role::Chain, Some(c), _) => Some(notices.filter(notice::Column::ChainId.eq(c))),
        (Role::Store, _, Some(s)) => Some(notices.filter(notice::Column::StoreId.eq(s))),
        _ => None,
    };
    if let Some(n) = notices {
        total += n.count(db).await?;
    }
    Ok(total)
}
