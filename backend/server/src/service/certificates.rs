//! Certificates of a product and their documents. The document is stored first (under a
//! content-hash key) and the row written after; if the row cannot be written, a blob no row
//! uses is removed again, so nothing is half-saved.

use etalase_db::entities::certificate::{self, ActiveModel};
use etalase_db::repo::{audit, certificates as repo};
use etalase_domain::certificate::{CertificateInput, ValidCertificate};
use etalase_domain::lifecycle::ListingStatus;
use etalase_domain::ports::Blob;
use etalase_domain::roles::Role;
use etalase_media::content_key;
use sea_orm::{ActiveValue::NotSet, Set, TransactionTrait};

use super::products;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;

/// An uploaded document.
pub struct Upload {
    pub bytes: Vec<u8>,
    pub filename: String,
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

fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '))
        .take(120)
        .collect();
    if cleaned.trim().is_empty() { "dokumen".to_string() } else { cleaned }
}

#[tracing::instrument(skip(state, input, upload), fields(user = user.id))]
pub async fn add(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    input: CertificateInput,
    upload: Option<Upload>,
) -> AppResult<certificate::Model> {
    let product = products::get_owned(state, user, product_id).await?;
    if product.status == ListingStatus::Archived.as_str() {
        return Err(AppError::conflict(
            ErrorCode::Archived,
            "Produk yang diarsipkan tidak bisa ditambah sertifikat.",
        ));
    }
    let v: ValidCertificate = input.validate_with_bpom_digits(state.config.bpom_digits)?;
    let mut doc = None;
    if let Some(u) = upload.filter(|u| !u.bytes.is_empty()) {
        if u.bytes.len() > state.config.max_document_bytes {
            return Err(AppError::PayloadTooLarge(format!(
                "Dokumen terlalu besar ({} KB); maksimal {} KB.",
                u.bytes.len() / 1024,
                state.config.max_document_bytes / 1024
            )));
        }
        let Some((ctype, ext)) = sniff_document(&u.bytes) else {
            return Err(AppError::field(
                "document",
                "unsupported_type",
                "Dokumen harus berupa PDF, JPEG atau PNG.",
            ));
        };
        let key = content_key("certificates", &u.bytes, ext);
        state.blobs.put(&key, u.bytes, ctype).await?;
        doc = Some((key, ctype, clean_filename(&u.filename)));
    }
    let now = state.clock.now();
    let am = ActiveModel {
        id: NotSet,
        product_id: Set(product.id),
        kind: Set(v.kind.as_str().to_string()),
        number: Set(v.number.clone()),
        issuer: Set(v.issuer.clone()),
        issued_on: Set(v.issued_on),
        expires_on: Set(v.expires_on),
        document_key: Set(doc.as_ref().map(|d| d.0.clone())),
        document_type: Set(doc.as_ref().map(|d| d.1.to_string())),
        document_name: Set(doc.as_ref().map(|d| d.2.clone())),
        created_at: Set(now),
    };
    let saved = async {
        let txn = state.db.begin().await?;
        let m = repo::insert(&txn, am).await?;
        audit::record(
            &txn,
            Some(user.id),
            "certificate_add",
            "product",
            product.id,
            Some(m.kind.clone()),
            now,
        )
        .await?;
        super::search_sync::enqueue(&txn, &[product.id], now).await?;
        txn.commit().await?;
        super::standards::reevaluate_product(state, product.id).await?;
        super::search_sync::wake(state);
        Ok::<_, AppError>(m)
    }
    .await;
    match saved {
        Ok(m) => Ok(m),
        Err(e) => {
            if let Some((key, _, _)) = doc {
                remove_document_if_unused(state, &key).await;
            }
            Err(e)
        }
    }
}

pub async fn remove_document_if_unused(state: &AppState, key: &str) {
    match repo::count_with_document(&state.db, key).await {
        Ok(0) => {
            if let Err(e) = state.blobs.delete(key).await {
                tracing::warn!(key, error = %e, "could not remove an unused document");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(key, error = %e, "could not check document use"),
    }
}

pub async fn delete(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    cert_id: i64,
) -> AppResult<()> {
    let product = products::get_owned(state, user, product_id).await?;
    let cert = repo::find(&state.db, cert_id)
        .await?
        .filter(|c| c.product_id == product.id)
        .ok_or(AppError::NotFound("Sertifikat"))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    repo::delete(&txn, cert.id).await?;
    audit::record(
        &txn,
        Some(user.id),
        "certificate_delete",
        "product",
        product.id,
        Some(cert.number.clone()),
        now,
    )
    .await?;
    super::search_sync::enqueue(&txn, &[product.id], now).await?;
    txn.commit().await?;
    super::standards::reevaluate_product(state, product.id).await?;
    super::search_sync::wake(state);
    if let Some(key) = &cert.document_key {
        remove_document_if_unused(state, key).await;
    }
    Ok(())
}

pub async fn list(
    state: &AppState,
    user: Option<&CurrentUser>,
    product_id: i64,
) -> AppResult<Vec<certificate::Model>> {
    let product = products::get(state, user, product_id).await?;
    Ok(repo::for_product(&state.db, product.id).await?)
}

/// The document of a certificate: for the owner, the Dinas and admins, and for store-side
/// accounts once the product is published. Not for anonymous visitors.
pub async fn document(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    cert_id: i64,
) -> AppResult<(Blob, String)> {
    let product = products::get(state, Some(user), product_id).await?;
    let allowed = matches!(user.role, Role::Dinas | Role::Admin | Role::Store | Role::Chain)
        || products::is_owner(state, user, &product).await?;
    if !allowed {
        return Err(AppError::NotFound("Dokumen"));
    }
    let cert = repo::find(&state.db, cert_id)
        .await?
        .filter(|c| c.product_id == product.id)
        .ok_or(AppError::NotFound("Sertifikat"))?;
    let key = cert.document_key.ok_or(AppError::NotFound("Dokumen"))?;
    let blob = state.blobs.get(&key).await?.ok_or(AppError::NotFound("Dokumen"))?;
    Ok((blob, cert.document_name.unwrap_or_else(|| "dokumen".into())))
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
