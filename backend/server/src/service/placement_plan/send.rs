//! "Kirim sebagai draf perjanjian": the plan's proposals go to the stores as proposed
//! agreements, one per (store, product), offered on the UMKM's side (the Dinas acts as its
//! companion, as in pendampingan): the store side accepts or rejects each as it does any
//! proposal, and the UMKM may withdraw it — both sides still decide. Default terms:
//! konsinyasi, 20% store margin, 30-day payment term, one facing at the product's wholesale (else
//! retail) price, from 14 days after sending for a year. A plan is sent once: `sent_at` is
//! claimed by a conditional update before any agreement is written; a proposal whose product is
//! already at the store or under negotiation, or no longer listed, is skipped and counted. Two
//! sends at once: the second waits for the first's claim and gets 409 `plan_already_sent`.

use chrono::TimeDelta;
use etalase_db::entities::placement_plan as entity;
use etalase_db::repo::agreements::{self as repo, AgreementFilter, TAKEN};
use etalase_domain::agreement::{Actor, EventAction, ItemInput, Side, TermsInput};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{dinas_only, views};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::agreements::{event, new_proposal, snapshot};
use crate::state::AppState;

/// The confirmation: sending creates agreements the stores will see.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendInput {
    #[serde(default)]
    pub confirm: bool,
}

/// What sending did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SendResult {
    pub plan_id: i64,
    pub created: i64,
    /// Proposals skipped: the product is already at the store or under negotiation, or is no
    /// longer listed.
    pub skipped: i64,
}

#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn send(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    input: SendInput,
) -> AppResult<SendResult> {
    dinas_only(user)?;
    if !input.confirm {
        return Err(AppError::field(
            "confirm",
            "confirmation_required",
            "Centang konfirmasi untuk mengirim usulan sebagai draf perjanjian.",
        ));
    }
    let m = entity::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("Rencana penempatan"))?;
    let plan = views::from_row(&m)?;
    let now = state.clock.now();
    let today = state.clock.today_wib();
    let txn = etalase_db::begin_write(&state.db).await?;
    let claimed = entity::Entity::update_many()
        .col_expr(entity::Column::SentAt, Expr::value(now))
        .col_expr(entity::Column::SentBy, Expr::value(user.id))
        .filter(entity::Column::Id.eq(id))
        .filter(entity::Column::SentAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(AppError::conflict(
            ErrorCode::PlanAlreadySent,
            "Rencana ini sudah dikirim; hitung rencana baru untuk usulan berikutnya.",
        ));
    }
    let taken =
        repo::with_items(&txn, &AgreementFilter { statuses: TAKEN.to_vec(), ..Default::default() })
            .await?;
    let is_taken = |store: i64, product: i64| {
        taken
            .iter()
            .any(|(a, its)| a.store_id == store && its.iter().any(|i| i.product_id == product))
    };
    let ids: Vec<i64> =
        plan.stores.iter().flat_map(|s| s.proposals.iter().map(|p| p.product_id)).collect();
    let listed = etalase_db::repo::products::listed_among(&txn, ids.clone()).await?;
    let products = repo::products_by_ids(&txn, ids).await?;
    let (mut created, mut skipped) = (0i64, 0i64);
    let start = today + TimeDelta::days(14);
    for s in &plan.stores {
        for p in &s.proposals {
            let product = products.iter().find(|x| x.id == p.product_id);
            let price = product.and_then(|x| x.wholesale_price.or(x.retail_price)).unwrap_or(0);
            if is_taken(s.store_id, p.product_id) || !listed.contains(&p.product_id) || price <= 0 {
                skipped += 1;
                continue;
            }
            let terms = TermsInput {
                items: vec![ItemInput { product_id: p.product_id, price, facings: 1 }],
                scheme: "konsinyasi".into(),
                store_margin_percent: Some(20),
                payment_term_days: 30,
                start_date: start,
                end_date: start + TimeDelta::days(365),
                delivery_schedule: "Mingguan".into(),
                listing_fee: None,
            };
            let v = terms.validate(today)?;
            let row =
                new_proposal(s.store_id, p.producer_id, Side::Producer, &v, &v.flags, user.id, now);
            let a = repo::insert(&txn, row).await?;
            repo::replace_items(&txn, a.id, &[(p.product_id, price, 1)]).await?;
            let note = format!("Usulan rencana penempatan Dinas #{id}: {}", p.reason);
            event(
                &txn,
                &a,
                EventAction::Propose,
                None,
                Some(user.id),
                Actor::from(Side::Producer),
                Some(note),
                now,
                &snapshot(&v.to_input()),
            )
            .await?;
            created += 1;
        }
    }
    entity::Entity::update_many()
        .col_expr(entity::Column::SentAgreements, Expr::value(created))
        .filter(entity::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    etalase_db::repo::audit::record(
        &txn,
        Some(user.id),
        "placement_plan.send",
        "placement_plan",
        id,
        Some(format!("{created} draf perjanjian dikirim, {skipped} dilewati")),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(SendResult { plan_id: id, created, skipped })
}
