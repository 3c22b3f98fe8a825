//! The distance sort without text or radius, where the distance groups decide the top: the
//! walk's `Keep::Nearest(n)` pass without visiting every match. Facet counts come from the
//! facet bit sets; the nearest `n` from the segment's located docs in grid cells, visited from
//! the nearest cell out until a cell's lower bound puts it and the rest beyond the farthest of
//! the nearest `n` found.

use super::super::bits::{count, has};
use super::super::columns::SegmentColumns;
use super::sorted::count_facets;
use super::{Candidate, Counts, Origin, Walk, beyond};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;
use tantivy::DocId;

/// A match by (km, product id), the order of the nearest.
#[derive(Clone, Copy, PartialEq)]
struct Near {
    km: f64,
    id: i64,
    seg: u32,
    doc: DocId,
}

impl Eq for Near {}

impl Ord for Near {
    fn cmp(&self, other: &Near) -> Ordering {
        self.km.total_cmp(&other.km).then(self.id.cmp(&other.id))
    }
}

impl PartialOrd for Near {
    fn partial_cmp(&self, other: &Near) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The nearest `n` located matches of `matches` (per segment ord, as `rank_sorted` takes
/// them) to `(lat, lon)` by (distance, id), with every match counted and its facets: what
/// the walk keeping the nearest `n` decides the same top from.
pub(super) fn nearest_walk(
    segments: &[Arc<SegmentColumns>],
    matches: &[Vec<u64>],
    (lat, lon): (f64, f64),
    n: usize,
) -> Walk {
    let origin = Origin::new(lat, lon);
    let mut w = Walk { out: Vec::new(), count: 0, counts: Counts::default(), pruned: false };
    let mut near: Vec<Near> = Vec::new();
    for (seg_ord, (c, bits)) in segments.iter().zip(matches).enumerate() {
        let matched = count(bits);
        if matched == 0 {
            continue;
        }
        w.count += matched;
        count_facets(c, bits, &mut w.counts);
        if n == 0 {
            continue;
        }
        let coords = |d: DocId| c.coords.get(d as usize).copied().unwrap_or_default();
        let grid = c.grid();
        let mut heap: BinaryHeap<Near> = BinaryHeap::with_capacity(n + 1);
        // Cells from the nearest out; the bounds only grow.
        for (lower, cell) in grid.by_bound((lat, lon)) {
            if heap.len() == n && heap.peek().is_some_and(|far| beyond(lower, far.km)) {
                break;
            }
            for &d in grid.docs_of(cell).iter().filter(|d| has(bits, **d)) {
                let (dlat, dlon) = coords(d);
                let id = c.hot.get(d as usize).map_or(0, |h| h.id);
                let cand = Near { km: origin.km(dlat, dlon), id, seg: seg_ord as u32, doc: d };
                if heap.len() < n {
                    heap.push(cand);
                } else if heap.peek().is_some_and(|far| cand < *far) {
                    heap.pop();
                    heap.push(cand);
                }
            }
        }
        near.extend(heap);
    }
    near.sort_unstable();
    near.truncate(n);
    w.out = near
        .into_iter()
        .filter_map(|x| {
            let row = segments.get(x.seg as usize)?.rows.get(x.doc as usize)?;
            Some(Candidate {
                distance_km: Some(x.km),
                ..Candidate::of(x.seg, x.doc, row, Default::default())
            })
        })
        .collect();
    w.pruned = w.count > w.out.len();
    w
}
