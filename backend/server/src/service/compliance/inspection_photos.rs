//! Shelf photos of an inspection (at most six, sent with it): checked, stored and cleaned up
//! through the product photo pipeline (`service::files`), shown as thumbnails that link to
//! the 800 px variant.

use std::collections::HashMap;

use etalase_db::entities::inspection_photo::{ActiveModel, Model};
use etalase_db::repo::inspection_photos as repo;
use etalase_media::keys::variant_urls;
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, DbErr, Set};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppResult;
use crate::service::catalog::views::PhotoVariantView;
use crate::service::files::{Checked, sizes_of};
use crate::state::AppState;

/// Most shelf photos one inspection may carry.
pub const MAX_INSPECTION_PHOTOS: usize = 6;

/// One shelf photo of an inspection.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InspectionPhotoView {
    pub id: i64,
    pub position: i64,
    pub width: i64,
    pub height: i64,
    pub variants: Vec<PhotoVariantView>,
    /// The JPEG of about 800 px (what a thumbnail links to).
    pub src: String,
    /// The 320 px WebP, for lists.
    pub thumbnail_url: String,
}

impl From<&Model> for InspectionPhotoView {
    fn from(m: &Model) -> Self {
        let variants: Vec<PhotoVariantView> =
            variant_urls(&m.content_hash, &m.sizes, m.width, m.height)
                .into_iter()
                .map(PhotoVariantView::from)
                .collect();
        let mid = variants.iter().find(|v| v.size <= 800).or(variants.last());
        InspectionPhotoView {
            id: m.id,
            position: m.position,
            width: m.width,
            height: m.height,
            src: mid.map(|v| v.jpeg_url.clone()).unwrap_or_default(),
            thumbnail_url: variants.last().map(|v| v.webp_url.clone()).unwrap_or_default(),
            variants,
        }
    }
}

/// Writes the rows of the checked photos of one inspection, in the order sent (a photo sent
/// twice is kept once).
pub(super) async fn insert_rows(
    db: &impl ConnectionTrait,
    inspection_id: i64,
    photos: &[Checked],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Model>, DbErr> {
    let mut out: Vec<Model> = Vec::new();
    for (hash, _, p) in photos {
        if out.iter().any(|m| &m.content_hash == hash) {
            continue;
        }
        let row = repo::insert(
            db,
            ActiveModel {
                id: NotSet,
                inspection_id: Set(inspection_id),
                content_hash: Set(hash.clone()),
                width: Set(i64::from(p.width)),
                height: Set(i64::from(p.height)),
                sizes: Set(sizes_of(p)),
                position: Set(out.len() as i64),
                created_at: Set(now),
            },
        )
        .await?;
        out.push(row);
    }
    Ok(out)
}

/// The photos of these inspections as views, by inspection id.
pub(super) async fn views_by_inspection(
    state: &AppState,
    ids: Vec<i64>,
) -> AppResult<HashMap<i64, Vec<InspectionPhotoView>>> {
    let mut out: HashMap<i64, Vec<InspectionPhotoView>> = HashMap::new();
    for m in repo::for_inspections(&state.db, ids).await? {
        out.entry(m.inspection_id).or_default().push(InspectionPhotoView::from(&m));
    }
    Ok(out)
}
