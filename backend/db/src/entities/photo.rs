//! `photos`: a product photo. The pixels live in the blob store under keys derived from the
//! upload's SHA-256 (`content_hash`); `sizes` lists the variant long sides made ("1600,800,320").

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "photos")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    pub position: i64,
    pub is_primary: bool,
    pub alt_text: String,
    pub content_hash: String,
    pub width: i64,
    pub height: i64,
    pub bytes: i64,
    pub sizes: String,
    pub sharpness: f64,
    pub brightness: f64,
    pub border_spread: f64,
    pub border_brightness: f64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
