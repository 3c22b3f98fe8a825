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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
