//! Owns the documents as Meilisearch stores them (`MeiliDoc`: the product plus `_geo`) and
//! the read of the revisions an index holds, which every write checks first.

use super::http::Index;
use crate::error::Result;
use etalase_domain::search::ProductDoc;
use meilisearch_sdk::documents::DocumentsQuery;
use serde::Serialize;
use std::collections::HashMap;

/// A product as Meilisearch stores it: the document plus `_geo`.
#[derive(Serialize)]
pub(crate) struct MeiliDoc<'a> {
    #[serde(flatten)]
    doc: &'a ProductDoc,
    _geo: Geo,
}

#[derive(Serialize)]
struct Geo {
    lat: f64,
    lng: f64,
}

impl<'a> MeiliDoc<'a> {
    pub(crate) fn of(doc: &'a ProductDoc) -> MeiliDoc<'a> {
        MeiliDoc { doc, _geo: Geo { lat: doc.lat, lng: doc.lon } }
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
