//! `agreements`: one placement agreement between a store and a producer: status, the side
//! whose offer is on the table (`offer_by`), the current terms and an optimistic `version`.

use etalase_domain::agreement::{AgreementStatus, Scheme, Side};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agreements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub store_id: i64,
    pub producer_id: i64,
    pub status: AgreementStatus,
    /// `store` or `producer`: who made the first proposal.
    pub initiated_by: Side,
    /// `store` or `producer`: whose offer is on the table.
    pub offer_by: Side,
    pub scheme: Scheme,
    pub store_margin_percent: Option<i64>,
    pub payment_term_days: i64,
    pub start_date: Date,
    pub end_date: Date,
    pub delivery_schedule: String,
    pub listing_fee: Option<i64>,
    /// JSON list of the Permendag 23/2021 flags of the current terms.
    pub flags: String,
    pub status_reason: Option<String>,
    /// The standard version in force at acceptance, when standards exist.
    pub standard_version_id: Option<i64>,
    pub created_by: Option<i64>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub accepted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
