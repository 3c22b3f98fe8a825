//! Matching use cases: "Rekomendasi" (products for a store, with reasons, and the store's
//! shortlist) and "Toko potensial" (stores for a UMKM's product: only stores whose product
//! standard it meets, those furthest below the compliance policy first, then those furthest
//! below their local-shelf commitment). Scoring is `etalase_domain::matching`; weights come from
//! `[matching]` in the configuration. A store's candidates are filtered and ranked by distance
//! in the database, a pool of a few hundred at most (`candidates`); only those are scored.

use std::collections::{HashMap, HashSet};

use etalase_db::entities::{product, store};
use etalase_db::repo::agreements::{self as repo, AgreementFilter, LIVE, TAKEN};
use etalase_db::repo::producers;
use etalase_domain::category::category_by_slug;
use etalase_domain::matching::{ProductProfile, Scored, StoreProfile, rank_products};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::service::retail::{self, StoreView};
use crate::state::AppState;

pub mod candidates;
pub mod exhaustive;
mod for_product;
pub use for_product::{store_matches, stores_failing_standard};

/// The id of the standard version in force for this store today, stored on an agreement when
/// it is accepted (old agreements keep the version they were made under). `None` when no
/// standard applies.
pub async fn standard_version_in_force(state: &AppState, store_id: i64) -> AppResult<Option<i64>> {
    let Some(standard) = super::standards::standard_for_store(state, store_id).await? else {
        return Ok(None);
    };
    Ok(super::standards::current_version_for(state, standard, state.clock.today_wib())
        .await?
        .map(|v| v.id))
}

/// One recommended product, with its reasons.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recommendation {
    pub product_id: i64,
    pub product_name: String,
    pub producer_id: i64,
    pub producer_name: String,
    pub category: String,
    pub retail_price: Option<i64>,
    pub wholesale_price: Option<i64>,
    pub score: f64,
    pub distance_km: f64,
    pub reasons: Vec<String>,
    /// The reasons joined with " · ".
    pub reason_text: String,
    pub shortlisted: bool,
}

/// One store that suits a product, with its reasons.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoreMatch {
    pub store: StoreView,
    pub score: f64,
    pub distance_km: f64,
    pub reasons: Vec<String>,
    pub reason_text: String,
}

/// Live and taken agreements per store: (categories on the local shelf, products taken, facings used).
pub(super) async fn shelf_state(
    state: &AppState,
    store_id: Option<i64>,
) -> AppResult<HashMap<i64, (HashSet<String>, HashSet<i64>, i64)>> {
    let f = AgreementFilter { store_id, statuses: TAKEN.to_vec(), ..Default::default() };
    let rows = repo::with_items(&state.db, &f).await?;
    let ids: Vec<i64> = rows.iter().flat_map(|(_, its)| its.iter().map(|i| i.product_id)).collect();
    let cats: HashMap<i64, String> = repo::products_by_ids(&state.db, ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p.category))
        .collect();
    let mut out: HashMap<i64, (HashSet<String>, HashSet<i64>, i64)> = HashMap::new();
    for (a, items) in rows {
        let e = out.entry(a.store_id).or_default();
        let live = LIVE.contains(&a.status);
        for i in items {
            e.1.insert(i.product_id);
            if live {
                e.2 += i.facings;
                if let Some(c) = cats.get(&i.product_id) {
                    e.0.insert(c.clone());
                }
            }
        }
    }
    Ok(out)
}

pub(super) fn store_profile(
    s: &store::Model,
    shelf: &HashMap<i64, (HashSet<String>, HashSet<i64>, i64)>,
) -> StoreProfile {
    let (cats, placed, used) = shelf.get(&s.id).cloned().unwrap_or_default();
    StoreProfile {
        store_id: s.id,
        lat: s.lat,
        lon: s.lon,
        local_categories: cats,
        placed_products: placed,
        monthly_need: s.format.monthly_need(),
        local_facings: s.local_facings,
        used_facings: used,
        policy_short: [(0, 0); 3],
    }
}

pub(super) async fn product_profiles(
    state: &AppState,
    products: &[product::Model],
) -> AppResult<(Vec<ProductProfile>, HashMap<i64, String>)> {
    let mut pids: Vec<i64> = products.iter().map(|p| p.producer_id).collect();
    pids.sort_unstable();
    pids.dedup();
    let prods = producers::find_many(&state.db, pids.clone()).await?;
    let counts = etalase_db::repo::matching::live_store_counts_of(&state.db, &pids).await?;
    let halal: HashSet<i64> = repo::halal_products(
        &state.db,
        products.iter().map(|p| p.id).collect(),
        state.clock.today_wib(),
    )
    .await?
    .into_iter()
    .collect();
    let names = prods.iter().map(|p| (p.id, p.name.clone())).collect();
    let profiles = products
        .iter()
        .filter_map(|p| {
            let pr = prods.iter().find(|x| x.id == p.producer_id)?;
            Some(ProductProfile {
                product_id: p.id,
                producer_id: p.producer_id,
                category_slug: p.category.clone(),
                category_name: category_by_slug(&p.category)
                    .map(|c| c.name.clone())
                    .unwrap_or_else(|| p.category.clone()),
                producer_lat: pr.lat,
                producer_lon: pr.lon,
                monthly_capacity: p.monthly_capacity,
                halal: halal.contains(&p.id),
                producer_store_count: counts.get(&p.producer_id).copied().unwrap_or(0).max(0)
                    as u32,
            })
        })
        .collect();
    Ok((profiles, names))
}

/// A store whose matching `user` may see: its own side, the Dinas, admins.
async fn visible_store(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<store::Model> {
    let s = retail::get(state, user, id).await?;
    if !retail::sees_store(user, &s) {
        return Err(AppError::Forbidden("Rekomendasi hanya untuk gerai Anda sendiri.".into()));
    }
    Ok(s)
}

/// Products for a store, best first (at most `limit`).
pub async fn recommendations(
    state: &AppState,
    user: &CurrentUser,
    store_id: i64,
    q: Option<String>,
    limit: usize,
) -> AppResult<Vec<Recommendation>> {
    Ok(recommendations_page(state, user, store_id, q, 1, limit).await?.0)
}

/// One page (1-based, `per_page` long) of the products for a store, best first, and how many
/// were ranked in all. The database hands over at most a pool of a few hundred candidates
/// (nearest first, already filtered: see `candidates`); they are scored here with the pure
/// rules, so the ranking is exact within the pool and the pages end where the pool does (the
/// same pool for every page, so pages never overlap).
#[tracing::instrument(skip(state), fields(user = user.id))]
pub async fn recommendations_page(
    state: &AppState,
    user: &CurrentUser,
    store_id: i64,
    q: Option<String>,
    page: u64,
    per_page: usize,
) -> AppResult<(Vec<Recommendation>, usize)> {
    let s = visible_store(state, user, store_id).await?;
    let page = page.max(1);
    let standard = candidates::StoreStandard::of(state, &s).await?;
    let products =
        candidates::for_store(state, &s, standard, q.as_deref(), candidates::POOL).await?;
    let (profiles, names) = product_profiles(state, &products).await?;
    let shelf = shelf_state(state, Some(s.id)).await?;
    // The database let through only eligible products; the set marks them "layak standar Anda".
    let eligible: Option<HashSet<i64>> = match standard {
        candidates::StoreStandard::None => None,
        _ => Some(products.iter().map(|p| p.id).collect()),
    };
    let ranked: Vec<Scored> = rank_products(
        &store_profile(&s, &shelf),
        &profiles,
        eligible.as_ref(),
        &state.config.matching,
    );
    let total = ranked.len();
    let short: HashSet<i64> =
        repo::shortlist_of(&state.db, s.id).await?.into_iter().map(|x| x.product_id).collect();
    let skip = ((page - 1) as usize).saturating_mul(per_page);
    let items = ranked
        .into_iter()
        .skip(skip)
        .take(per_page)
        .filter_map(|r| recommendation(&products, &names, r, &short))
        .collect();
    Ok((items, total))
}

fn recommendation(
    products: &[product::Model],
    names: &HashMap<i64, String>,
    r: Scored,
    short: &HashSet<i64>,
) -> Option<Recommendation> {
    let p = products.iter().find(|p| p.id == r.product_id)?;
    Some(Recommendation {
        product_id: p.id,
        product_name: p.name.clone(),
        producer_id: p.producer_id,
        producer_name: names.get(&p.producer_id).cloned().unwrap_or_default(),
        category: p.category.clone(),
        retail_price: p.retail_price,
        wholesale_price: p.wholesale_price,
        score: (r.score * 1000.0).round() / 1000.0,
        distance_km: (r.distance_km * 10.0).round() / 10.0,
        reason_text: r.reason_text(),
        reasons: r.reasons,
        shortlisted: short.contains(&p.id),
    })
}

/// The store side keeps a product in view.
pub async fn shortlist_add(
    state: &AppState,
    user: &CurrentUser,
    store_id: i64,
    product_id: i64,
) -> AppResult<()> {
    let s = retail::store_for_side(state, user, store_id).await?;
    crate::service::access::product(state, Some(user), product_id).await?;
    repo::shortlist_add(&state.db, s.id, product_id, user.id, state.clock.now()).await?;
    Ok(())
}

pub async fn shortlist_remove(
    state: &AppState,
    user: &CurrentUser,
    store_id: i64,
    product_id: i64,
) -> AppResult<()> {
    let s = retail::store_for_side(state, user, store_id).await?;
    if repo::shortlist_remove(&state.db, s.id, product_id).await? == 0 {
        return Err(AppError::NotFound("Produk di daftar pilihan"));
    }
    Ok(())
}

/// Every shortlisted product of a store that is still in the catalog, best first, as
/// recommendations with their reasons — including one that fails the store's standard or is
/// already on its shelf, which the reasons then say.
pub async fn shortlist(
    state: &AppState,
    user: &CurrentUser,
    store_id: i64,
) -> AppResult<Vec<Recommendation>> {
    let s = visible_store(state, user, store_id).await?;
    let short: HashSet<i64> =
        repo::shortlist_of(&state.db, s.id).await?.into_iter().map(|x| x.product_id).collect();
    let products: Vec<product::Model> = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        product::Entity::find()
            .filter(product::Column::Id.is_in(short.iter().copied()))
            .filter(etalase_db::repo::products::listed())
            .all(&state.db)
            .await?
    };
    let (profiles, names) = product_profiles(state, &products).await?;
    let shelf = shelf_state(state, Some(s.id)).await?;
    let mut profile = store_profile(&s, &shelf);
    let placed = std::mem::take(&mut profile.placed_products);
    let ids: Vec<i64> = products.iter().map(|p| p.id).collect();
    let eligible =
        candidates::StoreStandard::of(state, &s).await?.eligible_among(state, &ids).await?;
    let ranked = rank_products(&profile, &profiles, None, &state.config.matching);
    Ok(ranked
        .into_iter()
        .map(|mut r| {
            if eligible.as_ref().is_some_and(|e| !e.contains(&r.product_id)) {
                r.reasons.push("belum memenuhi standar produk toko ini".into());
            }
            if placed.contains(&r.product_id) {
                r.reasons.push("sudah dipajang di toko ini".into());
            }
            r
        })
        .filter_map(|r| recommendation(&products, &names, r, &short))
        .collect())
}
