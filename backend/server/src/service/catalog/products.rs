//! Products: a UMKM drafts, edits and submits; the Dinas publishes or rejects (with a reason
//! the UMKM sees); anyone sees what is published.

use etalase_db::entities::product::ActiveModel;
use etalase_db::entities::{certificate, product};
use etalase_db::repo::products::{self as repo, ProductFilter};
use etalase_db::repo::{Page, PageReq, Versioned, certificates, photos, producers, versioned};
use etalase_domain::lifecycle::{ListingAction, ListingStatus};
use etalase_domain::producer::ProducerStatus;
use etalase_domain::product::{ProductInput, ValidProduct};
use etalase_domain::roles::Role;
use sea_orm::{ActiveValue::NotSet, Set};
use serde_json::Value;

use super::change::ListingChange;
use super::views::ProductView;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::access::{self, own_producer};
use crate::service::{files, patch};
use crate::state::AppState;

const WHAT: &str = "Produk";

/// The product's fields from a validated form (shared with the product import).
pub(crate) fn apply(am: &mut ActiveModel, v: &ValidProduct, now: chrono::DateTime<chrono::Utc>) {
    am.name = Set(v.name.clone());
    am.category = Set(v.category.slug.clone());
    am.description = Set(v.description.clone());
    am.brand = Set(v.brand.clone());
    am.gtin = Set(v.gtin.as_ref().map(|g| g.as_str().to_string()));
    am.net_content = Set(v.net_content);
    am.net_unit = Set(v.net_unit);
    am.pack_size = Set(v.pack_size);
    am.packaging = Set(v.packaging);
    am.shelf_life_days = Set(v.shelf_life_days);
    am.storage = Set(v.storage);
    am.wholesale_price = Set(v.wholesale_price.map(|r| r.value()));
    am.retail_price = Set(v.retail_price.map(|r| r.value()));
    am.min_order = Set(v.min_order);
    am.monthly_capacity = Set(v.monthly_capacity);
    am.updated_at = Set(now);
}

/// The input form of a stored product (for PATCH merges and edit forms).
pub fn input_of(m: &product::Model) -> ProductInput {
    ProductInput {
        name: m.name.clone(),
        category: m.category.clone(),
        description: m.description.clone(),
        brand: m.brand.clone(),
        gtin: m.gtin.clone(),
        net_content: m.net_content,
        net_unit: m.net_unit.map(|u| u.as_str().to_string()),
        pack_size: m.pack_size,
        packaging: m.packaging.map(|p| p.as_str().to_string()),
        shelf_life_days: m.shelf_life_days,
        storage: Some(m.storage.as_str().to_string()),
        wholesale_price: m.wholesale_price,
        retail_price: m.retail_price,
        min_order: m.min_order,
        monthly_capacity: m.monthly_capacity,
    }
}

#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    input: ProductInput,
) -> AppResult<product::Model> {
    let producer = own_producer(state, user).await?;
    let v = input.validate()?;
    let now = state.clock.now();
    let mut am = ActiveModel {
        id: NotSet,
        producer_id: Set(producer.id),
        status: Set(ListingStatus::Draft),
        status_reason: Set(None),
        version: Set(1),
        created_at: Set(now),
        submitted_at: Set(None),
        published_at: Set(None),
        ..Default::default()
    };
    apply(&mut am, &v, now);
    let mut change = ListingChange::begin(state).await?;
    let m = repo::insert(change.db(), am).await?;
    change.touch([m.id]);
    change.audit(user.id, "product_create", "product", m.id, None).await?;
    change.commit().await?;
    Ok(m)
}

pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    mut f: ProductFilter,
    req: PageReq,
) -> AppResult<Page<product::Model>> {
    match user.role {
        Role::Dinas | Role::Admin => {}
        Role::Umkm => {
            let Some(p) = producers::find_by_owner(&state.db, user.id).await? else {
                return Ok(Page {
                    items: vec![],
                    total: 0,
                    page: req.page,
                    per_page: req.per_page,
                });
            };
            f.producer_id = Some(p.id);
        }
        // Government buyers browse the catalog as the store side does.
        Role::Store | Role::Chain | Role::Buyer => {
            f.status = Some(ListingStatus::Published);
            f.listed_only = true;
        }
    }
    Ok(repo::list(&state.db, &f, req).await?)
}

#[tracing::instrument(skip(state, body), fields(user = user.id))]
pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    body: Value,
) -> AppResult<product::Model> {
    let current = access::owned_product(state, user, id).await?;
    let (version, input) = patch::merge(&input_of(&current), body)?;
    update_validated(state, user, current, version, input).await
}

pub async fn update_validated(
    state: &AppState,
    user: &CurrentUser,
    current: product::Model,
    version: i64,
    input: ProductInput,
) -> AppResult<product::Model> {
    let status = current.status;
    if !status.is_editable() {
        return Err(AppError::conflict(
            ErrorCode::NotEditable,
            format!(
                "Produk berstatus \"{}\" tidak bisa diubah. {}",
                status.label(),
                if status == ListingStatus::Published {
                    "Pilih \"Ajukan perubahan\" dulu (produk kembali menjadi draf), lalu ajukan kembali."
                } else {
                    "Hanya draf atau produk yang ditolak yang bisa diubah."
                }
            ),
        ));
    }
    let v = input.validate()?;
    let now = state.clock.now();
    let mut am = ActiveModel { version: Set(version + 1), ..Default::default() };
    apply(&mut am, &v, now);
    let mut change = ListingChange::begin(state).await?;
    let m = saved(versioned::update(change.db(), current.id, version, am).await?)?;
    change.touch([m.id]);
    change.audit(user.id, "product_update", "product", m.id, None).await?;
    change.commit().await?;
    Ok(m)
}

/// The updated row of a versioned update, or why there is none.
fn saved(v: Versioned<product::Model>) -> AppResult<product::Model> {
    match v {
        Versioned::Updated(m) => Ok(m),
        Versioned::Stale => Err(AppError::version_conflict()),
        Versioned::Missing => Err(AppError::NotFound(WHAT)),
    }
}

/// Moves a product through its lifecycle. Submit/Revise are the owner's, Publish/Reject the
/// Dinas', Archive either's. `version`, when given, must match.
#[tracing::instrument(skip(state), fields(user = user.id))]
pub async fn transition(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: ListingAction,
    reason: Option<String>,
    version: Option<i64>,
) -> AppResult<product::Model> {
    let current = access::product_for_transition(state, user, id).await?;
    let status = current.status;
    let next = status.apply(action, access::acting_role(state, user, &current, action).await?)?;
    if let Some(v) = version
        && v != current.version
    {
        return Err(AppError::version_conflict());
    }
    let reason = crate::service::clean(reason);
    if action == ListingAction::Reject
        && !reason.as_ref().is_some_and(|r| (5..=1000).contains(&r.chars().count()))
    {
        return Err(AppError::field(
            "reason",
            "required",
            "Alasan penolakan wajib diisi (5–1000 karakter) agar pelaku UMKM tahu apa yang harus diperbaiki.",
        ));
    }
    if action == ListingAction::Publish {
        let producer = producers::find(&state.db, current.producer_id).await?;
        if producer.is_none_or(|p| p.status != ProducerStatus::Verified) {
            return Err(AppError::conflict(
                ErrorCode::ProducerNotVerified,
                "Usaha pemilik produk ini belum diverifikasi. Verifikasi usahanya dulu sebelum menayangkan produk.",
            ));
        }
    }
    let now = state.clock.now();
    let mut am = ActiveModel {
        status: Set(next),
        version: Set(current.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    match action {
        ListingAction::Reject => am.status_reason = Set(reason.clone()),
        ListingAction::Submit => {
            am.submitted_at = Set(Some(now));
            am.status_reason = Set(None);
        }
        ListingAction::Publish => {
            am.published_at = Set(Some(now));
            am.status_reason = Set(None);
        }
        ListingAction::Archive | ListingAction::Revise => {}
    }
    let mut change = ListingChange::begin(state).await?;
    let m = saved(versioned::update(change.db(), id, current.version, am).await?)?;
    if action == ListingAction::Publish {
        // The officer publishing the product has checked its certificates.
        certificates::mark_checked(change.db(), id, user.id, now).await?;
    }
    change.touch([id]);
    change.audit(user.id, &format!("product_{}", action.as_str()), "product", id, reason).await?;
    change.commit().await?;
    Ok(m)
}

/// Builds views for a list of products with their producers and certificates, in two queries.
pub async fn views(state: &AppState, items: &[product::Model]) -> AppResult<Vec<ProductView>> {
    let today = state.clock.today_wib();
    let mut producer_ids: Vec<i64> = items.iter().map(|p| p.producer_id).collect();
    producer_ids.sort_unstable();
    producer_ids.dedup();
    let prods = producers::find_many(&state.db, producer_ids).await?;
    let ids: Vec<i64> = items.iter().map(|p| p.id).collect();
    let certs: Vec<certificate::Model> = certificates::for_products(&state.db, ids.clone()).await?;
    let pics = photos::for_products(&state.db, ids).await?;
    let mut officers: Vec<i64> = certs.iter().filter_map(|c| c.checked_by).collect();
    officers.sort_unstable();
    officers.dedup();
    let names = etalase_db::repo::users::names(&state.db, officers).await?;
    Ok(items
        .iter()
        .map(|p| {
            let pr = prods.iter().find(|x| x.id == p.producer_id);
            let cs: Vec<certificate::Model> =
                certs.iter().filter(|c| c.product_id == p.id).cloned().collect();
            let ph: Vec<_> = pics.iter().filter(|x| x.product_id == p.id).cloned().collect();
            let mut v = ProductView::new(p, pr, &cs, &ph, today);
            for cv in v.certificates.iter_mut() {
                if let Some(m) = cs.iter().find(|m| m.id == cv.id) {
                    let who = m.checked_by.and_then(|id| names.get(&id)).map(String::as_str);
                    *cv = cv.clone().with_officer(m, who);
                }
            }
            v
        })
        .collect())
}

pub async fn view(state: &AppState, p: &product::Model) -> AppResult<ProductView> {
    let mut v = views(state, std::slice::from_ref(p)).await?;
    v.pop().ok_or(AppError::NotFound(WHAT))
}

/// One product as `user` may see it: without trade terms unless `user` is the owner, the Dinas,
/// an admin or a buyer (see `access::sees_trade_terms`).
pub async fn view_for(
    state: &AppState,
    user: Option<&CurrentUser>,
    p: &product::Model,
) -> AppResult<ProductView> {
    let v = view(state, p).await?;
    Ok(if crate::service::access::sees_trade_terms(state, user, p).await? { v } else { v.public() })
}

/// The public catalog: published products only.
pub async fn catalog(
    state: &AppState,
    mut f: ProductFilter,
    req: PageReq,
) -> AppResult<Page<ProductView>> {
    f.status = Some(ListingStatus::Published);
    f.listed_only = true;
    f.producer_id = None;
    f.newest_first = true;
    let page = repo::list(&state.db, &f, req).await?;
    let items = views(state, &page.items).await?.into_iter().map(ProductView::public).collect();
    Ok(Page { items, total: page.total, page: page.page, per_page: page.per_page })
}

/// The owner deletes a product that was never published (draft or rejected); its photos and
/// documents go too when nothing else uses them.
#[tracing::instrument(skip(state), fields(user = user.id))]
pub async fn delete(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<()> {
    let current = access::owned_product(state, user, id).await?;
    let status = current.status;
    if !matches!(status, ListingStatus::Draft | ListingStatus::Rejected)
        || current.published_at.is_some()
    {
        return Err(AppError::conflict(
            ErrorCode::NotDeletable,
            "Hanya draf atau produk ditolak yang belum pernah tayang yang bisa dihapus; arsipkan produk lainnya.",
        ));
    }
    let pics = photos::for_product(&state.db, id).await?;
    let docs: Vec<String> = certificates::for_product(&state.db, id)
        .await?
        .into_iter()
        .filter_map(|c| c.document_key)
        .collect();
    let mut change = ListingChange::begin(state).await?;
    repo::delete(change.db(), id).await?;
    change.touch([id]);
    change.audit(user.id, "product_delete", "product", id, Some(current.name.clone())).await?;
    change.commit().await?;
    let hashes: Vec<String> = pics.into_iter().map(|p| p.content_hash).collect();
    files::remove_unused_photos(state, &hashes).await;
    for key in docs {
        files::remove_document_if_unused(state, &key).await;
    }
    Ok(())
}
