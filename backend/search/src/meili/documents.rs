//! Owns the documents as Meilisearch stores them (`MeiliDoc`: the product plus `_geo` and
//! `price_band`) and the read of the revisions an index holds, which every write checks first.

use super::http::Index;
use crate::error::Result;
use etalase_domain::search::{ProductDoc, price_bucket};
use meilisearch_sdk::documents::DocumentsQuery;
use serde::Serialize;
use std::collections::HashMap;

/// The field holding a document's price bucket (its label in `PRICE_BUCKETS`, or `NO_PRICE`):
/// one facet of the page query counts every bucket, where a count-only query per bucket made
/// Meilisearch match the query six times per search.
pub(crate) const PRICE_BAND: &str = "price_band";
/// `price_band` of a product without a price (in no bucket; counted, so the bands add up to the
/// total).
pub(crate) const NO_PRICE: &str = "tanpa-harga";

/// A product as Meilisearch stores it: the document plus `_geo` and `price_band`.
#[derive(Serialize)]
pub(crate) struct MeiliDoc<'a> {
    #[serde(flatten)]
    doc: &'a ProductDoc,
    _geo: Geo,
    price_band: &'static str,
}

#[derive(Serialize)]
struct Geo {
    lat: f64,
    lng: f64,
}

impl<'a> MeiliDoc<'a> {
    pub(crate) fn of(doc: &'a ProductDoc) -> MeiliDoc<'a> {
        let price_band = doc.retail_price.map_or(NO_PRICE, |p| price_bucket(p).label);
        MeiliDoc { doc, _geo: Geo { lat: doc.lat, lng: doc.lon }, price_band }
    }
}

/// The revisions `index` holds for these documents' ids.
pub(crate) async fn stored_revisions(
    index: &Index,
    docs: &[&ProductDoc],
) -> Result<HashMap<i64, i64>> {
    #[derive(serde::Deserialize)]
    struct IdRevision {
        id: i64,
        #[serde(default)]
        revision: i64,
    }
    let ids: Vec<String> = docs.iter().map(|d| d.id.to_string()).collect();
    let mut q = DocumentsQuery::new(index);
    q.with_ids(ids.iter().map(String::as_str))
        .with_limit(ids.len())
        .with_fields(["id", "revision"]);
    let page = index.get_documents_with::<IdRevision>(&q).await?;
    Ok(page.results.into_iter().map(|d| (d.id, d.revision)).collect())
}
