//! Owns one search on the embedded engine from start to end: filters, text matching, geo
//! radius, facet counts over all matches, ranking, the page (within `maxTotalHits`, as
//! Meilisearch pages), and the hits with distance and highlighted name.

use super::generation::Generation;
use super::{filters, matching, ranking, schema};
use crate::error::Result;
use crate::plan::TextRules;
use crate::settings::Settings;
use crate::text::{escape_html, highlight};
use etalase_domain::search::{Hit, SearchQuery, SearchResults};
use std::time::Instant;
use tantivy::TantivyDocument;
use tantivy::collector::DocSetCollector;

/// Runs `q` (already validated) on `generation`.
pub(crate) fn search(
    generation: &Generation,
    settings: &Settings,
    rules: &TextRules,
    q: &SearchQuery,
) -> Result<SearchResults> {
    let started = Instant::now();
    let searcher = generation.searcher();
    let filter = filters::filter_query(&generation.fields, settings, q)?;
    let allowed = searcher.search(filter.as_ref(), &DocSetCollector)?;
    let plan = q.trimmed_text().map(|t| rules.plan(t)).unwrap_or_default();
    let text = if plan.slots.is_empty() {
        None
    } else {
        Some(matching::evaluate(
            generation, &searcher, settings, &plan, &allowed,
        )?)
    };
    let docs: Vec<_> = match &text {
        Some(m) => m.docs.iter().map(|(a, r)| (*a, *r)).collect(),
        None => allowed.iter().map(|a| (*a, Default::default())).collect(),
    };
    let mut cands = ranking::candidates(searcher.segment_readers(), docs, q)?;
    let facets = ranking::facets(&cands, settings);
    ranking::sort(&mut cands, settings, q.sort);

    let max_total = settings.pagination.max_total_hits;
    let total = cands.len().min(max_total);
    let per_page = q.per_page as usize;
    let offset = (q.page.saturating_sub(1) as usize).saturating_mul(per_page);
    let end = offset.saturating_add(per_page).min(total);
    let mut hits = Vec::new();
    for c in cands.get(offset..end).unwrap_or_default() {
        let stored: TantivyDocument = searcher.doc(c.addr)?;
        let doc = schema::from_document(&generation.fields, &stored)?;
        let highlight_name = match &text {
            Some(m) => highlight(&doc.name, |w| m.mark(w)),
            None => escape_html(&doc.name),
        };
        hits.push(Hit {
            doc,
            distance_km: c.distance_km,
            highlight_name,
        });
    }
    Ok(SearchResults {
        hits,
        total: total as u64,
        facets,
        processing_ms: started.elapsed().as_millis() as u64,
    })
}
