//! "Toko potensial": stores for one product — only stores whose product standard it meets
//! (its chain's, else the city baseline), furthest below the Dinas' compliance policy first,
//! then furthest below their local-shelf commitment — and the stores whose standard it does not
//! meet yet, for the UMKM to see what each would need.

use std::collections::{HashMap, HashSet};

use etalase_db::entities::store;
use etalase_db::repo::stores::StoreFilter;
use etalase_db::repo::{producers, stores};
use etalase_domain::matching::{StoreProfile, rank_stores};
use etalase_domain::roles::Role;

use super::{StoreMatch, product_profiles, shelf_state, store_profile};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::retail::{self, StoreView};
use crate::state::AppState;

/// Each store's (missing, required) agreements, products and UMKM against the compliance
/// policy in force today; empty when the Dinas has set no policy.
async fn policy_shortfalls(state: &AppState) -> AppResult<HashMap<i64, [(i64, i64); 3]>> {
    let today = state.clock.today_wib();
    let p = match crate::service::compliance::policy_on(state, today).await {
        Ok((_, p)) => p,
        Err(AppError::NotFound(_)) => return Ok(HashMap::new()),
        Err(e) => return Err(e),
    };
    let t = crate::service::compliance::thresholds(&p, today);
    let rows = etalase_db::repo::compliance::store_rows(
        &state.db,
        &t,
        today,
        &etalase_db::repo::compliance::ComplianceFilter::default(),
    )
    .await?;
    let short = |need: i64, have: i64| ((need - have).max(0), need);
    Ok(rows
        .into_iter()
        .map(|r| {
            let s = [
                short(t.min_agreements, r.agreements),
                short(t.min_products, r.products),
                short(t.min_producers, r.producers),
            ];
            (r.store_id, s)
        })
        .collect())
}

/// Whether `product_id` may go to each store under the store's standard (its chain's, else
/// the city baseline, as `standards::standard_for_store` decides), from the stored verdicts of
/// the standards in force; a store whose standard is not in force today takes it.
async fn allowed_by_standard(
    state: &AppState,
    product_id: i64,
    all: &[store::Model],
) -> AppResult<HashSet<i64>> {
    let verdicts: HashMap<i64, bool> = crate::service::standards::badges(state, product_id)
        .await?
        .into_iter()
        .map(|b| (b.standard_id, b.eligible))
        .collect();
    let mut standards = crate::service::standards::StoreStandards::load(state).await?;
    let mut out = HashSet::new();
    for s in all {
        let standard = standards.of_chain(state, s.chain_id).await?;
        if standard.is_none_or(|id| verdicts.get(&id).copied().unwrap_or(true)) {
            out.insert(s.id);
        }
    }
    Ok(out)
}

/// Stores for a UMKM's own product (or any product, for the Dinas), best first.
#[tracing::instrument(skip(state), fields(user = user.id))]
pub async fn store_matches(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    limit: usize,
) -> AppResult<Vec<StoreMatch>> {
    let p = match user.role {
        Role::Dinas | Role::Admin => {
            crate::service::access::product(state, Some(user), product_id).await?
        }
        Role::Umkm => crate::service::access::owned_product(state, user, product_id).await?,
        _ => return Err(AppError::Forbidden("Toko potensial hanya untuk pemilik produk.".into())),
    };
    if !crate::service::access::is_listed(state, &p).await? {
        return Err(AppError::conflict(
            ErrorCode::NotPublished,
            "Produk harus tayang dulu sebelum ditawarkan ke toko.",
        ));
    }
    let (profiles, _) = product_profiles(state, std::slice::from_ref(&p)).await?;
    let Some(profile) = profiles.first() else { return Ok(vec![]) };
    let all = stores::all(&state.db, &StoreFilter::default()).await?;
    let shelf = shelf_state(state, None).await?;
    let allowed = allowed_by_standard(state, p.id, &all).await?;
    let policy = policy_shortfalls(state).await?;
    let sp: Vec<StoreProfile> = all
        .iter()
        .filter(|s| allowed.contains(&s.id))
        .map(|s| StoreProfile {
            policy_short: policy.get(&s.id).copied().unwrap_or([(0, 0); 3]),
            ..store_profile(s, &shelf)
        })
        .collect();
    let chains = retail::chains(state).await?;
    Ok(rank_stores(profile, &sp, &state.config.matching)
        .into_iter()
        .take(limit)
        .filter_map(|r| {
            let s = all.iter().find(|s| s.id == r.store_id)?;
            Some(StoreMatch {
                store: StoreView::new(s, &chains),
                score: (r.score * 1000.0).round() / 1000.0,
                distance_km: (r.distance_km * 10.0).round() / 10.0,
                reason_text: r.reason_text(),
                reasons: r.reasons,
            })
        })
        .collect())
}

/// Stores whose product standard the caller's product does not meet yet (left out of
/// `store_matches`), nearest first, so the UMKM sees what each would need.
pub async fn stores_failing_standard(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    limit: usize,
) -> AppResult<Vec<StoreView>> {
    let p = crate::service::access::owned_product(state, user, product_id).await?;
    let all = stores::all(&state.db, &StoreFilter::default()).await?;
    let allowed = allowed_by_standard(state, p.id, &all).await?;
    let at = match producers::find(&state.db, p.producer_id).await? {
        Some(pr) => (pr.lat, pr.lon),
        None => return Ok(Vec::new()),
    };
    let mut failing: Vec<(f64, &store::Model)> = all
        .iter()
        .filter(|s| !allowed.contains(&s.id))
        .map(|s| (etalase_domain::haversine_km(at.0, at.1, s.lat, s.lon), s))
        .collect();
    failing.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
    let chains = retail::chains(state).await?;
    Ok(failing.into_iter().take(limit).map(|(_, s)| StoreView::new(s, &chains)).collect())
}
