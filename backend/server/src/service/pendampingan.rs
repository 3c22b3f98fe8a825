//! Pendampingan (Perwal 74/2023 Pasal 3(2)–(4)): a Dinas officer registers a business that has
//! no NIB yet on its behalf, as its companion. The business may hold draft products (imported,
//! or submitted by its companion) and its eligibility already names what it misses; nothing is
//! published until its NIB is entered and a Dinas officer verifies it. The officer's list shows
//! each accompanied business and what it still needs, in the order that unlocks most standards
//! first (`etalase_domain::producer::assist`).

use etalase_db::entities::producer::{ActiveModel, Model};
use etalase_db::repo::{Versioned, audit, producers as repo, products, versioned};
use etalase_domain::identifiers::Nib;
use etalase_domain::producer::assist::ordered_needs;
use etalase_domain::producer::{ProducerInput, ProducerStatus};
use etalase_domain::roles::Role;
use etalase_domain::standards::ItemStatus;
use sea_orm::{ActiveValue::NotSet, Set};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::catalog::change::ListingChange;
use crate::service::catalog::views::ProducerView;
use crate::service::producers::apply;
use crate::state::AppState;

/// What an accompanied business still needs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeedView {
    pub label: String,
    /// (product, standard) pairs that become eligible once this and the needs above are done.
    pub unlocks: usize,
    /// Pairs that fail it now.
    pub blocks: usize,
}

/// A business the officer accompanies.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccompaniedView {
    pub producer: ProducerView,
    pub products: usize,
    /// (product, standard in force) pairs already eligible.
    pub eligible_pairs: usize,
    /// In the order that unlocks most standards first.
    pub needs: Vec<NeedView>,
}

const NIB_NEED: &str = "NIB dari OSS, lalu verifikasi Dinas";
const VERIFY_NEED: &str = "Verifikasi usaha oleh Dinas";

/// The Dinas registers a business on its behalf: without a NIB it is in pendampingan; with one,
/// verified by the officer. The officer is its companion either way. It gets the key `PD-<id>`
/// for the product import.
#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn register(
    state: &AppState,
    user: &CurrentUser,
    input: ProducerInput,
) -> AppResult<Model> {
    user.require(&[Role::Dinas])?;
    let v = input.validate_assisted(None)?;
    let now = state.clock.now();
    let has_nib = v.nib.is_some();
    let mut am = ActiveModel {
        id: NotSet,
        owner_user_id: Set(None),
        status: Set(if has_nib { ProducerStatus::Verified } else { ProducerStatus::Pendampingan }),
        status_reason: Set(None),
        reviewed_by: Set(has_nib.then_some(user.id)),
        reviewed_at: Set(has_nib.then_some(now)),
        companion_user_id: Set(Some(user.id)),
        external_id: Set(None),
        version: Set(1),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut am, &v, now);
    let m = repo::insert(&state.db, am).await.map_err(|e| match AppError::from(e) {
        AppError::Conflict { .. } => AppError::conflict(
            ErrorCode::NibTaken,
            "NIB ini sudah dipakai usaha lain yang terdaftar di Etalase.",
        ),
        other => other,
    })?;
    // A key for the product import (`usaha` column) while the business has no NIB.
    let mut key: ActiveModel = m.into();
    key.external_id = Set(Some(format!("PD-{}", key.id.clone().unwrap())));
    let m = sea_orm::ActiveModelTrait::update(key, &state.db).await?;
    let what = if has_nib {
        "didaftarkan Dinas, NIB terverifikasi"
    } else {
        "didaftarkan Dinas, pendampingan"
    };
    audit::record(
        &state.db,
        Some(user.id),
        "producer_assisted_register",
        "producer",
        m.id,
        Some(what.into()),
        now,
    )
    .await?;
    Ok(m)
}

/// The companion (or any Dinas officer) enters the NIB of a business in pendampingan. It stays
/// in pendampingan until an officer verifies it.
#[tracing::instrument(skip(state), fields(user = user.id))]
pub async fn enter_nib(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    nib: &str,
) -> AppResult<Model> {
    user.require(&[Role::Dinas])?;
    let nib =
        Nib::parse("nib", nib).map_err(|fe| AppError::field(&fe.field, fe.code, fe.message))?;
    let current = repo::find(&state.db, id).await?.ok_or(AppError::NotFound("Data usaha"))?;
    if current.status != ProducerStatus::Pendampingan {
        return Err(AppError::conflict(
            ErrorCode::NotEditable,
            "NIB diisi di sini hanya untuk usaha dalam pendampingan.",
        ));
    }
    let now = state.clock.now();
    let am = ActiveModel {
        nib: Set(Some(nib.as_str().to_string())),
        version: Set(current.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    let mut change = ListingChange::begin(state).await?;
    let m = match versioned::update(change.db(), id, current.version, am).await {
        Ok(Versioned::Updated(m)) => m,
        Ok(Versioned::Stale) => return Err(AppError::version_conflict()),
        Ok(Versioned::Missing) => return Err(AppError::NotFound("Data usaha")),
        Err(e) => {
            return Err(match AppError::from(e) {
                AppError::Conflict { .. } => AppError::conflict(
                    ErrorCode::NibTaken,
                    "NIB ini sudah dipakai usaha lain yang terdaftar di Etalase.",
                ),
                other => other,
            });
        }
    };
    change.touch(products::ids_of_producer(change.db(), id).await?);
    change
        .audit(user.id, "producer_nib_entered", "producer", id, Some(nib.as_str().into()))
        .await?;
    change.commit().await?;
    Ok(m)
}

/// The businesses `user` accompanies, each with what it still needs.
pub async fn accompanied(state: &AppState, user: &CurrentUser) -> AppResult<Vec<AccompaniedView>> {
    user.require(&[Role::Dinas])?;
    let mut out = Vec::new();
    for pr in repo::accompanied_by(&state.db, user.id).await? {
        let ids = products::ids_of_producer(&state.db, pr.id).await?;
        // The stored evaluations (the write path keeps them current): no product is
        // re-evaluated to draw this list.
        let stored = crate::service::standards::stored_items(state, &ids).await?;
        let mut pairs = Vec::new();
        for items in ids.iter().filter_map(|id| stored.get(id)).flatten() {
            let failing = items.iter().filter(|i| i.status == ItemStatus::Fail).map(|i| {
                match i.kind.as_str() {
                    "producer_verified" if pr.nib.is_none() => NIB_NEED.to_string(),
                    "producer_verified" => VERIFY_NEED.to_string(),
                    _ => i.label.clone(),
                }
            });
            pairs.push(failing.collect::<Vec<_>>());
        }
        let mut needs: Vec<NeedView> = ordered_needs(&pairs)
            .into_iter()
            .map(|n| NeedView { label: n.label, unlocks: n.unlocks, blocks: n.blocks })
            .collect();
        // Without standards in force (or products) to count against, the NIB and the
        // verification are still needed before anything can be published.
        let first = match (&pr.nib, pr.status) {
            (None, _) => Some(NIB_NEED),
            (Some(_), ProducerStatus::Pendampingan) => Some(VERIFY_NEED),
            _ => None,
        };
        if let Some(label) = first
            && !needs.iter().any(|n| n.label == label)
        {
            needs.insert(0, NeedView { label: label.into(), unlocks: 0, blocks: 0 });
        }
        if ids.is_empty() {
            needs.push(NeedView { label: "Produk pertama (draf)".into(), unlocks: 0, blocks: 0 });
        }
        out.push(AccompaniedView {
            producer: ProducerView::from(&pr),
            products: ids.len(),
            eligible_pairs: pairs.iter().filter(|p| p.is_empty()).count(),
            needs,
        });
    }
    Ok(out)
}
