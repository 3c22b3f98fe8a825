//! `agreement_events`: the history of an agreement — every transition with its actor (none for
//! the calendar), side, note and a JSON snapshot of the terms at that moment.

use etalase_domain::agreement::{Actor, AgreementStatus, EventAction};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agreement_id: i64,
    /// `propose`, `accept`, `counter`, …, or `activate` / `expire` (the calendar).
    pub action: EventAction,
    pub from_status: Option<AgreementStatus>,
    pub to_status: AgreementStatus,
    pub actor_user_id: Option<i64>,
    /// `store`, `producer` or `system`.
    pub actor_side: Actor,
    pub note: Option<String>,
    pub terms: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
