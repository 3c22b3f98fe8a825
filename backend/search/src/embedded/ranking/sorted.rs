//! Ranks matches that are all equally relevant (no text) and need no distance (no radius, not
//! sorted by distance) without visiting each one: facet counts come from the segment's bit set
//! per facet value ANDed with the matches' bit set, and the top from the segment's documents
//! sorted once in the query's order (by the same `Order`), taking the first that match.

use super::super::bits::{self, has, ones};
use super::super::columns::{FacetSets, SegmentColumns};
use super::super::matching::Relevance;
use super::{Candidate, Counts, Order, Ranked, add_names, facets};
use crate::error::Result;
use crate::settings::Settings;
use etalase_domain::search::{SearchQuery, SortBy};
use std::sync::Arc;
use tantivy::DocId;

/// Documents of `bits` also in `set`.
fn and_count(bits: &[u64], set: &[u64]) -> u64 {
    bits.iter().zip(set).map(|(a, b)| u64::from((a & b).count_ones())).sum()
}

/// Per value of one facet, how many matches have it.
fn counts_of(bits: &[u64], sets: &[Vec<u64>]) -> Vec<u64> {
    sets.iter().map(|set| and_count(bits, set)).collect()
}

/// Adds the facet counts of the matches `bits` of segment `c` to `counts`.
pub(super) fn count_facets(c: &SegmentColumns, bits: &[u64], counts: &mut Counts) {
    let sets: &FacetSets = c.facet_sets();
    add_names(&c.category_names, &counts_of(bits, &sets.category), &mut counts.strings[0]);
    add_names(&c.kecamatan_names, &counts_of(bits, &sets.kecamatan), &mut counts.strings[1]);
    add_names(&c.cert_names, &counts_of(bits, &sets.cert), &mut counts.strings[2]);
    for (value, set) in c.pack_values.iter().zip(&sets.pack) {
        *counts.pack.entry(*value).or_default() += and_count(bits, set);
    }
    for (n, set) in counts.halal.iter_mut().zip(&sets.halal) {
        *n += and_count(bits, set);
    }
    for (n, set) in counts.buckets.iter_mut().zip(&sets.bucket) {
        *n += and_count(bits, set);
    }
}

/// Whether ordering `matched` matches directly is cheaper than finding the first `keep` of
/// them in a segment's `n` docs sorted: reading a match's row costs about 40 bit tests, and
/// the first `keep` are about `keep × n / matched` docs into the sorted ones.
pub(super) fn few(matched: usize, keep: usize, n: usize) -> bool {
    matched.saturating_mul(matched).saturating_mul(40) < keep.saturating_mul(n)
}

/// The docs of segment `seg_ord` in the order of `sort` with every doc equally relevant (by
/// sort value and id), sorted on first use.
pub(super) fn in_sort_order<'a>(
    c: &'a SegmentColumns,
    seg_ord: u32,
    order: &Order,
    sort: SortBy,
) -> &'a [DocId] {
    c.sorted(sort, || {
        let mut all: Vec<Candidate> = (0..c.hot.len() as DocId)
            .filter_map(|d| {
                let row = c.rows.get(d as usize)?;
                Some(Candidate::of(seg_ord, d, row, Relevance::default()))
            })
            .collect();
        all.sort_unstable_by(|a, b| order.cmp(a, b));
        all.into_iter().map(|c| c.addr.doc_id).collect()
    })
}

/// The best `keep` of the `matched` matches in `bits` of segment
/// `seg_ord`, all of relevance `rel`, unordered: few matches are ordered directly, otherwise
/// the first that match in the segment's docs sorted in the query's order are taken.
pub(super) fn best_of_equal(
    c: &SegmentColumns,
    seg_ord: u32,
    order: &Order,
    sort: SortBy,
    (bits, matched): (&[u64], usize),
    rel: Relevance,
    keep: usize,
) -> Vec<Candidate> {
    let candidate = |d: DocId, rel: Relevance| {
        c.rows.get(d as usize).map(|row| Candidate::of(seg_ord, d, row, rel))
    };
    if keep == 0 {
        return Vec::new();
    }
    if few(matched, keep, c.hot.len()) {
        let mut cands: Vec<Candidate> = ones(bits).filter_map(|d| candidate(d, rel)).collect();
        order.keep_best(&mut cands, keep);
        return cands;
    }
    in_sort_order(c, seg_ord, order, sort)
        .iter()
        .filter(|d| has(bits, **d))
        .take(keep)
        .filter_map(|d| candidate(*d, rel))
        .collect()
}

/// Ranks `matches` (per segment ord, the bit set of its matching docs): the best `keep` in
/// order, their number and facet counts, as `rank` would give for the same matches without
/// text.
pub(crate) fn rank_sorted(
    segments: &[Arc<SegmentColumns>],
    matches: &[Vec<u64>],
    q: &SearchQuery,
    settings: &Settings,
    keep: usize,
) -> Result<Ranked> {
    let order = Order::new(settings, q.sort);
    let mut counts = Counts::default();
    let (mut top, mut count) = (Vec::new(), 0);
    for (seg_ord, (c, bits)) in segments.iter().zip(matches).enumerate() {
        let matched = bits::count(bits);
        if matched == 0 {
            continue;
        }
        count += matched;
        count_facets(c, bits, &mut counts);
        let rel = Relevance::default();
        top.extend(best_of_equal(c, seg_ord as u32, &order, q.sort, (bits, matched), rel, keep));
    }
    order.keep_best(&mut top, keep);
    top.sort_unstable_by(|a, b| order.cmp(a, b));
    Ok(Ranked { top, count, facets: facets(counts, settings) })
}
