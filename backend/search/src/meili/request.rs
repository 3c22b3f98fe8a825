//! Owns one search on Meilisearch: a single `POST /multi-search` holding the page query
//! (text, filter, sort, `facets`, page/hitsPerPage). The price buckets come from the documents'
//! `price_band` facet (`super::documents`), exact however many distinct prices there are; they
//! used to be one count-only query per bucket in the same multi-search, which made Meilisearch
//! match every query six times (10k products, one client: 5.8–7.1 ms a search, 2.1 ms with the
//! page query alone). An index whose documents predate `price_band` (its bands do not add up
//! to the total) is answered right, by those count-only queries in a second request, until a
//! reindex. The answer (`super::answer`) is mapped onto the domain's `SearchResults`
//! (`search`, for the pages), or written straight as the API's JSON (`search_json`): there each
//! document's fields are copied through as Meilisearch wrote them, and only its name and
//! coordinates are read (`super::answer::CopiedHit`). Reading 20 documents into `ProductDoc`s
//! and writing them again took about a quarter of the API's own CPU in a profile; copied
//! through, the API's CPU per search fell about 10% (100k products, 16 clients: 0.31 → 0.28
//! ms, two alternated rounds).
//!
//! Names are highlighted here, from the query's plan (`marks::Marker`), not by Meilisearch:
//! asking it for `attributesToHighlight` makes it add a `_formatted` copy of every hit (every
//! field again, numbers as text), which doubled the answer and cost it about 7% more CPU per
//! search (100k products: 8.7 → 8.0 ms); the marks are Meilisearch's own (checked in
//! `tests/everyday.rs`) and the embedded engine's.

use super::answer::{Answer, DOC_FIELDS, PageAnswer, Pairs, copied_page};
use super::conn::Conns;
use super::documents::PRICE_BAND;
use super::filter::{bucket_condition, filter_conditions, query_text, sort_expression};
use super::http::{Client, Index, SizedHttp, checked};
use super::json;
use crate::error::Result;
use crate::marks::Marker;
use crate::plan::TextRules;
use crate::settings::Settings;
use crate::text::escape_html_into;
use etalase_domain::haversine_km;
use etalase_domain::search::{
    FacetCount, Facets, Hit, PRICE_BUCKETS, ProductDoc, SearchQuery, SearchResults,
    order_facet_counts,
};
use meilisearch_sdk::search::{self as ms, MatchingStrategies};
use std::time::Instant;

/// Facets requested from Meilisearch (all filterable in the settings).
pub(crate) const FACETS: [&str; 6] =
    ["category", "kecamatan_code", "halal", "cert_kinds", "pack_size", PRICE_BAND];

/// The end of every page query's body: matching strategy, retrieved fields and facets.
static PAGE_REST: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let list = |names: &[&str]| serde_json::to_string(names).unwrap_or_default();
    format!(
        ",\"matchingStrategy\":\"last\",\"attributesToRetrieve\":{},\"facets\":{}}}]}}",
        list(&DOC_FIELDS),
        list(&FACETS)
    )
});

/// What one search sends, owned (the price buckets' count-only queries, built with the SDK,
/// borrow it).
struct Parts {
    page: usize,
    per_page: usize,
    text: Option<String>,
    conditions: Vec<String>,
    filter: String,
    sort: Vec<String>,
}

impl Parts {
    fn of(q: &SearchQuery) -> Parts {
        let conditions = filter_conditions(q);
        Parts {
            page: q.page as usize,
            per_page: q.per_page as usize,
            text: query_text(q),
            filter: conditions.join(" AND "),
            conditions,
            sort: sort_expression(q),
        }
    }

    /// The body of the multi-search on index `uid`: the page query. Written directly (the
    /// retrieved fields and facets once, `PAGE_REST`), not through the SDK's query.
    fn body(&self, uid: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(128 + PAGE_REST.len());
        out.extend_from_slice(b"{\"queries\":[{\"indexUid\":");
        json::string(&mut out, uid);
        if let Some(t) = &self.text {
            out.extend_from_slice(b",\"q\":");
            json::string(&mut out, t);
        }
        if !self.filter.is_empty() {
            out.extend_from_slice(b",\"filter\":");
            json::string(&mut out, &self.filter);
        }
        if !self.sort.is_empty() {
            out.extend_from_slice(b",\"sort\":[");
            for (i, s) in self.sort.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                json::string(&mut out, s);
            }
            out.push(b']');
        }
        out.extend_from_slice(b",\"page\":");
        json::number(&mut out, self.page as u64);
        out.extend_from_slice(b",\"hitsPerPage\":");
        json::number(&mut out, self.per_page as u64);
        out.extend_from_slice(PAGE_REST.as_bytes());
        out
    }

    /// The filter of each price bucket's count-only query.
    fn bucket_filters(&self) -> Vec<String> {
        PRICE_BUCKETS
            .iter()
            .map(|b| {
                self.conditions
                    .iter()
                    .cloned()
                    .chain([bucket_condition(b)])
                    .collect::<Vec<_>>()
                    .join(" AND ")
            })
            .collect()
    }

    /// A count-only query per price bucket (`filters`: `bucket_filters`), for an index whose
    /// documents have no `price_band` yet.
    fn counts<'a>(
        &'a self,
        client: &'a Client,
        index: &'a Index,
        filters: &'a [String],
    ) -> ms::MultiSearchQuery<'a, 'a, SizedHttp> {
        let mut multi = client.multi_search();
        for f in filters {
            let mut count = ms::SearchQuery::new(index);
            count
                .with_page(1)
                .with_hits_per_page(0)
                .with_matching_strategy(MatchingStrategies::LAST)
                .with_filter(f);
            if let Some(t) = &self.text {
                count.with_query(t);
            }
            multi.with_search_query(count.build());
        }
        multi
    }
}

/// The body of the `POST /multi-search` that `search` sends for `q` on index `uid` (for
/// measuring Meilisearch directly with the very same requests).
pub fn multi_search_body(uid: &str, q: &SearchQuery) -> Result<serde_json::Value> {
    serde_json::from_slice(&Parts::of(q).body(uid)).map_err(corrupt)
}

/// Runs `q` (already validated) on `index`, posted through `http` (the index client's own) to
/// `url` (the multi-search's).
pub(crate) async fn search(
    to: To<'_>,
    index: &Index,
    (settings, rules): (&Settings, &TextRules),
    q: &SearchQuery,
) -> Result<SearchResults> {
    let started = Instant::now();
    let parts = Parts::of(q);
    let bytes = post(to, parts.body(&index.uid)).await?;
    let answer: Answer<ProductDoc> = serde_json::from_slice(&bytes).map_err(corrupt)?;
    let (main, total, dist, price_range) = summary(answer.page(), (to, index, &parts)).await?;
    let facets = facets(dist, settings, price_range);
    let plan = q.trimmed_text().map(|t| rules.plan(t));
    let marker = plan.as_ref().map(|p| rules.marker(p));
    let hits = main.into_iter().map(|h| hit(h, q, marker.as_ref())).collect();
    Ok(SearchResults { hits, total, facets, processing_ms: started.elapsed().as_millis() as u64 })
}

/// `search`, answered as the API's JSON (`etalase_domain::search::results_json`'s shape): each
/// hit's document is its fields as Meilisearch wrote them, copied through (the page query
/// retrieves exactly the document's fields), with only its name and coordinates read.
pub(crate) async fn search_json(
    to: To<'_>,
    index: &Index,
    (settings, rules): (&Settings, &TextRules),
    q: &SearchQuery,
) -> Result<Vec<u8>> {
    let started = Instant::now();
    let parts = Parts::of(q);
    let bytes = post(to, parts.body(&index.uid)).await?;
    let text = std::str::from_utf8(&bytes).map_err(corrupt)?;
    let page = copied_page(text).map_err(corrupt)?;
    let (main, total, dist, price_range) = summary(page, (to, index, &parts)).await?;
    let plan = q.trimmed_text().map(|t| rules.plan(t));
    let marker = plan.as_ref().map(|p| rules.marker(p));
    let mut out = Vec::with_capacity(bytes.len() + 64 * main.len() + 1024);
    let mut mark = String::new();
    out.extend_from_slice(b"{\"hits\":[");
    for (i, hit) in main.iter().enumerate() {
        let at = match q.near {
            Some(_) => Some(hit.coordinates().ok_or_else(|| corrupt("koordinat hit"))?),
            None => None,
        };
        mark.clear();
        let distance_km = placed(&hit.name, at, q, marker.as_ref(), &mut mark);
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"doc\":");
        hit.write_doc(&mut out);
        out.extend_from_slice(b",\"distance_km\":");
        write(&mut out, &distance_km)?;
        out.extend_from_slice(b",\"highlight_name\":");
        json::string(&mut out, &mark);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"facets\":");
    json::facets(&mut out, dist, settings, &price_range);
    let ms = started.elapsed().as_millis() as u64;
    let tail = format!(
        ",\"total\":{total},\"page\":{},\"per_page\":{},\"processing_ms\":{ms}}}",
        q.page, q.per_page
    );
    out.extend_from_slice(tail.as_bytes());
    Ok(out)
}

fn write<T: serde::Serialize>(out: &mut Vec<u8>, value: &T) -> Result<()> {
    serde_json::to_writer(out, value).map_err(corrupt)
}

fn corrupt(e: impl std::fmt::Display) -> crate::error::Error {
    crate::error::Error::Corrupt(format!("jawaban Meilisearch: {e}"))
}

/// Where a search is posted: the search's own connections when there are (plain `http://`),
/// else the index client's HTTP client; `url` is the multi-search's.
#[derive(Clone, Copy)]
pub(crate) struct To<'a> {
    pub(crate) http: &'a SizedHttp,
    pub(crate) conns: Option<&'a Conns>,
    pub(crate) url: &'a reqwest::Url,
    /// `MeiliOptions::search_timeout`.
    pub(crate) timeout: std::time::Duration,
}

/// Posts a multi-search `body`; the answer's bytes.
async fn post(to: To<'_>, body: Vec<u8>) -> Result<bytes::Bytes> {
    let post = async {
        let Some(conns) = to.conns else {
            return Ok(to.http.post(to.url, body, 200).await?);
        };
        let (status, bytes) = conns
            .post(body.into())
            .await
            .map_err(|e| meilisearch_sdk::errors::Error::Other(Box::new(e)))?;
        Ok(checked(status, 200, bytes, to.url)?)
    };
    // A connection dropped here is not kept: the next search opens a fresh one.
    tokio::time::timeout(to.timeout, post)
        .await
        .unwrap_or(Err(crate::error::Error::SearchTimeout { ms: to.timeout.as_millis() }))
}

/// The page query's hits, the total, the facet distribution (less `price_band`) and the price
/// buckets' counts: from the `price_band` facet, or (documents without it) from a count-only
/// query per bucket.
async fn summary<'a, H>(
    page: Option<PageAnswer<'a, H>>,
    (to, index, parts): (To<'_>, &Index, &Parts),
) -> Result<(Vec<H>, u64, Pairs<'a, Pairs<'a, u64>>, Vec<FacetCount>)> {
    let Some(mut main) = page else {
        return Err(crate::error::Error::Corrupt("multi-search tanpa hasil".into()));
    };
    let total = main.total();
    let bands = main.facet_distribution.take(PRICE_BAND).unwrap_or_default();
    let price_range = match band_counts(&bands, total) {
        Some(counts) => counts,
        None => bucket_counts(to, index, parts).await?,
    };
    Ok((main.hits, total, main.facet_distribution, price_range))
}

/// The price buckets' counts (zero counts left out) from the `price_band` facet's, or `None`
/// when the bands do not add up to `total`: documents indexed before they carried one.
fn band_counts(bands: &Pairs<'_, u64>, total: u64) -> Option<Vec<FacetCount>> {
    if bands.0.iter().map(|(_, n)| n).sum::<u64>() != total {
        return None;
    }
    Some(
        PRICE_BUCKETS
            .iter()
            .map(|b| FacetCount {
                value: b.label.to_string(),
                count: bands.get(b.label).copied().unwrap_or(0),
            })
            .filter(|c| c.count > 0)
            .collect(),
    )
}

/// The price buckets' counts from a count-only query per bucket.
async fn bucket_counts(to: To<'_>, index: &Index, parts: &Parts) -> Result<Vec<FacetCount>> {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        tracing::warn!(
            index = index.uid,
            "dokumen tanpa price_band: harga dihitung dengan kueri tambahan sampai indeks dibangun ulang (reindex)"
        );
    });
    let filters = parts.bucket_filters();
    let multi = parts.counts(&index.client, index, &filters);
    let body = serde_json::to_vec(&multi).map_err(meilisearch_sdk::errors::Error::from)?;
    let bytes = post(to, body).await?;
    let answer: Answer<serde::de::IgnoredAny> = serde_json::from_slice(&bytes).map_err(corrupt)?;
    Ok(PRICE_BUCKETS
        .iter()
        .zip(answer.results)
        .map(|(b, r)| FacetCount { value: b.label.to_string(), count: r.total() })
        .filter(|c| c.count > 0)
        .collect())
}

fn hit(doc: ProductDoc, q: &SearchQuery, marker: Option<&Marker<'_>>) -> Hit {
    let mut highlight_name = String::with_capacity(doc.name.len() + 24);
    let distance_km = placed(&doc.name, Some((doc.lat, doc.lon)), q, marker, &mut highlight_name);
    Hit { doc, distance_km, highlight_name }
}

/// What a hit adds to its document: the km from `q.near` to `at` (when asked), and the name,
/// escaped, with the query's marks (appended to `mark`).
fn placed(
    name: &str,
    at: Option<(f64, f64)>,
    q: &SearchQuery,
    marker: Option<&Marker<'_>>,
    mark: &mut String,
) -> Option<f64> {
    match marker {
        Some(m) => m.highlight_into(name, mark),
        None => escape_html_into(name, mark),
    }
    q.near.zip(at).map(|((lat, lon), (to_lat, to_lon))| haversine_km(lat, lon, to_lat, to_lon))
}

/// The typed facets (for the pages), as `json::facets` writes them for the API.
pub(super) fn facets(
    mut dist: Pairs<'_, Pairs<'_, u64>>,
    settings: &Settings,
    price_range: Vec<FacetCount>,
) -> Facets {
    let max = settings.faceting.max_values_per_facet;
    let mut take = |name: &str| {
        let mut list: Vec<FacetCount> = dist
            .take(name)
            .unwrap_or_default()
            .0
            .into_iter()
            .map(|(value, count)| FacetCount { value: value.into_owned(), count })
            .collect();
        order_facet_counts(&mut list, max);
        list
    };
    Facets {
        category: take("category"),
        kecamatan: take("kecamatan_code"),
        halal: take("halal"),
        cert_kinds: take("cert_kinds"),
        pack_size: take("pack_size"),
        price_range,
    }
}
