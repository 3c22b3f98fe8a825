//! Owns one search on the embedded engine from start to end: filters, text matching, geo
//! radius, facet counts over all matches, ranking, the page (within `maxTotalHits`, as
//! Meilisearch pages), and the hits with distance and highlighted name. Only the page's hits
//! are loaded from the document store; everything else reads fast columns and postings.

use super::generation::Generation;
use super::{filters, matching, ranking, schema};
use crate::error::Result;
use crate::plan::TextRules;
use crate::settings::Settings;
use crate::text::escape_html;
use etalase_domain::search::{Hit, SearchQuery, SearchResults, SortBy};
use std::time::Instant;
use tantivy::TantivyDocument;

/// Runs `q` (already validated) on `generation`.
pub(crate) fn search(
    generation: &Generation,
    settings: &Settings,
    rules: &TextRules,
    q: &SearchQuery,
) -> Result<SearchResults> {
    let started = Instant::now();
    let searcher = generation.searcher();
    let columns = generation.segment_columns(&searcher)?;
    // Without a filter every live document is allowed, and no bit set of them is made.
    let allowed = filters::allowed(&searcher, &generation.fields, &columns, settings, q)?;
    let plan = q.trimmed_text().map(|t| rules.plan(t)).unwrap_or_default();
    let mut text = if plan.slots.is_empty() {
        None
    } else {
        Some(matching::evaluate(
            generation,
            (&searcher, &columns),
            settings,
            &plan,
            allowed.as_deref(),
        )?)
    };
    // The geo radius, on the matches only.
    if let Some(m) = &mut text {
        for (c, docs) in columns.iter().zip(&mut m.docs) {
            if let Some(within) = filters::Within::of(c, q) {
                docs.retain(|(d, _)| within.keeps(*d));
            }
        }
    }
    let max_total = settings.pagination.max_total_hits;
    let per_page = q.per_page as usize;
    let offset = (q.page.saturating_sub(1) as usize).saturating_mul(per_page);
    let keep = offset.saturating_add(per_page).min(max_total);
    let segments = searcher.segment_readers();
    let ranked = match &text {
        Some(m) => {
            // The radius is applied already.
            let by_relevance = (q.sort != SortBy::Distance)
                .then(|| ranking::buckets::rank_text(&columns, &m.docs, q, settings, keep))
                .flatten();
            match by_relevance {
                Some(ranked) => ranked,
                None => ranking::rank(&columns, &m.docs, q, settings, keep)?,
            }
        }
        None => {
            // Per segment: the allowed docs.
            let mut matches: Vec<Vec<u64>> = match allowed {
                Some(allowed) => allowed,
                None => segments.iter().map(filters::alive_bits).collect(),
            };
            for (c, bits) in columns.iter().zip(&mut matches) {
                if let Some(within) = filters::Within::of(c, q) {
                    within.restrict(bits);
                }
            }
            // The radius is in `matches` already.
            match (q.sort, q.near) {
                (SortBy::Distance, Some(_)) => {
                    ranking::rank_nearest(&columns, &matches, q, settings, keep)?
                }
                (sort, _) if sort != SortBy::Distance => {
                    ranking::sorted::rank_sorted(&columns, &matches, q, settings, keep)?
                }
                _ => {
                    let docs = ranking::equally_relevant(&matches);
                    ranking::rank(&columns, &docs, q, settings, keep)?
                }
            }
        }
    };
    let ranking::Ranked { top: mut cands, count, facets } = ranked;
    let total = count.min(max_total);
    let end = offset.saturating_add(per_page).min(total);
    if let Some(page) = cands.get_mut(offset..end) {
        ranking::distance(searcher.segment_readers(), page, q)?;
    }
    let marker = text.is_some().then(|| rules.marker(&plan));
    let mut hits = Vec::new();
    for c in cands.get(offset..end).unwrap_or_default() {
        let stored: TantivyDocument = searcher.doc(c.addr)?;
        let doc = schema::from_document(&generation.fields, &stored)?;
        let highlight_name = match &marker {
            Some(m) => m.highlight(&doc.name),
            None => escape_html(&doc.name),
        };
        hits.push(Hit { doc, distance_km: c.distance_km, highlight_name });
    }
    Ok(SearchResults {
        hits,
        total: total as u64,
        facets,
        processing_ms: started.elapsed().as_millis() as u64,
    })
}
