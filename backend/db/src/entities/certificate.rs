//! `certificates`: a permit or certification of a product (P-IRT, BPOM, halal, SNI, other),
//! with an optional document stored in the blob store under `document_key`.

use etalase_domain::CertificateKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    pub kind: CertificateKind,
    pub number: String,
    pub issuer: Option<String>,
    pub issued_on: Option<Date>,
    pub expires_on: Option<Date>,
    pub document_key: Option<String>,
    pub document_type: Option<String>,
    pub document_name: Option<String>,
    pub created_at: DateTimeUtc,
    /// The Dinas officer who checked it (NULL: not yet, or checked before this was recorded).
    pub checked_by: Option<i64>,
    pub checked_at: Option<DateTimeUtc>,
}

impl Model {
    /// Whether it counts for filters, badges and standards: P-IRT at once, others once checked.
    pub fn counts(&self) -> bool {
        self.checked_at.is_some() || !self.kind.needs_check()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
