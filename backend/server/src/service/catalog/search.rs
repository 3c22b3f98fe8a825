//! Catalog search parameters, shared by the API and the catalog page: the query string as
//! people send it, turned into a validated `SearchQuery` (a malformed parameter is a 400
//! naming it), with the store manager's own store as the default place and standard.

use etalase_domain::error::{FieldError, ValidationErrors};
use etalase_domain::search::{SearchQuery, SortBy};
use sea_orm::EntityTrait;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Query parameters; every one is optional.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words, typed as people type ("kripik pedes", "sambel").
    pub q: Option<String>,
    /// Category slug.
    pub category: Option<String>,
    /// Kecamatan code, e.g. `36.73.05`.
    pub kecamatan: Option<String>,
    /// `true`: only products with a valid halal certificate.
    pub halal: Option<bool>,
    /// Certificate kinds the product must all have, comma-separated (`pirt,halal`).
    pub cert: Option<String>,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    /// `lat,lon` to measure distance from (a store manager's store when left out).
    pub near: Option<String>,
    pub radius_km: Option<f64>,
    /// `relevance` (default), `distance`, `price_asc`, `price_desc`, `newest`.
    pub sort: Option<String>,
    /// Only products eligible for this standard id (`standard=mine`: the caller's store's).
    pub standard: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

fn bad(field: &str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, "invalid_parameter", message)
}

/// Turns parameters into a validated query; `store` is the caller's store (lat, lon, standard).
pub fn to_query(
    p: &SearchParams,
    store: Option<((f64, f64), Option<i64>)>,
) -> Result<SearchQuery, AppError> {
    let mut errs = ValidationErrors::new();
    let near = match p.near.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => {
            match s.split_once(',').map(|(a, b)| (a.trim().parse::<f64>(), b.trim().parse::<f64>()))
            {
                Some((Ok(lat), Ok(lon)))
                    if lat.is_finite()
                        && lon.is_finite()
                        && lat.abs() <= 90.0
                        && lon.abs() <= 180.0 =>
                {
                    Some((lat, lon))
                }
                _ => {
                    errs.push(bad(
                        "near",
                        "Parameter \"near\" harus berbentuk lintang,bujur, contoh -6.12,106.15.",
                    ));
                    None
                }
            }
        }
        None => store.map(|s| s.0),
    };
    let sort = match p.sort.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => SortBy::from_code(s).unwrap_or_else(|| {
            errs.push(bad(
                "sort",
                "Parameter \"sort\" harus relevance, distance, price_asc, price_desc atau newest.",
            ));
            SortBy::Relevance
        }),
        None => SortBy::Relevance,
    };
    let eligible_for = match p.standard.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some("mine") => match store {
            Some((_, Some(id))) => Some(id),
            _ => {
                errs.push(bad(
                    "standard",
                    "\"standard=mine\" hanya untuk akun toko yang tokonya punya standar.",
                ));
                None
            }
        },
        Some(s) => s.parse::<i64>().map(Some).unwrap_or_else(|_| {
            errs.push(bad("standard", "Parameter \"standard\" harus nomor standar atau \"mine\"."));
            None
        }),
        None => None,
    };
    let clean =
        |v: &Option<String>| v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let q = SearchQuery {
        text: clean(&p.q),
        category: clean(&p.category),
        kecamatan: clean(&p.kecamatan),
        halal: p.halal,
        cert: p
            .cert
            .as_deref()
            .map(|c| c.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect())
            .unwrap_or_default(),
        price_min: p.price_min,
        price_max: p.price_max,
        near,
        radius_km: p.radius_km,
        eligible_for,
        sort,
        page: p.page.unwrap_or(1),
        per_page: p.per_page.unwrap_or(20),
    };
    if let Err(v) = q.validate() {
        for e in v.0 {
            errs.push(FieldError::new(
                match e.field.as_str() {
                    "text" => "q",
                    f => f,
                },
                "invalid_parameter",
                e.message,
            ));
        }
    }
    if errs.is_empty() { Ok(q) } else { Err(AppError::InvalidParameters(errs)) }
}

/// The caller's store location and standard, when the caller is a store manager.
pub async fn caller_store(
    state: &AppState,
    user: Option<&crate::auth::CurrentUser>,
) -> AppResult<Option<((f64, f64), Option<i64>)>> {
    let Some(store_id) = user.and_then(|u| u.store_id) else { return Ok(None) };
    let Some(store) =
        etalase_db::entities::store::Entity::find_by_id(store_id).one(&state.db).await?
    else {
        return Ok(None);
    };
    let standard = crate::service::standards::standard_for_store(state, store_id).await?;
    Ok(Some(((store.lat, store.lon), standard)))
}
