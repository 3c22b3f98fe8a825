//! Product photos: upload (one or more files, all-or-nothing), reorder, choose the main one,
//! alt text, delete. Files are checked and stored first (`service::files`); the rows are
//! written through a `ListingChange`, and a failure there removes the blobs no row uses.

use etalase_db::entities::photo::{ActiveModel, Model};
use etalase_db::repo::photos as repo;
use etalase_domain::error::{FieldError, ValidationErrors};
use etalase_media::photo::QualityMetrics;
use sea_orm::{ActiveValue::NotSet, Set};
use serde::Deserialize;
use utoipa::ToSchema;

use super::change::ListingChange;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::service::access;
use crate::service::files::{self, Checked, check_all, remove_unused_photos, store_variants};
use crate::service::upload::Upload;
use crate::state::AppState;

#[tracing::instrument(skip(state, files), fields(user = user.id, files = files.len()))]
pub async fn add(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    files: Vec<Upload>,
) -> AppResult<Vec<Model>> {
    let product = access::photo_editable_product(state, user, product_id).await?;
    if files.is_empty() {
        return Err(AppError::field("photos", "required", "Pilih minimal satu foto."));
    }
    let existing = repo::for_product(&state.db, product.id).await?;
    let max = state.config.max_photos_per_product;
    if existing.len() + files.len() > max {
        return Err(AppError::field(
            "photos",
            "too_many_photos",
            format!(
                "Satu produk paling banyak {max} foto; produk ini sudah punya {} dan Anda mengirim {}.",
                existing.len(),
                files.len()
            ),
        ));
    }
    // Decode and check every file first: one bad file refuses the whole upload.
    let processed = check_all(state, files).await?;
    let stored =
        store_variants(state, &processed, |hash| existing.iter().any(|e| e.content_hash == hash))
            .await?;
    match save_rows(state, user, product.id, &existing, &processed).await {
        Ok(rows) => Ok(rows),
        Err(e) => {
            remove_unused_photos(state, &stored).await;
            Err(e)
        }
    }
}

async fn save_rows(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    existing: &[Model],
    processed: &[Checked],
) -> AppResult<Vec<Model>> {
    let mut change = ListingChange::begin(state).await?;
    let mut out: Vec<Model> = Vec::new();
    let mut position = existing.len() as i64;
    let mut has_primary = existing.iter().any(|p| p.is_primary);
    for (hash, size, p) in processed {
        if existing.iter().chain(out.iter()).any(|e| &e.content_hash == hash) {
            continue;
        }
        let m: &QualityMetrics = &p.metrics;
        let row = repo::insert(
            change.db(),
            ActiveModel {
                id: NotSet,
                product_id: Set(product_id),
                position: Set(position),
                is_primary: Set(!has_primary),
                alt_text: Set(String::new()),
                content_hash: Set(hash.clone()),
                width: Set(i64::from(p.width)),
                height: Set(i64::from(p.height)),
                bytes: Set(*size as i64),
                sizes: Set(files::sizes_of(p)),
                sharpness: Set(m.sharpness),
                brightness: Set(m.brightness),
                border_spread: Set(m.border_spread),
                border_brightness: Set(m.border_brightness),
                created_at: Set(change.now()),
            },
        )
        .await?;
        has_primary = true;
        position += 1;
        out.push(row);
    }
    change.touch_carried(product_id).await?;
    change.audit(user.id, "photo_add", "product", product_id, Some(out.len().to_string())).await?;
    change.commit().await?;
    Ok(out)
}

/// Changes to one photo.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhotoPatch {
    /// New 0-based position; the others shift.
    pub position: Option<i64>,
    /// `true` makes this the main photo.
    pub primary: Option<bool>,
    /// Describes the photo for people who cannot see it (max 200 characters).
    pub alt_text: Option<String>,
}

fn check_patch(patch: &PhotoPatch, photos: usize) -> AppResult<()> {
    let mut errs = ValidationErrors::new();
    if let Some(a) = &patch.alt_text
        && a.chars().count() > 200
    {
        errs.push(FieldError::new(
            "alt_text",
            "too_long",
            "Teks alternatif maksimal 200 karakter.",
        ));
    }
    if let Some(p) = patch.position
        && (p < 0 || usize::try_from(p).map_or(true, |p| p >= photos))
    {
        errs.push(FieldError::new(
            "position",
            "out_of_range",
            format!("Posisi harus 0 sampai {}.", photos.saturating_sub(1)),
        ));
    }
    if patch.primary == Some(false) {
        errs.push(FieldError::new(
            "primary",
            "invalid_choice",
            "Pilih foto lain sebagai foto utama; foto utama tidak bisa dikosongkan.",
        ));
    }
    if errs.is_empty() { Ok(()) } else { Err(AppError::Validation(errs)) }
}

pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    photo_id: i64,
    patch: PhotoPatch,
) -> AppResult<Vec<Model>> {
    let product = access::photo_editable_product(state, user, product_id).await?;
    let mut list = repo::for_product(&state.db, product.id).await?;
    let Some(idx) = list.iter().position(|p| p.id == photo_id) else {
        return Err(AppError::NotFound("Foto"));
    };
    check_patch(&patch, list.len())?;
    let mut change = ListingChange::begin(state).await?;
    if let Some(a) = &patch.alt_text {
        repo::set_alt_text(change.db(), photo_id, a.trim()).await?;
    }
    let moved = list.remove(idx);
    let to = patch.position.and_then(|p| usize::try_from(p).ok()).unwrap_or(idx);
    list.insert(to.min(list.len()), moved);
    let primary = if patch.primary == Some(true) {
        Some(photo_id)
    } else {
        list.iter().find(|p| p.is_primary).map(|p| p.id)
    };
    let ids: Vec<i64> = list.iter().map(|p| p.id).collect();
    repo::reorder(change.db(), &ids, primary.or(ids.first().copied())).await?;
    change.touch_carried(product.id).await?;
    change.audit(user.id, "photo_update", "product", product.id, None).await?;
    change.commit().await?;
    Ok(repo::for_product(&state.db, product.id).await?)
}

pub async fn delete(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    photo_id: i64,
) -> AppResult<()> {
    let product = access::photo_editable_product(state, user, product_id).await?;
    let list = repo::for_product(&state.db, product.id).await?;
    let Some(gone) = list.iter().find(|p| p.id == photo_id).cloned() else {
        return Err(AppError::NotFound("Foto"));
    };
    let rest: Vec<&Model> = list.iter().filter(|p| p.id != photo_id).collect();
    let primary = rest.iter().find(|p| p.is_primary).or(rest.first()).map(|p| p.id);
    let ids: Vec<i64> = rest.iter().map(|p| p.id).collect();
    let mut change = ListingChange::begin(state).await?;
    repo::delete(change.db(), photo_id).await?;
    repo::reorder(change.db(), &ids, primary).await?;
    change.touch_carried(product.id).await?;
    change.audit(user.id, "photo_delete", "product", product.id, None).await?;
    change.commit().await?;
    remove_unused_photos(state, &[gone.content_hash]).await;
    Ok(())
}
