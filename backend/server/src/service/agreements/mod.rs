//! Placement agreements: proposing (either side), answering (only the other side accepts,
//! counters or rejects; the offering side withdraws), suspending/resuming (store), ending
//! (either side), the calendar's automatic start and end, the history and the inbox.
//! Who acts: a store manager for their own store, a chain office for its chain's stores, a
//! UMKM for its own products; the Dinas and admins read everything. Another party's agreement
//! is "not found". Two people acting at once cannot both succeed: every change is an update
//! guarded by the version read, the loser gets 409 `version_conflict`.

mod actions;
mod advance;
mod inbox;
mod permendag;
mod views;

pub use actions::{ActionInput, act};
pub use advance::{advance_by_date, spawn_periodic};
pub use inbox::{InboxItem, inbox};
pub use views::{
    AgreementEventView, AgreementItemView, AgreementView, payment_term_label, terms_of, views,
};

use etalase_db::entities::{agreement, agreement_event, product};
use etalase_db::repo::agreements::{self as repo, AgreementFilter, TAKEN};
use etalase_db::repo::{Page, PageReq, producers, stores};
use etalase_domain::ListingStatus;
use etalase_domain::agreement::{
    Actor, AgreementStatus, EventAction, Side, TermsInput, ValidTerms,
};
use etalase_domain::error::{FieldError, ValidationErrors};
use etalase_domain::roles::Role;
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, Set};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::retail::acts_for_store;
use crate::state::AppState;

const WHAT: &str = "Perjanjian";

/// A new proposal.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    pub store_id: i64,
    #[schema(value_type = Object)]
    pub terms: TermsInput,
    /// A message to the other side.
    #[serde(default)]
    pub note: Option<String>,
}

/// The side `user` acts for, or 403.
pub(crate) fn side_of(user: &CurrentUser) -> AppResult<Side> {
    Side::of_role(user.role).ok_or_else(|| {
        AppError::Forbidden("Petugas Dinas dan admin hanya dapat melihat perjanjian.".into())
    })
}

/// The agreements `user` may see.
pub async fn scope(state: &AppState, user: &CurrentUser) -> AppResult<Option<AgreementFilter>> {
    Ok(match user.role {
        Role::Dinas | Role::Admin => Some(AgreementFilter::default()),
        Role::Store => {
            user.store_id.map(|s| AgreementFilter { store_id: Some(s), ..Default::default() })
        }
        Role::Chain => {
            user.chain_id.map(|c| AgreementFilter { chain_id: Some(c), ..Default::default() })
        }
        Role::Umkm => producers::find_by_owner(&state.db, user.id)
            .await?
            .map(|p| AgreementFilter { producer_id: Some(p.id), ..Default::default() }),
        // Government buyers take no part in placements.
        Role::Buyer => None,
    })
}

/// True when `user` is a party to `a` (acts for its store or owns its producer).
pub async fn is_party(
    state: &AppState,
    user: &CurrentUser,
    a: &agreement::Model,
) -> AppResult<bool> {
    Ok(match user.role {
        Role::Umkm => producers::find(&state.db, a.producer_id)
            .await?
            .is_some_and(|p| p.owner_user_id == Some(user.id)),
        Role::Store | Role::Chain => {
            stores::find(&state.db, a.store_id).await?.is_some_and(|s| acts_for_store(user, &s))
        }
        _ => false,
    })
}

/// An agreement `user` may see; anything else is "not found".
pub async fn get(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<agreement::Model> {
    let a = repo::find(&state.db, id).await?.ok_or(AppError::NotFound(WHAT))?;
    if matches!(user.role, Role::Dinas | Role::Admin) || is_party(state, user, &a).await? {
        return Ok(a);
    }
    Err(AppError::NotFound(WHAT))
}

pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    status: Option<String>,
    store_id: Option<i64>,
    req: PageReq,
) -> AppResult<Page<agreement::Model>> {
    let Some(mut f) = scope(state, user).await? else {
        return Ok(Page { items: vec![], total: 0, page: req.page, per_page: req.per_page });
    };
    if let Some(s) = status {
        // An unknown status matches no agreement.
        let Some(s) = AgreementStatus::from_code(&s) else {
            return Ok(Page { items: vec![], total: 0, page: req.page, per_page: req.per_page });
        };
        f.statuses = vec![s];
    }
    if let Some(s) = store_id {
        if f.store_id.is_some_and(|own| own != s) {
            return Ok(Page { items: vec![], total: 0, page: req.page, per_page: req.per_page });
        }
        f.store_id = Some(s);
    }
    Ok(repo::list(&state.db, &f, req).await?)
}

pub async fn events(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> AppResult<Vec<agreement_event::Model>> {
    let a = get(state, user, id).await?;
    Ok(repo::events_of(&state.db, a.id).await?)
}

/// Checks the products of `terms`: they exist, are published and all belong to one producer
/// (`producer`, when known); returns that producer.
pub(crate) async fn check_products(
    state: &AppState,
    terms: &ValidTerms,
    producer: Option<i64>,
) -> AppResult<i64> {
    let ids: Vec<i64> = terms.items.iter().map(|i| i.product_id).collect();
    let found: Vec<product::Model> = repo::products_by_ids(&state.db, ids.clone()).await?;
    let listed = etalase_db::repo::products::listed_among(&state.db, ids).await?;
    let mut e = ValidationErrors::new();
    let mut owner = producer;
    for (i, it) in terms.items.iter().enumerate() {
        let field = format!("items[{i}].product_id");
        match found.iter().find(|p| p.id == it.product_id) {
            Some(p) if listed.contains(&p.id) => match owner {
                Some(o) if o != p.producer_id => e.push(FieldError::new(field, "other_producer", "Semua produk dalam satu perjanjian harus milik UMKM yang sama (UMKM perjanjian ini).")),
                _ => owner = Some(p.producer_id),
            },
            Some(p) if p.status == ListingStatus::Published => e.push(FieldError::new(field, "producer_not_verified", "Usaha pemilik produk ini sedang tidak terverifikasi Dinas; produknya tidak bisa dimasukkan ke perjanjian baru.")),
            Some(_) => e.push(FieldError::new(field, "not_published", "Produk ini belum tayang di katalog.")),
            None => e.push(FieldError::new(field, "not_found", "Produk tidak ditemukan.")),
        }
    }
    match owner {
        Some(o) if e.is_empty() => Ok(o),
        _ => Err(e.into()),
    }
}

/// Terms of `v` as the JSON stored in events.
pub(crate) fn snapshot(v: &TermsInput) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "{}".into())
}

pub(crate) fn note_of(note: Option<String>) -> AppResult<Option<String>> {
    let n = crate::service::clean(note);
    if n.as_ref().is_some_and(|t| t.chars().count() > 1000) {
        return Err(AppError::field("note", "too_long", "Catatan maksimal 1000 karakter."));
    }
    Ok(n)
}

#[allow(clippy::too_many_arguments)] // one event row: every column is a parameter
pub(crate) async fn event(
    db: &impl ConnectionTrait,
    a: &agreement::Model,
    action: EventAction,
    from: Option<AgreementStatus>,
    actor: Option<i64>,
    side: Actor,
    note: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
    terms: &str,
) -> Result<(), sea_orm::DbErr> {
    repo::insert_event(
        db,
        agreement_event::ActiveModel {
            id: NotSet,
            agreement_id: Set(a.id),
            action: Set(action),
            from_status: Set(from),
            to_status: Set(a.status),
            actor_user_id: Set(actor),
            actor_side: Set(side),
            note: Set(note),
            terms: Set(terms.into()),
            created_at: Set(now),
        },
    )
    .await?;
    Ok(())
}

/// The row of a new proposal offered by `side` (also the placement plan's drafts).
pub(crate) fn new_proposal(
    store_id: i64,
    producer_id: i64,
    side: Side,
    v: &ValidTerms,
    flags: &[etalase_domain::agreement::TermsFlag],
    user_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> agreement::ActiveModel {
    agreement::ActiveModel {
        id: NotSet,
        store_id: Set(store_id),
        producer_id: Set(producer_id),
        status: Set(AgreementStatus::Proposed),
        initiated_by: Set(side),
        offer_by: Set(side),
        scheme: Set(v.scheme),
        store_margin_percent: Set(v.store_margin_percent),
        payment_term_days: Set(v.payment_term_days),
        start_date: Set(v.start_date),
        end_date: Set(v.end_date),
        delivery_schedule: Set(v.delivery_schedule.clone()),
        listing_fee: Set(v.listing_fee),
        flags: Set(serde_json::to_string(flags).unwrap_or_else(|_| "[]".into())),
        status_reason: Set(None),
        standard_version_id: Set(None),
        created_by: Set(Some(user_id)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        accepted_at: Set(None),
    }
}

/// Either side proposes an agreement for one store and one producer's published products.
#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn propose(
    state: &AppState,
    user: &CurrentUser,
    input: ProposalInput,
) -> AppResult<agreement::Model> {
    let side = side_of(user)?;
    let store = match side {
        Side::Store => crate::service::retail::store_for_side(state, user, input.store_id).await?,
        Side::Producer => {
            stores::find(&state.db, input.store_id).await?.ok_or(AppError::NotFound("Gerai"))?
        }
    };
    let own_producer = match side {
        Side::Producer => Some(
            producers::find_by_owner(&state.db, user.id)
                .await?
                .ok_or_else(|| {
                    AppError::conflict(
                        ErrorCode::ProducerRequired,
                        "Daftarkan data usaha Anda terlebih dahulu.",
                    )
                })?
                .id,
        ),
        Side::Store => None,
    };
    let today = state.clock.today_wib();
    let v = input.terms.validate(today)?;
    let producer_id = check_products(state, &v, own_producer).await?;
    // Proposals for one store are serialised: the store row is written first (a no-op update
    // that takes its row lock on PostgreSQL and the write lock on SQLite), so of two proposals
    // for the same product sent at once, the second sees the first and is refused.
    let txn = etalase_db::begin_write(&state.db).await?;
    {
        use etalase_db::entities::store as store_entity;
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        store_entity::Entity::update_many()
            .col_expr(store_entity::Column::Version, Expr::col(store_entity::Column::Version))
            .filter(store_entity::Column::Id.eq(store.id))
            .exec(&txn)
            .await?;
    }
    let taken = repo::with_items(
        &txn,
        &AgreementFilter {
            store_id: Some(store.id),
            statuses: TAKEN.to_vec(),
            ..Default::default()
        },
    )
    .await?;
    if let Some(it) = v.items.iter().find(|it| {
        taken.iter().any(|(_, items)| items.iter().any(|x| x.product_id == it.product_id))
    }) {
        let name = etalase_db::repo::products::find(&state.db, it.product_id).await?.map_or_else(
            || "Produk ini".to_string(),
            |p| format!("Produk \u{201c}{}\u{201d}", p.name),
        );
        return Err(AppError::conflict(
            ErrorCode::AlreadyPlaced,
            format!("{name} sudah ada di gerai {} atau sedang dirundingkan.", store.name),
        ));
    }
    let note = note_of(input.note)?;
    let products: Vec<i64> = v.items.iter().map(|i| i.product_id).collect();
    let chain = permendag::chain_flags(state, &store, None, &products, v.listing_fee).await?;
    let flags = permendag::with_chain_flags(v.flags.clone(), chain);
    let now = state.clock.now();
    let row = new_proposal(store.id, producer_id, side, &v, &flags, user.id, now);
    let a = repo::insert(&txn, row).await?;
    let lines: Vec<(i64, i64, i64)> =
        v.items.iter().map(|i| (i.product_id, i.price, i.facings)).collect();
    repo::replace_items(&txn, a.id, &lines).await?;
    event(
        &txn,
        &a,
        EventAction::Propose,
        None,
        Some(user.id),
        side.into(),
        note,
        now,
        &snapshot(&v.to_input()),
    )
    .await?;
    txn.commit().await?;
    Ok(a)
}
