//! Ranks text matches not sorted by distance (a radius is applied to them beforehand) without
//! reading every match's columns, the way Meilisearch's buckets do. With relevance ranked
//! before the sort and the id, the matches are counted per relevance: every match more
//! relevant than the relevance where the page ends makes the page, and the rest of the page
//! comes from the matches of that relevance in the sort's order. With a sort by price or date
//! first, the segment's docs sorted once by it are walked for matches until the page is full
//! and its last sort value complete. Either way few matches are ordered directly, and facet
//! counts come from the matches' bit set ANDed with the facet bit sets.

use super::super::bits::{self, has};
use super::super::columns::SegmentColumns;
use super::super::matching::Relevance;
use super::sorted::{best_of_equal, count_facets, few, in_sort_order};
use super::{Candidate, Counts, Order, Ranked, facets};
use crate::settings::Settings;
use etalase_domain::search::{SearchQuery, SortBy};
use std::cmp::Ordering;
use std::sync::Arc;
use tantivy::DocId;

/// Number of matches per relevance score (`Order::relevance_score`), with the relevance of
/// one of them. There are few distinct ones: the last one found is tried first, as
/// neighbouring documents often share it.
#[derive(Default)]
struct Levels {
    levels: Vec<(u64, Relevance, usize)>,
    last: usize,
}

impl Levels {
    fn add(&mut self, score: u64, rel: &Relevance) {
        if let Some((s, _, n)) = self.levels.get_mut(self.last)
            && *s == score
        {
            *n += 1;
            return;
        }
        match self.levels.iter().position(|(s, _, _)| *s == score) {
            Some(i) => {
                self.last = i;
                if let Some((_, _, n)) = self.levels.get_mut(i) {
                    *n += 1;
                }
            }
            None => {
                self.last = self.levels.len();
                self.levels.push((score, *rel, 1));
            }
        }
    }

    /// The relevance score of the `keep`-th best match (or of the last, with fewer), a
    /// relevance with it, and how many of the page's matches have it.
    fn cutoff(mut self, keep: usize) -> Option<(u64, Relevance, usize)> {
        self.levels.sort_unstable_by_key(|(s, _, _)| *s);
        let mut before = 0;
        for (i, (score, rel, n)) in self.levels.iter().enumerate() {
            if before + n >= keep || i + 1 == self.levels.len() {
                return Some((*score, *rel, (keep - before).min(*n)));
            }
            before += n;
        }
        None
    }
}

/// Ranks the text matches `docs` (per segment ord, ascending doc ids, with their relevance):
/// the best `keep` in order, their number and facet counts, as `rank` would when not sorted by
/// distance (a radius is applied to `docs` beforehand). `None` when the settings rank neither by relevance first nor, with a
/// sort by price or date, by the sort first.
pub(crate) fn rank_text(
    segments: &[Arc<SegmentColumns>],
    docs: &[Vec<(DocId, Relevance)>],
    q: &SearchQuery,
    settings: &Settings,
    keep: usize,
) -> Option<Ranked> {
    let order = Order::new(settings, q.sort);
    let by_value = order.sort_first() && !matches!(q.sort, SortBy::Relevance | SortBy::Distance);
    if !by_value && !order.relevance_first() {
        return None;
    }
    let mut counts = Counts::default();
    let mut levels = Levels::default();
    let mut matched: Vec<Vec<u64>> = Vec::with_capacity(segments.len());
    for (c, seg_docs) in segments.iter().zip(docs) {
        let bits = bits::of(c.hot.len(), seg_docs.iter().map(|(d, _)| *d));
        for (_, rel) in seg_docs {
            levels.add(order.relevance_score(rel), rel);
        }
        if !seg_docs.is_empty() {
            count_facets(c, &bits, &mut counts);
        }
        matched.push(bits);
    }
    let count = levels.levels.iter().map(|(_, _, n)| n).sum();
    let mut top = if keep == 0 {
        Vec::new()
    } else if by_value {
        by_sort_value(segments, docs, &matched, &order, keep)
    } else {
        by_relevance(segments, docs, levels, &order, keep)
    };
    order.keep_best(&mut top, keep);
    top.sort_unstable_by(|a, b| order.cmp(a, b));
    Some(Ranked { top, count, facets: facets(counts, settings) })
}

/// With relevance first: the matches more relevant than the `keep`-th best, and the best of
/// those as relevant as it (by sort value and id).
fn by_relevance(
    segments: &[Arc<SegmentColumns>],
    docs: &[Vec<(DocId, Relevance)>],
    levels: Levels,
    order: &Order,
    keep: usize,
) -> Vec<Candidate> {
    let mut top = Vec::new();
    let Some((cutoff, rel_at_cutoff, need)) = levels.cutoff(keep) else {
        return top;
    };
    for (seg_ord, (c, seg_docs)) in segments.iter().zip(docs).enumerate() {
        let mut at_cutoff = bits::none(c.hot.len());
        let mut matched = 0;
        for (d, rel) in seg_docs {
            match order.relevance_score(rel).cmp(&cutoff) {
                Ordering::Less => {
                    if let Some(row) = c.rows.get(*d as usize) {
                        top.push(Candidate::of(seg_ord as u32, *d, row, *rel));
                    }
                }
                Ordering::Equal => {
                    bits::insert(&mut at_cutoff, *d);
                    matched += 1;
                }
                Ordering::Greater => {}
            }
        }
        if matched > 0 {
            let (seg, bits) = (seg_ord as u32, (at_cutoff.as_slice(), matched));
            let rel = rel_at_cutoff;
            top.extend(best_of_equal(c, seg, order, order.sort(), bits, rel, need));
        }
    }
    top
}

/// With the sort (by price or date) first: per segment, the matches in the sort's order up to
/// the `keep`-th and every other one of its sort value (relevance orders those), or every
/// match when few.
fn by_sort_value(
    segments: &[Arc<SegmentColumns>],
    docs: &[Vec<(DocId, Relevance)>],
    matched: &[Vec<u64>],
    order: &Order,
    keep: usize,
) -> Vec<Candidate> {
    let mut top = Vec::new();
    for (seg_ord, ((c, seg_docs), bits)) in segments.iter().zip(docs).zip(matched).enumerate() {
        let seg = seg_ord as u32;
        let candidate = |d: DocId, rel: Relevance| {
            c.rows.get(d as usize).map(|row| Candidate::of(seg, d, row, rel))
        };
        if few(seg_docs.len(), keep, c.hot.len()) {
            let mut cands: Vec<Candidate> =
                seg_docs.iter().filter_map(|(d, rel)| candidate(*d, *rel)).collect();
            order.keep_best(&mut cands, keep);
            top.extend(cands);
            continue;
        }
        let mut cands: Vec<Candidate> = Vec::new();
        for d in in_sort_order(c, seg, order, order.sort()).iter().filter(|d| has(bits, **d)) {
            let Ok(i) = seg_docs.binary_search_by_key(d, |(doc, _)| *doc) else {
                continue;
            };
            let Some(cand) = seg_docs.get(i).and_then(|(_, rel)| candidate(*d, *rel)) else {
                continue;
            };
            if cands.len() >= keep && cands.last().is_some_and(|l| !order.same_sort(l, &cand)) {
                break;
            }
            cands.push(cand);
        }
        top.extend(cands);
    }
    top
}

#[cfg(test)]
mod tests;
