//! `inspection_photos`: a shelf photo taken during an inspection. The pixels live in the blob
//! store under keys derived from the upload's SHA-256 (`content_hash`), shared with product
//! photos; `sizes` lists the variant long sides made ("1600,800,320").

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_photos")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub content_hash: String,
    pub width: i64,
    pub height: i64,
    pub sizes: String,
    pub position: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
