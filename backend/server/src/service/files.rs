//! Stored files of the catalog and of inspections: photos checked (header limits before
//! decoding, decoding on the blocking pool under a semaphore) and stored as content-addressed
//! variants, certificate documents recognised by their bytes, and clean-up of blobs no row
//! uses any more. Blobs are stored before rows are written; a failure in between removes
//! them again, so nothing is half-saved.

use etalase_db::repo::{certificates, inspection_photos, photos as repo};
use etalase_domain::error::{FieldError, ValidationErrors};
use etalase_media::keys::{photo_key, photo_prefix};
use etalase_media::photo::{self, PhotoError, Processed};
use sha2::{Digest, Sha256};

use super::upload::Upload;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

async fn process(state: &AppState, bytes: Vec<u8>) -> Result<Processed, PhotoError> {
    let limits = state.config.photo_limits();
    // Cheap header checks first, outside the semaphore: hostile files never wait for a slot.
    photo::probe(&bytes, &limits)?;
    let _permit =
        state.photo_permits.acquire().await.map_err(|e| PhotoError::Internal(e.to_string()))?;
    let started = std::time::Instant::now();
    let done = tokio::task::spawn_blocking(move || photo::process(&bytes, &limits))
        .await
        .map_err(|e| PhotoError::Internal(e.to_string()))?;
    state.metrics.photo_processed(started.elapsed().as_secs_f64());
    done
}

/// One upload decoded and checked: its SHA-256 (hex), its size in bytes and its variants.
pub type Checked = (String, usize, Processed);

/// Decodes and checks every file; one bad file refuses them all, each error naming `photos[i]`.
pub async fn check_all(state: &AppState, files: Vec<Upload>) -> AppResult<Vec<Checked>> {
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
/// hashes stored (for `remove_unused_photos` if the rows are not written); a failure removes them itself.
pub async fn store_variants(
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
                remove_unused_photos(state, &stored).await;
                return Err(e.into());
            }
            stored.push(hash.clone());
        }
    }
    Ok(stored)
}

/// The variant long sides made, as stored in a row's `sizes` ("1600,800,320").
pub fn sizes_of(p: &Processed) -> String {
    let mut sizes: Vec<String> = p.variants.iter().map(|v| v.size.to_string()).collect();
    sizes.dedup();
    sizes.join(",")
}

/// Removes the variants of these hashes when no row uses them any more.
pub async fn remove_unused_photos(state: &AppState, hashes: &[String]) {
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
    let prefix = photo_prefix(hash);
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

/// Content type from the file's first bytes — never from the name or the client's header.
pub fn sniff_document(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(("image/png", "png"))
    } else {
        None
    }
}

pub fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '))
        .take(120)
        .collect();
    if cleaned.trim().is_empty() { "dokumen".to_string() } else { cleaned }
}

/// A certificate document, stored: its key, content type and cleaned file name.
pub struct StoredDocument {
    pub key: String,
    pub content_type: &'static str,
    pub name: String,
}

/// Checks an uploaded certificate document (size, type from its bytes) and stores it under a
/// content-hash key. An empty upload is no document.
pub async fn store_document(state: &AppState, upload: Upload) -> AppResult<Option<StoredDocument>> {
    if upload.bytes.is_empty() {
        return Ok(None);
    }
    let max = state.config.max_document_bytes;
    if upload.bytes.len() > max {
        return Err(AppError::PayloadTooLarge(format!(
            "Dokumen terlalu besar ({} KB); maksimal {} KB.",
            upload.bytes.len() / 1024,
            max / 1024
        )));
    }
    let Some((content_type, ext)) = sniff_document(&upload.bytes) else {
        return Err(AppError::field(
            "document",
            "unsupported_type",
            "Dokumen harus berupa PDF, JPEG atau PNG.",
        ));
    };
    let key = etalase_media::content_key("certificates", &upload.bytes, ext);
    state.blobs.put(&key, upload.bytes, content_type).await?;
    Ok(Some(StoredDocument { key, content_type, name: clean_filename(&upload.filename) }))
}

/// Removes a certificate document when no certificate refers to it any more.
pub async fn remove_document_if_unused(state: &AppState, key: &str) {
    match certificates::count_with_document(&state.db, key).await {
        Ok(0) => {
            if let Err(e) = state.blobs.delete(key).await {
                tracing::warn!(key, error = %e, "could not remove an unused document");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(key, error = %e, "could not check document use"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_recognised_by_their_bytes_not_their_name() {
        assert_eq!(sniff_document(b"%PDF-1.7 ..."), Some(("application/pdf", "pdf")));
        assert_eq!(sniff_document(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(("image/jpeg", "jpg")));
        assert_eq!(sniff_document(b"<html><script>"), None);
        assert_eq!(sniff_document(b""), None);
    }

    #[test]
    fn file_names_lose_their_paths_and_odd_characters() {
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("C:\\Users\\x\\pirt<1>.pdf"), "pirt1.pdf");
        assert_eq!(clean_filename("///"), "dokumen");
    }
}
