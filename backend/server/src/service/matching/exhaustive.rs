//! The reference a store's recommendations are checked against: every listed product scored
//! (read in chunks), as matching worked before the database picked a pool. Too slow for a
//! request at city scale; the bench and the tests use it to measure how often the pool's first
//! page equals the exhaustive one.

use std::collections::HashSet;

use etalase_db::repo::agreements as repo;
use etalase_domain::matching::rank_products;

use super::candidates::StoreStandard;
use super::{product_profiles, shelf_state, store_profile};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const CHUNK: usize = 5_000;

/// The first `n` product ids for the store by the exhaustive ranking, best first.
pub async fn first(state: &AppState, store_id: i64, n: usize) -> AppResult<Vec<i64>> {
    let s = etalase_db::repo::stores::find(&state.db, store_id)
        .await?
        .ok_or(AppError::NotFound("Gerai"))?;
    let standard = StoreStandard::of(state, &s).await?;
    let products = repo::published_products(&state.db, None, None, 10_000_000).await?;
    let shelf = shelf_state(state, Some(s.id)).await?;
    let profile = store_profile(&s, &shelf);
    let mut profiles = Vec::with_capacity(products.len());
    let mut eligible: Option<HashSet<i64>> = None;
    for chunk in products.chunks(CHUNK) {
        profiles.extend(product_profiles(state, chunk).await?.0);
        let ids: Vec<i64> = chunk.iter().map(|p| p.id).collect();
        if let Some(e) = standard.eligible_among(state, &ids).await? {
            eligible.get_or_insert_with(HashSet::new).extend(e);
        }
    }
    let ranked = rank_products(&profile, &profiles, eligible.as_ref(), &state.config.matching);
    Ok(ranked.into_iter().take(n).map(|r| r.product_id).collect())
}
