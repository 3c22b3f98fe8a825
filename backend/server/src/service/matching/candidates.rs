//! The candidates a store's recommendations are scored from: the database filters (listed,
//! not taken at the store, eligible under the store's standard, the words' answer from the
//! search index) and ranks them by approximate distance, at most a pool of a few hundred
//! (`etalase_db::repo::matching`); only those are scored in Rust.

use std::collections::HashSet;

use etalase_db::entities::{product, store};
use etalase_db::repo::matching::{self as repo, CandidateQuery};

use crate::error::AppResult;
use crate::state::AppState;

/// Candidates scored per request: the pages of recommendations end after this many.
pub const POOL: u64 = 300;
/// Hits asked of the search index for words (5 pages of 100).
const WORD_HITS: u32 = 5;

/// How the store's product standard bears on its recommendations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreStandard {
    /// No standard applies: every listed product may go.
    None,
    /// Only products eligible under this version (in force today).
    Version(i64),
    /// A standard applies but no version of it is in force: nothing is eligible.
    NotInForce,
}

impl StoreStandard {
    pub async fn of(state: &AppState, s: &store::Model) -> AppResult<StoreStandard> {
        let Some(standard) = crate::service::standards::standard_for_store(state, s.id).await?
        else {
            return Ok(StoreStandard::None);
        };
        let today = state.clock.today_wib();
        Ok(match crate::service::standards::current_version_for(state, standard, today).await? {
            Some(v) => StoreStandard::Version(v.id),
            None => StoreStandard::NotInForce,
        })
    }

    /// Which of `ids` it lets through (`None`: no standard, all of them).
    pub async fn eligible_among(
        self,
        state: &AppState,
        ids: &[i64],
    ) -> AppResult<Option<HashSet<i64>>> {
        Ok(match self {
            StoreStandard::None => None,
            StoreStandard::Version(v) => Some(repo::eligible_among(&state.db, v, ids).await?),
            StoreStandard::NotInForce => Some(HashSet::new()),
        })
    }
}

/// The search index's answer to the words (ids, best first); `None` when the engine is down,
/// and the database's name filter stands in.
async fn word_hits(state: &AppState, text: &str) -> Option<Vec<i64>> {
    let mut ids = Vec::new();
    for page in 1..=WORD_HITS {
        let query = etalase_domain::search::SearchQuery {
            text: Some(text.to_string()),
            page,
            per_page: 100,
            ..Default::default()
        };
        match state.search.search(&query).await {
            Ok(r) => {
                let n = r.hits.len();
                ids.extend(r.hits.into_iter().map(|h| h.doc.id));
                if n < 100 {
                    break;
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "search unavailable for matching; using the database name filter");
                return None;
            }
        }
    }
    Some(ids)
}

/// At most `pool` candidate products for the store, nearest first, each listed, not taken at
/// the store and eligible under `standard`; with words, only those the search index finds
/// (the database's name filter while the engine is down).
#[tracing::instrument(skip(state, s), fields(store = s.id))]
pub async fn for_store(
    state: &AppState,
    s: &store::Model,
    standard: StoreStandard,
    q: Option<&str>,
    pool: u64,
) -> AppResult<Vec<product::Model>> {
    let eligible_version = match standard {
        StoreStandard::None => None,
        StoreStandard::Version(v) => Some(v),
        StoreStandard::NotInForce => return Ok(Vec::new()),
    };
    let text = q.map(str::trim).filter(|t| !t.is_empty());
    let (hits, name_like) = match text {
        None => (None, None),
        Some(t) => match word_hits(state, t).await {
            Some(ids) => (Some(ids), None),
            None => (None, Some(t.to_lowercase())),
        },
    };
    let query = CandidateQuery {
        store_id: s.id,
        lat: s.lat,
        lon: s.lon,
        eligible_version,
        among: hits.as_deref(),
        name_like: name_like.as_deref(),
        limit: pool,
    };
    let found = repo::nearest_candidates(&state.db, &query).await?;
    let ids: Vec<i64> = found.iter().map(|c| c.product_id).collect();
    let mut products = if ids.is_empty() {
        Vec::new()
    } else {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        product::Entity::find()
            .filter(product::Column::Id.is_in(ids.clone()))
            .all(&state.db)
            .await?
    };
    let order: std::collections::HashMap<i64, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    products.sort_by_key(|p| order.get(&p.id).copied().unwrap_or(usize::MAX));
    Ok(products)
}
