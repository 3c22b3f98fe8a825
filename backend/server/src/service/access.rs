//! Who may see and change what in the catalog, in one place: a listed product (published, of a
//! verified business) is visible to anyone; a draft, submitted, rejected or archived one only to its owner, the Dinas and
//! admins. Changes belong to the owner (photos also to the Dinas). Another tenant's object is
//! "not found", so ids of drafts do not leak.

use etalase_db::entities::{producer, product};
use etalase_db::repo::{producers, products};
use etalase_domain::lifecycle::ListingStatus;
use etalase_domain::roles::Role;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;

const PRODUCT: &str = "Produk";

/// The caller's own business; a UMKM without one is told to register it first.
pub async fn own_producer(state: &AppState, user: &CurrentUser) -> AppResult<producer::Model> {
    user.require(&[Role::Umkm])?;
    producers::find_by_owner(&state.db, user.id).await?.ok_or_else(|| {
        AppError::conflict(
            ErrorCode::ProducerRequired,
            "Daftarkan data usaha Anda terlebih dahulu sebelum menambah produk.",
        )
    })
}

/// Is `user` the owner of this product's producer?
pub async fn owns_product(
    state: &AppState,
    user: &CurrentUser,
    p: &product::Model,
) -> AppResult<bool> {
    if user.role != Role::Umkm {
        return Ok(false);
    }
    Ok(producers::find(&state.db, p.producer_id)
        .await?
        .is_some_and(|pr| pr.owner_user_id == Some(user.id)))
}

/// A product as `user` may see it: published ones to anyone, others to the owner, the Dinas
/// and admins. Anything else is "not found".
pub async fn product(
    state: &AppState,
    user: Option<&CurrentUser>,
    id: i64,
) -> AppResult<product::Model> {
    let m = products::find(&state.db, id).await?.ok_or(AppError::NotFound(PRODUCT))?;
    if is_listed(state, &m).await? {
        return Ok(m);
    }
    match user {
        Some(u) if matches!(u.role, Role::Dinas | Role::Admin) => Ok(m),
        Some(u) if owns_product(state, u, &m).await? => Ok(m),
        _ => Err(AppError::NotFound(PRODUCT)),
    }
}

/// The owner's product, for changes; another tenant's product is "not found", a product the
/// caller may see but not change is "forbidden".
pub async fn owned_product(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> AppResult<product::Model> {
    let m = products::find(&state.db, id).await?.ok_or(AppError::NotFound(PRODUCT))?;
    if owns_product(state, user, &m).await? {
        return Ok(m);
    }
    if matches!(user.role, Role::Dinas | Role::Admin) || m.status == ListingStatus::Published {
        return Err(AppError::Forbidden(
            "Hanya pemilik produk yang boleh mengubah produk ini.".into(),
        ));
    }
    Err(AppError::NotFound(PRODUCT))
}

/// The product whose photos `user` may change: the owning UMKM's while editable (draft or
/// rejected), or any for the Dinas.
pub async fn photo_editable_product(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> AppResult<product::Model> {
    if user.role == Role::Dinas {
        return product(state, Some(user), id).await;
    }
    let m = owned_product(state, user, id).await?;
    require_editable(&m, "foto")?;
    Ok(m)
}

/// The product whose certificates `user` may add or remove: the owner's, while editable.
pub async fn certificate_editable_product(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> AppResult<product::Model> {
    let m = owned_product(state, user, id).await?;
    require_editable(&m, "sertifikat")?;
    Ok(m)
}

/// The product whose lifecycle `user` may move: the Dinas acts on any it can see, everyone
/// else only on their own.
pub async fn product_for_transition(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> AppResult<product::Model> {
    match user.role {
        Role::Dinas => product(state, Some(user), id).await,
        _ => owned_product(state, user, id).await,
    }
}

/// The role `user` acts in for `action` on `p`: a Dinas officer accompanying a business that
/// has no account of its own (pendampingan, or imported) submits and revises its products on
/// its behalf, as its owner would; otherwise the user's own role.
pub async fn acting_role(
    state: &AppState,
    user: &CurrentUser,
    p: &product::Model,
    action: etalase_domain::lifecycle::ListingAction,
) -> AppResult<Role> {
    use etalase_domain::lifecycle::ListingAction as A;
    if user.role != Role::Dinas || !matches!(action, A::Submit | A::Revise) {
        return Ok(user.role);
    }
    let accompanies = producers::find(&state.db, p.producer_id)
        .await?
        .is_some_and(|pr| pr.owner_user_id.is_none() && pr.companion_user_id == Some(user.id));
    Ok(if accompanies { Role::Umkm } else { user.role })
}

/// May `user` download this (visible) product's certificate documents? The owner, the Dinas,
/// admins, and store-side accounts (the product is then published); never anonymous callers.
pub async fn may_read_documents(
    state: &AppState,
    user: &CurrentUser,
    p: &product::Model,
) -> AppResult<bool> {
    Ok(matches!(user.role, Role::Dinas | Role::Admin | Role::Store | Role::Chain)
        || owns_product(state, user, p).await?)
}

/// Is the product listed: published, of a business the Dinas has verified (and not rejected
/// since)? Only listed products reach the public, search, buyers and new agreements.
pub async fn is_listed(state: &AppState, p: &product::Model) -> AppResult<bool> {
    if p.status != ListingStatus::Published {
        return Ok(false);
    }
    Ok(producers::find(&state.db, p.producer_id)
        .await?
        .is_some_and(|pr| pr.status == etalase_domain::producer::ProducerStatus::Verified))
}

/// Changes after review are reviewed: the owner changes fields, certificates and photos only on
/// a draft or rejected product. On a submitted or published one the change is refused: the
/// owner first asks for a change ("Ajukan perubahan", which takes the product back to draft and
/// out of the catalog), and the Dinas reviews the result before it is public again.
pub fn require_editable(p: &product::Model, what: &str) -> AppResult<()> {
    let detail = match p.status {
        ListingStatus::Draft | ListingStatus::Rejected => return Ok(()),
        ListingStatus::Published => format!(
            "Produk ini sudah tayang setelah ditinjau Dinas: {what} hanya bisa diubah lewat \
             \"Ajukan perubahan\" (produk kembali menjadi draf, lalu ditinjau ulang sebelum \
             tayang lagi)."
        ),
        ListingStatus::Submitted => format!(
            "Produk ini sedang ditinjau Dinas: {what} tidak bisa diubah sampai hasil tinjauan \
             keluar."
        ),
        ListingStatus::Archived => {
            return Err(AppError::conflict(
                ErrorCode::Archived,
                format!("Produk yang diarsipkan tidak bisa diubah ({what})."),
            ));
        }
    };
    Err(AppError::conflict(ErrorCode::NotEditable, detail))
}

/// May `user` see this product's trade terms (wholesale price, minimum order, capacity, review
/// notes)? The owner, the Dinas, admins and the buyers (store and chain accounts); not other
/// UMKM, and not anonymous visitors.
pub async fn sees_trade_terms(
    state: &AppState,
    user: Option<&CurrentUser>,
    p: &product::Model,
) -> AppResult<bool> {
    match user {
        None => Ok(false),
        Some(u) if matches!(u.role, Role::Dinas | Role::Admin | Role::Store | Role::Chain) => {
            Ok(true)
        }
        Some(u) => owns_product(state, u, p).await,
    }
}

/// Who may fetch a stored photo (`GET /media/…`, content-addressed by `hash`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaAccess {
    /// A photo of a listed product: anyone, cacheable by anyone.
    Public,
    /// Only this caller may see it (an unreviewed product's photo for its owner or the Dinas,
    /// an inspection's shelf photo for the Dinas and the inspected store's side).
    Private,
    /// Not for this caller (answered as "not found").
    Hidden,
}

/// Decides [`MediaAccess`] for the photo with this content hash.
pub async fn media_access(
    state: &AppState,
    user: Option<&CurrentUser>,
    hash: &str,
) -> AppResult<MediaAccess> {
    let product_ids = etalase_db::repo::photos::product_ids_with_hash(&state.db, hash).await?;
    if !products::listed_among(&state.db, product_ids.clone()).await?.is_empty() {
        return Ok(MediaAccess::Public);
    }
    let Some(u) = user else { return Ok(MediaAccess::Hidden) };
    if matches!(u.role, Role::Dinas | Role::Admin) {
        let used = !product_ids.is_empty()
            || etalase_db::repo::inspection_photos::count_with_hash(&state.db, hash).await? > 0;
        return Ok(if used { MediaAccess::Private } else { MediaAccess::Hidden });
    }
    for id in product_ids {
        if let Some(p) = products::find(&state.db, id).await?
            && owns_product(state, u, &p).await?
        {
            return Ok(MediaAccess::Private);
        }
    }
    let stores = etalase_db::repo::inspection_photos::store_ids_with_hash(&state.db, hash).await?;
    for id in stores {
        if let Some(s) = etalase_db::repo::stores::find(&state.db, id).await?
            && crate::service::retail::sees_store(u, &s)
        {
            return Ok(MediaAccess::Private);
        }
    }
    Ok(MediaAccess::Hidden)
}
