//! Product photos: upload (one or more files, all-or-nothing), reorder, choose the main one,
//! alt text, delete. Blobs are stored before rows are written; a failure in between removes
//! the blobs no row uses. Decoding runs on the blocking pool under a semaphore. The checking,
//! storing and clean-up helpers also serve inspection shelf photos (`service::compliance`).

use etalase_db::entities::photo::{ActiveModel, Model};
use etalase_db::entities::product;
use etalase_db::repo::{audit, inspection_photos, photos as repo};
use etalase_domain::error::{FieldError, ValidationErrors};
use etalase_domain::roles::Role;
use etalase_media::photo::{self, PhotoError, Processed, QualityMetrics, fit};
use sea_orm::{ActiveValue::NotSet, Set, TransactionTrait};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::certificates::Upload;
use super::products;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Blob key of one variant: content-addressed, so the same photo is stored once.
pub fn photo_key(hash: &str, size: u32, ext: &str) -> String {
    format!("photos/{}/{hash}/{size}.{ext}", &hash[..2.min(hash.len())])
}

/// The product, if `user` may change its photos: the owning UMKM, or the Dinas.
async fn changeable(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
) -> AppResult<product::Model> {
    if user.role == Role::Dinas {
        return products::get(state, Some(user), product_id).await;
    }
    products::get_owned(state, user, product_id).await
}

async fn process(state: &AppState, bytes: Vec<u8>) -> Result<Processed, PhotoError> {
    let limits = state.config.photo_limits();
    // Cheap header checks first, outside the semaphore: hostile files never wait for a slot.
    photo::probe(&bytes, &limits)?;
    let _permit =
        state.photo_permits.acquire().await.map_err(|e| PhotoError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || photo::process(&bytes, &limits))
        .await
        .map_err(|e| PhotoError::Internal(e.to_string()))?
}

/// One upload decoded and checked: its SHA-256 (hex), its size in bytes and its variants.
pub(crate) type Checked = (String, usize, Processed);

/// Decodes and checks every file; one bad file refuses them all, each error naming `photos[i]`.
pub(crate) async fn check_all(state: &AppState, files: Vec<Upload>) -> AppResult<Vec<Checked>> {
    let mut processed = Vec::new();
    let mut errs = ValidationErrors::new();
    for (i, f) in files.into_iter().enumerate() {
        let hash = hex::encode(Sha256::digest(&f.bytes));
        let size = f.bytes.len();
        match process(state, f.bytes).await {
            Ok(p) => processed.push((hash, size, p)),
            Err(PhotoError::Internal(m)) => return Err(AppError::Internal(anyhow::anyhow!(m))),
            Err(e) => errs.push(FieldError::new(
                format!("photos[{i}]"),
                e.code(),
                format!("{}: {e}", f.filename),
            )),
        }
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    Ok(processed)
}

/// Stores the variants of every checked photo whose hash `skip` does not name, returning the
/// hashes stored (for `cleanup` if the rows are not written); a failure removes them itself.
pub(crate) async fn store_variants(
    state: &AppState,
    processed: &[Checked],
    skip: impl Fn(&str) -> bool,
) -> AppResult<Vec<String>> {
    let mut stored: Vec<String> = Vec::new();
    for (hash, _, p) in processed {
        if skip(hash) {
            continue;
        }
        for v in &p.variants {
            let key = photo_key(hash, v.size, v.ext);
            if let Err(e) = state.blobs.put(&key, v.bytes.clone(), v.content_type).await {
                cleanup(state, &stored).await;
                return Err(e.into());
            }
            stored.push(hash.clone());
        }
    }
    Ok(stored)
}

/// The variant long sides made, as stored in a row's `sizes` ("1600,800,320").
pub(crate) fn sizes_of(p: &Processed) -> String {
    let mut sizes: Vec<String> = p.variants.iter().map(|v| v.size.to_string()).collect();
    sizes.dedup();
    sizes.join(",")
}

#[tracing::instrument(skip(state, files), fields(user = user.id, files = files.len()))]
pub async fn add(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    files: Vec<Upload>,
) -> AppResult<Vec<Model>> {
    let product = changeable(state, user, product_id).await?;
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
    let now = state.clock.now();
    let saved = async {
        let txn = state.db.begin().await?;
        let mut out = Vec::new();
        let mut position = existing.len() as i64;
        let mut has_primary = existing.iter().any(|p| p.is_primary);
        for (hash, size, p) in &processed {
            if existing.iter().chain(out.iter()).any(|e: &Model| &e.content_hash == hash) {
                continue;
            }
            let m: &QualityMetrics = &p.metrics;
            let row = repo::insert(
                &txn,
                ActiveModel {
                    id: NotSet,
                    product_id: Set(product.id),
                    position: Set(position),
                    is_primary: Set(!has_primary),
                    alt_text: Set(String::new()),
                    content_hash: Set(hash.clone()),
                    width: Set(i64::from(p.width)),
                    height: Set(i64::from(p.height)),
                    bytes: Set(*size as i64),
                    sizes: Set(sizes_of(p)),
                    sharpness: Set(m.sharpness),
                    brightness: Set(m.brightness),
                    border_spread: Set(m.border_spread),
                    border_brightness: Set(m.border_brightness),
                    created_at: Set(now),
                },
            )
            .await?;
            has_primary = true;
            position += 1;
            out.push(row);
        }
        audit::record(
            &txn,
            Some(user.id),
            "photo_add",
            "product",
            product.id,
            Some(out.len().to_string()),
            now,
        )
        .await?;
        super::search_sync::enqueue(&txn, &[product.id], now).await?;
        txn.commit().await?;
        super::standards::reevaluate_product(state, product.id).await?;
        super::search_sync::wake(state);
        Ok::<_, AppError>(out)
    }
    .await;
    match saved {
        Ok(rows) => Ok(rows),
        Err(e) => {
            cleanup(state, &stored).await;
            Err(e)
        }
    }
}

/// Removes the variants of these hashes when no row uses them any more.
pub async fn cleanup(state: &AppState, hashes: &[String]) {
    let mut hashes: Vec<&String> = hashes.iter().collect();
    hashes.sort();
    hashes.dedup();
    for h in hashes {
        // Product and inspection photos share the content-addressed blobs.
        let used = async {
            Ok::<_, sea_orm::DbErr>(
                repo::count_with_hash(&state.db, h).await?
                    + inspection_photos::count_with_hash(&state.db, h).await?,
            )
        };
        match used.await {
            Ok(0) => remove_variants(state, h).await,
            Ok(_) => {}
            Err(e) => tracing::warn!(hash = %h, error = %e, "could not check photo use"),
        }
    }
}

async fn remove_variants(state: &AppState, hash: &str) {
    let prefix = format!("photos/{}/{hash}/", &hash[..2.min(hash.len())]);
    match state.blobs.list(&prefix).await {
        Ok(list) => {
            for b in list {
                if let Err(e) = state.blobs.delete(&b.key).await {
                    tracing::warn!(key = %b.key, error = %e, "could not remove a photo variant");
                }
            }
        }
        Err(e) => tracing::warn!(hash, error = %e, "could not list photo variants"),
    }
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

pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    photo_id: i64,
    patch: PhotoPatch,
) -> AppResult<Vec<Model>> {
    let product = changeable(state, user, product_id).await?;
    let mut list = repo::for_product(&state.db, product.id).await?;
    let Some(idx) = list.iter().position(|p| p.id == photo_id) else {
        return Err(AppError::NotFound("Foto"));
    };
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
        && (p < 0 || p as usize >= list.len())
    {
        errs.push(FieldError::new(
            "position",
            "out_of_range",
            format!("Posisi harus 0 sampai {}.", list.len() - 1),
        ));
    }
    if patch.primary == Some(false) {
        errs.push(FieldError::new(
            "primary",
            "invalid_choice",
            "Pilih foto lain sebagai foto utama; foto utama tidak bisa dikosongkan.",
        ));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let txn = state.db.begin().await?;
    if let Some(a) = &patch.alt_text {
        repo::set_alt_text(&txn, photo_id, a.trim()).await?;
    }
    let moved = list.remove(idx);
    let to = patch.position.map(|p| p as usize).unwrap_or(idx);
    list.insert(to.min(list.len()), moved);
    let primary = if patch.primary == Some(true) {
        Some(photo_id)
    } else {
        list.iter().find(|p| p.is_primary).map(|p| p.id)
    };
    let ids: Vec<i64> = list.iter().map(|p| p.id).collect();
    repo::reorder(&txn, &ids, primary.or(ids.first().copied())).await?;
    audit::record(
        &txn,
        Some(user.id),
        "photo_update",
        "product",
        product.id,
        None,
        state.clock.now(),
    )
    .await?;
    super::search_sync::enqueue(&txn, &[product.id], state.clock.now()).await?;
    txn.commit().await?;
    super::standards::reevaluate_product(state, product.id).await?;
    super::search_sync::wake(state);
    Ok(repo::for_product(&state.db, product.id).await?)
}

pub async fn delete(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    photo_id: i64,
) -> AppResult<()> {
    let product = changeable(state, user, product_id).await?;
    let list = repo::for_product(&state.db, product.id).await?;
    let Some(gone) = list.iter().find(|p| p.id == photo_id).cloned() else {
        return Err(AppError::NotFound("Foto"));
    };
    let rest: Vec<&Model> = list.iter().filter(|p| p.id != photo_id).collect();
    let primary = rest.iter().find(|p| p.is_primary).or(rest.first()).map(|p| p.id);
    let ids: Vec<i64> = rest.iter().map(|p| p.id).collect();
    let txn = state.db.begin().await?;
    repo::delete(&txn, photo_id).await?;
    repo::reorder(&txn, &ids, primary).await?;
    audit::record(
        &txn,
        Some(user.id),
        "photo_delete",
        "product",
        product.id,
        None,
        state.clock.now(),
    )
    .await?;
    super::search_sync::enqueue(&txn, &[product.id], state.clock.now()).await?;
    txn.commit().await?;
    super::standards::reevaluate_product(state, product.id).await?;
    super::search_sync::wake(state);
    cleanup(state, &[gone.content_hash]).await;
    Ok(())
}

/// The variants a photo row has, as (long side, width, height).
pub fn variant_sizes(m: &Model) -> Vec<(u32, u32, u32)> {
    m.sizes
        .split(',')
        .filter_map(|s| s.parse::<u32>().ok())
        .map(|s| {
            let (w, h) = fit(m.width as u32, m.height as u32, s);
            (s, w, h)
        })
        .collect()
}
