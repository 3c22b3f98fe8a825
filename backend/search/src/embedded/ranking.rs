//! Owns what the embedded engine does with the matching documents: reads their decoded fast
//! columns (`columns`: id, price, date, coordinates, facet values), applies the geo radius,
//! counts facets over all of them, and keeps the best ones in the order of the settings'
//! ranking rules (`sort` = the query's sort, missing prices last as in Meilisearch; ties end on
//! the product id). Only as many as the page needs are kept and ordered (a running threshold
//! drops the rest); exact distances are computed only where a radius or the distance sort
//! needs them (a latitude bound skips the hopeless ones), and for the hits of the page. With
//! the distance sort deciding the top, the walk keeps only the nearest few thousand matches
//! (their distance groups settle the page, or the walk is done again keeping all).

use super::bits;
use super::columns::{Row, SegmentColumns};
use super::matching::Relevance;
use crate::error::Result;
use crate::settings::Settings;
use etalase_domain::haversine_km;
use etalase_domain::search::{Facets, PRICE_BUCKETS, SearchQuery, SortBy};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, SegmentReader};

/// A matching document with what ranking needs.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub addr: DocAddress,
    pub id: i64,
    pub price: Option<i64>,
    pub published_at: i64,
    pub distance_km: Option<f64>,
    /// With the distance sort: the group of (almost) equal distances the match is in.
    pub geo_bucket: u32,
    /// (lat, lon) of the product.
    pub coords: Option<(f64, f64)>,
    pub rel: Relevance,
}

impl Candidate {
    /// Doc `doc` of segment `seg_ord`, with `row` its columns.
    pub(crate) fn of(seg_ord: u32, doc: DocId, row: &Row, rel: Relevance) -> Candidate {
        Candidate {
            addr: DocAddress::new(seg_ord, doc),
            id: row.id,
            price: row.price(),
            published_at: row.published,
            distance_km: None,
            geo_bucket: 0,
            coords: row.coords(),
            rel,
        }
    }
}

/// Facet counts being gathered: string facets by value, counted per segment by term ordinal.
#[derive(Default)]
struct Counts {
    strings: [HashMap<String, u64>; 3],
    halal: [u64; 2],
    pack: HashMap<i64, u64>,
    buckets: [u64; PRICE_BUCKETS.len()],
}

/// Km from the query's location to each hit that has no distance yet.
pub(crate) fn distance(
    segments: &[SegmentReader],
    hits: &mut [Candidate],
    q: &SearchQuery,
) -> Result<()> {
    let Some((lat, lon)) = q.near else {
        return Ok(());
    };
    for c in hits.iter_mut().filter(|c| c.distance_km.is_none()) {
        let Some(seg) = segments.get(c.addr.segment_ord as usize) else {
            continue;
        };
        let ff = seg.fast_fields();
        let (dlat, dlon): (Option<Column<f64>>, Option<Column<f64>>) =
            (ff.column_opt("lat")?, ff.column_opt("lon")?);
        let d = c.addr.doc_id;
        if let (Some(dlat), Some(dlon)) =
            (dlat.and_then(|col| col.first(d)), dlon.and_then(|col| col.first(d)))
        {
            c.distance_km = Some(haversine_km(lat, lon, dlat, dlon));
        }
    }
    Ok(())
}

/// What one search keeps of its matches.
pub(crate) struct Ranked {
    /// The best `keep` matches, in ranking order.
    pub top: Vec<Candidate>,
    /// Number of matches (after the geo radius).
    pub count: usize,
    /// Facet counts over all matches.
    pub facets: Facets,
}

/// Ranks the matches among `docs` (per segment ord, ascending doc ids, with their relevance)
/// with the geo radius of `q` applied: keeps the best `keep` in order, and counts all of them
/// and their facets.
pub(crate) fn rank(
    segments: &[Arc<SegmentColumns>],
    docs: &[Vec<(DocId, Relevance)>],
    q: &SearchQuery,
    settings: &Settings,
    keep: usize,
) -> Result<Ranked> {
    let order = Order::new(settings, q.sort);
    // The best `keep` of the walk's candidates, in order.
    let finish = |mut walk: Walk| {
        order.keep_best(&mut walk.out, keep);
        walk.out.sort_unstable_by(|a, b| order.cmp(a, b));
        Ranked { top: walk.out, count: walk.count, facets: facets(walk.counts, settings) }
    };
    let Some((lat, lon)) = q.near.filter(|_| q.sort == SortBy::Distance) else {
        return Ok(finish(walk(segments, docs, q, &order, keep, Keep::Best)?));
    };
    // The distance groups decide the top when they are the first rule, or when every match
    // is equally relevant (no text): then only the nearest need them, and the walk keeps only
    // the nearest few thousand (`Keep::Nearest`). Should their groups not settle the top
    // (`geo_buckets` says so), the walk is done again keeping every match.
    let decisive = keep > 0
        && (order.sort_first() || docs.iter().flatten().all(|(_, r)| *r == Relevance::default()));
    let mut walk = if decisive {
        walk(segments, docs, q, &order, keep, Keep::Nearest(geo::prefix(keep) + 1))?
    } else {
        walk(segments, docs, q, &order, keep, Keep::All)?
    };
    let point = (lat, lon);
    if !geo::geo_buckets(&mut walk.out, point, walk.count, decisive.then_some(keep), !walk.pruned) {
        walk = self::walk(segments, docs, q, &order, keep, Keep::All)?;
        geo::geo_buckets(&mut walk.out, point, walk.count, Some(keep), true);
    }
    Ok(finish(walk))
}

/// `matches` (per segment ord as `sorted::rank_sorted` takes them) as `rank` takes them, each
/// with the relevance of no text.
pub(crate) fn equally_relevant(matches: &[Vec<u64>]) -> Vec<Vec<(DocId, Relevance)>> {
    matches
        .iter()
        .map(|bits| bits::ones(bits).map(|d| (d, Relevance::default())).collect())
        .collect()
}

/// Ranks equally relevant matches (no text; per segment ord as `sorted::rank_sorted` takes
/// them) by distance from `q.near` without a radius, as `rank` would.
pub(crate) fn rank_nearest(
    segments: &[Arc<SegmentColumns>],
    matches: &[Vec<u64>],
    q: &SearchQuery,
    settings: &Settings,
    keep: usize,
) -> Result<Ranked> {
    let order = Order::new(settings, q.sort);
    let point = q.near.unwrap_or_default();
    let mut walk = nearest::nearest_walk(segments, matches, point, geo::prefix(keep) + 1);
    if keep == 0 || !geo::geo_buckets(&mut walk.out, point, walk.count, Some(keep), !walk.pruned) {
        // The nearest cannot settle the groups of the page: every match is grouped.
        let docs = equally_relevant(matches);
        return rank(segments, &docs, q, settings, keep);
    }
    order.keep_best(&mut walk.out, keep);
    walk.out.sort_unstable_by(|a, b| order.cmp(a, b));
    Ok(Ranked { top: walk.out, count: walk.count, facets: facets(walk.counts, settings) })
}

/// Which matches the walk keeps as candidates.
#[derive(Clone, Copy, PartialEq)]
enum Keep {
    /// The best `keep` in ranking order (a running threshold drops the rest).
    Best,
    /// The nearest `n` by (distance, id): the distance sort's groups are formed over them.
    Nearest(usize),
    /// Every match (the distance groups are formed over all of them).
    All,
}

/// What one pass over the matches gathered.
struct Walk {
    out: Vec<Candidate>,
    count: usize,
    counts: Counts,
    /// Whether matches were left out of `out` (only with `Keep::Nearest`).
    pruned: bool,
}

/// One pass over the matches: the geo radius, the facet counts, and the candidates `mode`
/// keeps.
fn walk(
    segments: &[Arc<SegmentColumns>],
    docs: &[Vec<(DocId, Relevance)>],
    q: &SearchQuery,
    order: &Order,
    keep: usize,
    mode: Keep,
) -> Result<Walk> {
    let mut w = Walk { out: Vec::new(), count: 0, counts: Counts::default(), pruned: false };
    // The best `keep` so far, among up to `cap` unordered ones.
    let cap = match mode {
        Keep::Nearest(n) => n * 2,
        _ => keep.max(256) * 2,
    };
    // The worst of the kept ones once enough were seen: anything ranked after it is out.
    let mut threshold: Option<Candidate> = None;
    // With `Keep::Nearest`: the distance of the farthest kept once enough were seen.
    let mut reach: Option<f64> = None;
    // With the query's sort first and by distance, a match whose latitude alone puts it
    // farther than the threshold needs no exact distance.
    let by_distance = q.sort == SortBy::Distance && order.sort_first();
    let prune = mode == Keep::Best;
    // Distances are needed for every match only to apply a radius or sort by them; otherwise
    // the hits of the page get theirs afterwards (`distance`).
    let geo = q
        .near
        .filter(|_| q.radius_km.is_some() || q.sort == SortBy::Distance)
        .map(|(lat, lon)| Origin::new(lat, lon));
    for (seg_ord, (c, seg_docs)) in segments.iter().zip(docs).enumerate() {
        if seg_docs.is_empty() {
            continue;
        }
        let mut cat_counts = vec![0u64; c.category_names.len()];
        let mut kec_counts = vec![0u64; c.kecamatan_names.len()];
        let mut cert_counts = vec![0u64; c.cert_names.len()];
        let mut pack_counts = vec![0u64; c.pack_values.len()];
        let cert_bits = c.cert_names.len() <= 8;
        for (doc, rel) in seg_docs {
            let Some(h) = c.hot.get(*doc as usize) else {
                continue;
            };
            let mut distance_km = None;
            // A match too far to reach the kept ones (its distance is not computed).
            let mut out_of_reach = false;
            if let Some(g) = geo.as_ref().filter(|_| h.located()) {
                let (dlat, dlon) = c.coords.get(*doc as usize).copied().unwrap_or_default();
                let lower = g.lower_bound_km(dlat);
                if q.radius_km.is_some_and(|r| beyond(lower, r)) {
                    continue;
                }
                let limit = if prune && by_distance && q.radius_km.is_none() {
                    threshold.as_ref().and_then(|t: &Candidate| t.distance_km)
                } else {
                    reach
                };
                if limit.is_some_and(|t| beyond(lower, t)) {
                    out_of_reach = true;
                } else {
                    let km = g.km(dlat, dlon);
                    if q.radius_km.is_some_and(|r| km > r) {
                        continue;
                    }
                    out_of_reach = reach.is_some_and(|t| km > t);
                    distance_km = Some(km);
                }
            }
            if let Some(n) = cat_counts.get_mut(usize::from(h.category)) {
                *n += 1;
            }
            if let Some(n) = kec_counts.get_mut(usize::from(h.kecamatan)) {
                *n += 1;
            }
            if let Some(n) = w.counts.halal.get_mut(h.halal()) {
                *n += 1;
            }
            if cert_bits {
                let mut bits = h.cert_bits;
                while bits != 0 {
                    if let Some(n) = cert_counts.get_mut(bits.trailing_zeros() as usize) {
                        *n += 1;
                    }
                    bits &= bits - 1;
                }
            } else {
                for o in c.certs(*doc) {
                    if let Some(n) = cert_counts.get_mut(*o as usize) {
                        *n += 1;
                    }
                }
            }
            if let Some(n) = pack_counts.get_mut(usize::from(h.pack)) {
                *n += 1;
            }
            if let Some(n) = w.counts.buckets.get_mut(h.bucket()) {
                *n += 1;
            }
            w.count += 1;
            if keep == 0 || out_of_reach {
                w.pruned |= out_of_reach;
                continue;
            }
            if matches!(mode, Keep::Nearest(_)) && !h.located() {
                // Without coordinates it comes after every located match; with `n` of them
                // kept it cannot make the top.
                w.pruned = true;
                continue;
            }
            // Most matches are ranked out by their relevance, id and sort value alone, without
            // reading their row.
            let d = *doc as usize;
            let keys = (|| c.price(d as DocId), || c.published.get(d).copied().unwrap_or_default());
            if threshold.as_ref().and_then(|t| order.decide((rel, h.id), keys, t))
                == Some(Ordering::Greater)
            {
                continue;
            }
            let Some(row) = c.rows.get(*doc as usize) else {
                continue;
            };
            let cand = Candidate { distance_km, ..Candidate::of(seg_ord as u32, *doc, row, *rel) };
            if threshold.as_ref().is_some_and(|t| order.cmp(&cand, t) == Ordering::Greater) {
                continue;
            }
            w.out.push(cand);
            if mode == Keep::Best && threshold.is_none() && w.out.len() == keep {
                // The worst of the first `keep`: anything ranked after it is out already.
                threshold = w.out.iter().max_by(|a, b| order.cmp(a, b)).cloned();
            }
            if w.out.len() >= cap {
                match mode {
                    Keep::Best => threshold = order.keep_best(&mut w.out, keep),
                    Keep::Nearest(n) => {
                        reach = nearest(&mut w.out, n);
                        w.pruned = true;
                    }
                    Keep::All => {}
                }
            }
        }
        add_names(&c.category_names, &cat_counts, &mut w.counts.strings[0]);
        add_names(&c.kecamatan_names, &kec_counts, &mut w.counts.strings[1]);
        add_names(&c.cert_names, &cert_counts, &mut w.counts.strings[2]);
        for (value, n) in c.pack_values.iter().zip(pack_counts) {
            *w.counts.pack.entry(*value).or_default() += n;
        }
    }
    Ok(w)
}

/// Keeps the nearest `n` of `cands` (by distance, then id; all have a distance); returns the
/// distance of the farthest kept. Matches farther than it cannot be among the nearest `n`.
fn nearest(cands: &mut Vec<Candidate>, n: usize) -> Option<f64> {
    let key = |c: &Candidate| (c.distance_km.unwrap_or(f64::MAX), c.id);
    let by = |a: &Candidate, b: &Candidate| {
        let (ka, kb) = (key(a), key(b));
        ka.0.total_cmp(&kb.0).then(ka.1.cmp(&kb.1))
    };
    if n == 0 || cands.len() < n {
        return None;
    }
    cands.select_nth_unstable_by(n - 1, by);
    cands.truncate(n);
    cands.iter().map(|c| c.distance_km.unwrap_or(f64::MAX)).max_by(f64::total_cmp)
}

pub(crate) mod buckets;
mod facets;
mod geo;
mod nearest;
mod order;
mod origin;
pub(crate) mod sorted;
#[cfg(test)]
mod tests;

use facets::{add_names, facets};
use order::Order;
pub(crate) use origin::{EARTH_RADIUS_KM, Origin, beyond};
