//! Answering and managing an agreement: accept, counter (with new terms), reject, withdraw,
//! suspend, resume, end. The update is guarded by the version read, so of two people acting
//! at once only one succeeds; the other gets 409 `version_conflict`.

use etalase_db::entities::agreement;
use etalase_db::repo::agreements as repo;
use etalase_db::repo::{Versioned, versioned};
use etalase_domain::agreement::{AgreementAction, AgreementStatus, TermsFlag, TermsInput};
use sea_orm::Set;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{WHAT, check_products, event, get, is_party, note_of, side_of, snapshot, terms_of};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Body of an action: the version last read, a note (the reason, required to reject, suspend
/// or end early) and, to counter, the new terms.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub version: Option<i64>,
    pub note: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub terms: Option<TermsInput>,
}

#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn act(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AgreementAction,
    input: ActionInput,
) -> AppResult<agreement::Model> {
    let current = get(state, user, id).await?;
    let side = side_of(user)?;
    if !is_party(state, user, &current).await? {
        return Err(AppError::Forbidden("Anda bukan pihak dalam perjanjian ini.".into()));
    }
    let today = state.clock.today_wib();
    let status = current.status;
    let offer_by = current.offer_by;
    let before_end = today < current.end_date;
    if input.version.is_some_and(|v| v != current.version) {
        return Err(AppError::version_conflict());
    }
    let next = status.apply(action, user.role, offer_by, before_end)?;
    if input.terms.is_some() && action != AgreementAction::Counter {
        return Err(AppError::field(
            "terms",
            "not_applicable",
            "Syarat baru hanya dikirim untuk tawaran balik.",
        ));
    }
    let note = note_of(input.note)?;
    if AgreementStatus::needs_reason(action, before_end)
        && note.as_ref().is_none_or(|n| n.chars().count() < 5)
    {
        return Err(AppError::field(
            "note",
            "required",
            "Tuliskan alasannya (minimal 5 karakter) agar pihak lain tahu.",
        ));
    }
    let now = state.clock.now();
    let mut am = agreement::ActiveModel {
        status: Set(next),
        version: Set(current.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    let mut new_lines = None;
    match action {
        AgreementAction::Counter => {
            let terms = input.terms.ok_or_else(|| {
                AppError::field("terms", "required", "Tawaran balik harus berisi syarat baru.")
            })?;
            let v = terms.validate(today)?;
            check_products(state, &v, Some(current.producer_id)).await?;
            let products: Vec<i64> = v.items.iter().map(|i| i.product_id).collect();
            let chain = chain_flags(state, &current, &products, v.listing_fee).await?;
            let flags = super::permendag::with_chain_flags(v.flags.clone(), chain);
            am.offer_by = Set(side);
            am.scheme = Set(v.scheme);
            am.store_margin_percent = Set(v.store_margin_percent);
            am.payment_term_days = Set(v.payment_term_days);
            am.start_date = Set(v.start_date);
            am.end_date = Set(v.end_date);
            am.delivery_schedule = Set(v.delivery_schedule.clone());
            am.listing_fee = Set(v.listing_fee);
            am.flags = Set(serde_json::to_string(&flags).unwrap_or_else(|_| "[]".into()));
            new_lines = Some(
                v.items.iter().map(|i| (i.product_id, i.price, i.facings)).collect::<Vec<_>>(),
            );
        }
        AgreementAction::Accept => {
            am.accepted_at = Set(Some(now));
            // The chain's other outlets may have moved since the offer: recompute the cap.
            let items = repo::items_of(&state.db, vec![current.id]).await?;
            let products: Vec<i64> = items.iter().map(|i| i.product_id).collect();
            let chain = chain_flags(state, &current, &products, current.listing_fee).await?;
            let old: Vec<TermsFlag> = serde_json::from_str(&current.flags).unwrap_or_default();
            let flags = super::permendag::with_chain_flags(old, chain);
            am.flags = Set(serde_json::to_string(&flags).unwrap_or_else(|_| "[]".into()));
            am.standard_version_id =
                Set(super::super::matching::standard_version_in_force(state, current.store_id)
                    .await?);
        }
        AgreementAction::Reject | AgreementAction::Suspend | AgreementAction::End
            if next != AgreementStatus::Ended =>
        {
            am.status_reason = Set(note.clone());
        }
        AgreementAction::Resume => am.status_reason = Set(None),
        _ => {}
    }
    let txn = etalase_db::begin_write(&state.db).await?;
    let a = match versioned::update(&txn, id, current.version, am).await? {
        Versioned::Updated(m) => m,
        Versioned::Stale => return Err(AppError::version_conflict()),
        Versioned::Missing => return Err(AppError::NotFound(WHAT)),
    };
    if let Some(lines) = &new_lines {
        repo::replace_items(&txn, a.id, lines).await?;
    }
    let items = repo::items_of(&txn, vec![a.id]).await?;
    let terms = snapshot(&terms_of(&a, &items));
    event(&txn, &a, action.into(), Some(status), Some(user.id), side.into(), note, now, &terms)
        .await?;
    etalase_db::repo::compliance::maintained::refresh_store(&txn, a.store_id).await?;
    txn.commit().await?;
    if action == AgreementAction::Accept && a.start_date <= today {
        super::advance::advance_one(state, a.clone(), today).await?;
        return Ok(repo::find(&state.db, id).await?.unwrap_or(a));
    }
    Ok(a)
}

/// The chain-cap flags for `current` (at its store) with `products` and `listing_fee`.
async fn chain_flags(
    state: &AppState,
    current: &agreement::Model,
    products: &[i64],
    listing_fee: Option<i64>,
) -> AppResult<Vec<TermsFlag>> {
    let Some(store) = etalase_db::repo::stores::find(&state.db, current.store_id).await? else {
        return Ok(Vec::new());
    };
    super::permendag::chain_flags(state, &store, Some(current.id), products, listing_fee).await
}
