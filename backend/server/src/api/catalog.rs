//! `GET /catalog` (public, published products only — Pasal 10(1)(d)) and the reference data
//! forms need (categories, kecamatan and kelurahan of Kota Serang).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use etalase_db::repo::products::ProductFilter;
use etalase_domain::category::categories;
use etalase_domain::wilayah::kota_serang;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{AppError, AppResult, Problem};
use crate::extract::{ApiPath, ApiQuery};
use crate::service::Paginated;
use crate::service::catalog::products;
use crate::service::catalog::views::ProductView;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/catalog", get(list))
        .route("/catalog/{id}", get(read))
        .route("/reference", get(reference))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CatalogQuery {
    /// Category slug.
    pub category: Option<String>,
    /// Kecamatan code of the producer, e.g. `36.73.06`.
    pub kecamatan: Option<String>,
    /// Part of the product name.
    pub q: Option<String>,
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl CatalogQuery {
    pub fn filter(&self) -> ProductFilter {
        ProductFilter {
            category: crate::service::clean(self.category.clone()),
            kecamatan: crate::service::clean(self.kecamatan.clone()),
            q: crate::service::clean(self.q.clone()),
            ..Default::default()
        }
    }
}

/// Published products, newest first.
#[utoipa::path(get, path = "/api/v1/catalog", tag = "katalog", params(CatalogQuery), responses(
    (status = 200, body = Paginated<ProductView>), (status = 400, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CatalogQuery>,
) -> AppResult<Json<Paginated<ProductView>>> {
    let req = crate::service::PageQuery { page: q.page, per_page: q.per_page }.req();
    let page = products::catalog(&state, q.filter(), req).await?;
    Ok(Json(Paginated::new(page.items, page.page, page.per_page, page.total)))
}

/// One published product.
#[utoipa::path(get, path = "/api/v1/catalog/{id}", tag = "katalog", params(("id" = i64, Path)), responses(
    (status = 200, body = ProductView), (status = 404, body = Problem)))]
pub async fn read(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ProductView>> {
    let m = crate::service::access::product(&state, None, id).await?;
    Ok(Json(products::view(&state, &m).await?.public()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryRef {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KelurahanRef {
    pub code: String,
    pub name: String,
    pub postal_code: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KecamatanRef {
    pub code: String,
    pub name: String,
    pub kelurahan: Vec<KelurahanRef>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Reference {
    pub categories: Vec<CategoryRef>,
    pub kecamatan: Vec<KecamatanRef>,
}

/// Categories and the 6 kecamatan / 67 kelurahan of Kota Serang.
#[utoipa::path(get, path = "/api/v1/reference", tag = "katalog", responses((status = 200, body = Reference)))]
pub async fn reference() -> Result<Json<Reference>, AppError> {
    let w = kota_serang();
    Ok(Json(Reference {
        categories: categories()
            .iter()
            .map(|c| CategoryRef { slug: c.slug.clone(), name: c.name.clone() })
            .collect(),
        kecamatan: w
            .kecamatan()
            .iter()
            .map(|k| KecamatanRef {
                code: k.code.clone(),
                name: k.name.clone(),
                kelurahan: w
                    .kelurahan_in(&k.code)
                    .map(|l| KelurahanRef {
                        code: l.code.clone(),
                        name: l.name.clone(),
                        postal_code: l.postal_code.clone(),
                        lat: l.lat,
                        lon: l.lon,
                    })
                    .collect(),
            })
            .collect(),
    }))
}
