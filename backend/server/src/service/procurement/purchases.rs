//! Purchase records of a buyer (Pasal 11(e)): the buyer account records, corrects and deletes
//! its own organisation's purchases (each change in the audit log); the Dinas and admins read
//! every buyer's. Another organisation's purchase is "not found".

use chrono::NaiveDate;
use etalase_db::entities::procurement_purchase::{ActiveModel, Model};
use etalase_db::repo::{Page, PageReq, audit, procurement as repo, producers};
use etalase_domain::procurement::{PurchaseInput, Supplier, ValidPurchase};
use etalase_domain::producer::ProducerStatus;
use sea_orm::{ActiveValue::NotSet, Set};
use serde::Serialize;
use utoipa::ToSchema;

use super::{BUYER, Scope, own_buyer, scope};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const WHAT: &str = "Catatan belanja";

/// One purchase record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PurchaseView {
    pub id: i64,
    pub buyer_id: i64,
    /// `YYYY-MM-DD` (WIB calendar).
    #[schema(value_type = String)]
    pub date: NaiveDate,
    /// Whole rupiah.
    pub value: i64,
    pub description: String,
    pub category: String,
    pub category_label: String,
    /// The catalog business paid, if any.
    pub producer_id: Option<i64>,
    pub supplier_name: String,
    pub local_umkm: bool,
}

impl From<&Model> for PurchaseView {
    fn from(m: &Model) -> Self {
        PurchaseView {
            id: m.id,
            buyer_id: m.buyer_id,
            date: m.purchase_date,
            value: m.value,
            description: m.description.clone(),
            category: m.category.as_str().into(),
            category_label: m.category.label().into(),
            producer_id: m.producer_id,
            supplier_name: m.supplier_name.clone(),
            local_umkm: m.local_umkm,
        }
    }
}

/// Checks the input; a catalog supplier must be a verified business (its name is kept).
async fn checked(
    state: &AppState,
    input: &PurchaseInput,
) -> AppResult<(ValidPurchase, Option<i64>, String, bool)> {
    let v = input.validate(state.clock.today_wib())?;
    let (producer_id, name, local) = match &v.supplier {
        Supplier::Catalog(id) => {
            let p = producers::find(&state.db, *id)
                .await?
                .filter(|p| p.status == ProducerStatus::Verified)
                .ok_or_else(|| {
                    AppError::field(
                        "producer_id",
                        "not_found",
                        "UMKM ini tidak ada di katalog (atau belum diverifikasi Dinas).",
                    )
                })?;
            (Some(p.id), p.name, true)
        }
        Supplier::Other { name, local_umkm } => (None, name.clone(), *local_umkm),
    };
    Ok((v, producer_id, name, local))
}

fn summary(m: &Model) -> String {
    format!(
        "{} · Rp{} · {} · {}{}",
        m.purchase_date,
        m.value,
        m.category.as_str(),
        m.supplier_name,
        if m.local_umkm { " (UMKM lokal)" } else { "" }
    )
}

/// A buyer records a purchase of its organisation.
#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    input: PurchaseInput,
) -> AppResult<Model> {
    let buyer_id = own_buyer(state, user).await?;
    let (v, producer_id, name, local) = checked(state, &input).await?;
    let now = state.clock.now();
    let am = ActiveModel {
        id: NotSet,
        buyer_id: Set(buyer_id),
        purchase_date: Set(v.date),
        value: Set(v.value),
        description: Set(v.description),
        category: Set(v.category),
        producer_id: Set(producer_id),
        supplier_name: Set(name),
        local_umkm: Set(local),
        created_by: Set(Some(user.id)),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let tx = etalase_db::begin_write(&state.db).await?;
    let m = repo::insert_purchase(&tx, am).await?;
    audit::record(
        &tx,
        Some(user.id),
        "purchase_recorded",
        "procurement_purchase",
        m.id,
        Some(summary(&m)),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

/// A purchase `user` may see: any for the Dinas, its own organisation's for a buyer.
pub async fn get(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Model> {
    let s = scope(state, user).await?;
    let m = repo::find_purchase(&state.db, id).await?.ok_or(AppError::NotFound(WHAT))?;
    match s {
        Scope::Own(b) if b != m.buyer_id => Err(AppError::NotFound(WHAT)),
        _ => Ok(m),
    }
}

/// A purchase the caller (a buyer) may change: its own organisation's.
async fn own(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Model> {
    let buyer_id = own_buyer(state, user).await?;
    let m = repo::find_purchase(&state.db, id).await?.ok_or(AppError::NotFound(WHAT))?;
    if m.buyer_id != buyer_id {
        return Err(AppError::NotFound(WHAT));
    }
    Ok(m)
}

/// The buyer corrects a purchase (every field at once).
#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn correct(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    input: PurchaseInput,
) -> AppResult<Model> {
    let current = own(state, user, id).await?;
    let (v, producer_id, name, local) = checked(state, &input).await?;
    let now = state.clock.now();
    let before = summary(&current);
    let mut am: ActiveModel = current.into();
    am.purchase_date = Set(v.date);
    am.value = Set(v.value);
    am.description = Set(v.description);
    am.category = Set(v.category);
    am.producer_id = Set(producer_id);
    am.supplier_name = Set(name);
    am.local_umkm = Set(local);
    am.updated_at = Set(now);
    let tx = etalase_db::begin_write(&state.db).await?;
    let m = repo::update_purchase(&tx, am).await?;
    let what = format!("{before} → {}", summary(&m));
    audit::record(
        &tx,
        Some(user.id),
        "purchase_corrected",
        "procurement_purchase",
        id,
        Some(what),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

/// The buyer deletes a purchase recorded by mistake.
#[tracing::instrument(skip(state), fields(user = user.id))]
pub async fn delete(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Model> {
    let current = own(state, user, id).await?;
    let now = state.clock.now();
    let tx = etalase_db::begin_write(&state.db).await?;
    if repo::delete_purchase(&tx, id).await? == 0 {
        return Err(AppError::NotFound(WHAT));
    }
    audit::record(
        &tx,
        Some(user.id),
        "purchase_deleted",
        "procurement_purchase",
        id,
        Some(summary(&current)),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(current)
}

/// One page of purchases, newest first: a buyer's own; for the Dinas all, or one buyer's.
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    buyer_id: Option<i64>,
    year: Option<i32>,
    req: PageReq,
) -> AppResult<Page<Model>> {
    let buyer = scope(state, user).await?.filter(buyer_id)?;
    if let Some(b) = buyer
        && repo::find_buyer(&state.db, b).await?.is_none()
    {
        return Err(AppError::NotFound(BUYER));
    }
    Ok(repo::purchases(&state.db, buyer, year, req).await?)
}
