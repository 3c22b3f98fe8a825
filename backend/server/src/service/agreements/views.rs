//! What the API and pages show of agreements and their history.

use chrono::{DateTime, NaiveDate, Utc};
use etalase_db::entities::{agreement, agreement_event, agreement_item};
use etalase_db::repo::{agreements as repo, producers, stores};
use etalase_domain::agreement::{AgreementAction, ItemInput, TermsFlag, TermsInput};
use etalase_domain::datefmt::format_datetime_wib;
use etalase_domain::money::group_thousands;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;

/// One product line.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgreementItemView {
    pub product_id: i64,
    pub product_name: String,
    pub price: i64,
    pub price_label: String,
    pub facings: i64,
}

/// A placement agreement as its parties (and the Dinas) see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgreementView {
    pub id: i64,
    pub store_id: i64,
    pub store_name: String,
    pub producer_id: i64,
    pub producer_name: String,
    pub status: String,
    pub status_label: String,
    /// `store` or `producer`: who proposed first.
    pub initiated_by: String,
    /// `store` or `producer`: whose offer is on the table.
    pub offer_by: String,
    pub scheme: String,
    pub scheme_label: String,
    pub store_margin_percent: Option<i64>,
    /// Days until the UMKM is paid — shown prominently.
    pub payment_term_days: i64,
    pub payment_term_label: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub delivery_schedule: String,
    pub listing_fee: Option<i64>,
    /// Permendag 23/2021 warnings (do not block).
    #[schema(value_type = Vec<Object>)]
    pub flags: Vec<TermsFlag>,
    pub status_reason: Option<String>,
    pub standard_version_id: Option<i64>,
    pub items: Vec<AgreementItemView>,
    /// What the caller may do now.
    pub actions: Vec<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

/// One change in an agreement's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgreementEventView {
    pub id: i64,
    pub action: String,
    pub action_label: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub to_status_label: String,
    pub actor_user_id: Option<i64>,
    /// `store`, `producer` or `system`.
    pub actor_side: String,
    pub actor_side_label: String,
    pub note: Option<String>,
    /// The terms at that moment.
    #[schema(value_type = Object)]
    pub terms: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub created_at_label: String,
}

pub fn payment_term_label(days: i64) -> String {
    if days == 0 { "Dibayar tunai saat terima".into() } else { format!("Tempo bayar {days} hari") }
}

/// The terms of a stored agreement (for snapshots and counter forms).
pub fn terms_of(a: &agreement::Model, items: &[agreement_item::Model]) -> TermsInput {
    TermsInput {
        items: items
            .iter()
            .map(|i| ItemInput { product_id: i.product_id, price: i.price, facings: i.facings })
            .collect(),
        scheme: a.scheme.as_str().into(),
        store_margin_percent: a.store_margin_percent,
        payment_term_days: a.payment_term_days,
        start_date: a.start_date,
        end_date: a.end_date,
        delivery_schedule: a.delivery_schedule.clone(),
        listing_fee: a.listing_fee,
    }
}

fn actions_for(
    user: &CurrentUser,
    a: &agreement::Model,
    today: NaiveDate,
    party: bool,
) -> Vec<String> {
    if !party {
        return vec![];
    }
    a.status
        .available_actions(user.role, a.offer_by, today < a.end_date)
        .iter()
        .map(|x: &AgreementAction| x.as_str().to_string())
        .collect()
}

/// Views of agreements for `user`, with names, in a handful of queries.
pub async fn views(
    state: &AppState,
    user: &CurrentUser,
    list: &[agreement::Model],
) -> AppResult<Vec<AgreementView>> {
    let today = state.clock.today_wib();
    let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
    let items = repo::items_of(&state.db, ids).await?;
    let products =
        repo::products_by_ids(&state.db, items.iter().map(|i| i.product_id).collect()).await?;
    let ss = stores::find_many(&state.db, list.iter().map(|a| a.store_id).collect()).await?;
    let ps = producers::find_many(&state.db, list.iter().map(|a| a.producer_id).collect()).await?;
    let mine = match user.role {
        etalase_domain::roles::Role::Umkm => {
            producers::find_by_owner(&state.db, user.id).await?.map(|p| p.id)
        }
        _ => None,
    };
    Ok(list
        .iter()
        .map(|a| {
            let store = ss.iter().find(|s| s.id == a.store_id);
            let party = match user.role {
                etalase_domain::roles::Role::Umkm => mine == Some(a.producer_id),
                _ => store.is_some_and(|s| crate::service::retail::acts_for_store(user, s)),
            };
            AgreementView {
                id: a.id,
                store_id: a.store_id,
                store_name: store.map(|s| s.name.clone()).unwrap_or_default(),
                producer_id: a.producer_id,
                producer_name: ps
                    .iter()
                    .find(|p| p.id == a.producer_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                status: a.status.as_str().into(),
                status_label: a.status.label().into(),
                initiated_by: a.initiated_by.as_str().into(),
                offer_by: a.offer_by.as_str().into(),
                scheme: a.scheme.as_str().into(),
                scheme_label: a.scheme.label().into(),
                store_margin_percent: a.store_margin_percent,
                payment_term_days: a.payment_term_days,
                payment_term_label: payment_term_label(a.payment_term_days),
                start_date: a.start_date,
                end_date: a.end_date,
                delivery_schedule: a.delivery_schedule.clone(),
                listing_fee: a.listing_fee,
                flags: serde_json::from_str(&a.flags).unwrap_or_default(),
                status_reason: a.status_reason.clone(),
                standard_version_id: a.standard_version_id,
                items: items
                    .iter()
                    .filter(|i| i.agreement_id == a.id)
                    .map(|i| AgreementItemView {
                        product_id: i.product_id,
                        product_name: products
                            .iter()
                            .find(|p| p.id == i.product_id)
                            .map(|p| p.name.clone())
                            .unwrap_or_default(),
                        price: i.price,
                        price_label: format!("Rp{}", group_thousands(i.price.unsigned_abs())),
                        facings: i.facings,
                    })
                    .collect(),
                actions: actions_for(user, a, today, party),
                version: a.version,
                created_at: a.created_at,
                updated_at: a.updated_at,
                accepted_at: a.accepted_at,
            }
        })
        .collect())
}

impl From<&agreement_event::Model> for AgreementEventView {
    fn from(e: &agreement_event::Model) -> Self {
        AgreementEventView {
            id: e.id,
            action: e.action.as_str().into(),
            action_label: e.action.label().into(),
            from_status: e.from_status.map(|s| s.as_str().into()),
            to_status: e.to_status.as_str().into(),
            to_status_label: e.to_status.label().into(),
            actor_user_id: e.actor_user_id,
            actor_side: e.actor_side.as_str().into(),
            actor_side_label: e.actor_side.label().into(),
            note: e.note.clone(),
            terms: serde_json::from_str(&e.terms).unwrap_or(serde_json::Value::Null),
            created_at: e.created_at,
            created_at_label: format_datetime_wib(e.created_at),
        }
    }
}
