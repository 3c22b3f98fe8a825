//! Certificates of a product and their documents. The document is stored first (under a
//! content-hash key, `service::files`) and the row written after through a `ListingChange`;
//! if the row cannot be written, a blob no row uses is removed again, so nothing is
//! half-saved.

use etalase_db::entities::certificate::{self, ActiveModel};
use etalase_db::repo::certificates as repo;
use etalase_domain::certificate::{CertificateInput, ValidCertificate};
use etalase_domain::ports::Blob;
use sea_orm::{ActiveValue::NotSet, Set};

use super::change::ListingChange;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::service::access;
use crate::service::files::{StoredDocument, remove_document_if_unused, store_document};
use crate::service::upload::Upload;
use crate::state::AppState;

#[tracing::instrument(skip(state, input, upload), fields(user = user.id))]
pub async fn add(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    input: CertificateInput,
    upload: Option<Upload>,
) -> AppResult<certificate::Model> {
    let product = access::certificate_editable_product(state, user, product_id).await?;
    let v: ValidCertificate = input.validate_with_bpom_digits(state.config.bpom_digits)?;
    let doc = match upload {
        Some(u) => store_document(state, u).await?,
        None => None,
    };
    match save(state, user, product.id, &v, doc.as_ref()).await {
        Ok(m) => Ok(m),
        Err(e) => {
            if let Some(d) = doc {
                remove_document_if_unused(state, &d.key).await;
            }
            Err(e)
        }
    }
}

async fn save(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    v: &ValidCertificate,
    doc: Option<&StoredDocument>,
) -> AppResult<certificate::Model> {
    let mut change = ListingChange::begin(state).await?;
    let am = ActiveModel {
        id: NotSet,
        product_id: Set(product_id),
        kind: Set(v.kind),
        number: Set(v.number.clone()),
        issuer: Set(v.issuer.clone()),
        issued_on: Set(v.issued_on),
        expires_on: Set(v.expires_on),
        document_key: Set(doc.map(|d| d.key.clone())),
        document_type: Set(doc.map(|d| d.content_type.to_string())),
        document_name: Set(doc.map(|d| d.name.clone())),
        created_at: Set(change.now()),
        // Checked when an officer publishes the product (P-IRT counts at once).
        checked_by: Set(None),
        checked_at: Set(None),
    };
    let m = repo::insert(change.db(), am).await?;
    change.touch_carried(product_id).await?;
    change
        .audit(user.id, "certificate_add", "product", product_id, Some(m.kind.as_str().into()))
        .await?;
    change.commit().await?;
    Ok(m)
}

pub async fn delete(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    cert_id: i64,
) -> AppResult<()> {
    let product = access::certificate_editable_product(state, user, product_id).await?;
    let cert = repo::find(&state.db, cert_id)
        .await?
        .filter(|c| c.product_id == product.id)
        .ok_or(AppError::NotFound("Sertifikat"))?;
    let mut change = ListingChange::begin(state).await?;
    repo::delete(change.db(), cert.id).await?;
    change.touch_carried(product.id).await?;
    change
        .audit(user.id, "certificate_delete", "product", product.id, Some(cert.number.clone()))
        .await?;
    change.commit().await?;
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
    let product = access::product(state, user, product_id).await?;
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
    let product = access::product(state, Some(user), product_id).await?;
    if !access::may_read_documents(state, user, &product).await? {
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
