//! Owns what the embedded engine does with the matching documents: reads their decoded fast
//! columns (`columns`: id, price, date, coordinates, facet values), applies the geo radius,
//! counts facets over all of them, and keeps the best ones in the order of the settings'
//! ranking rules (`sort` = the query's sort, missing prices last as in Meilisearch; ties end on
//! the product id). Only as many as the page needs are kept and ordered (a running threshold
//! drops the rest); exact distances are computed only where a radius or the distance sort
//! needs them (a latitude bound skips the hopeless ones), and for the hits of the page.

use super::columns::SegmentColumns;
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

/// Facet counts being gathered: string facets by value, counted per segment by term ordinal.
#[derive(Default)]
struct Counts {
    strings: [HashMap<String, u64>; 3],
    halal: [u64; 2],
    pack: HashMap<i64, u64>,
    buckets: [u64; PRICE_BUCKETS.len()],
}

/// The radius `haversine_km` uses (checked against it in the tests below).
pub(crate) const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The query's location, with what `haversine_km` computes from it alone hoisted out (the
/// same operations in the same order, so the same distances to the bit).
struct Origin {
    lat: f64,
    lon: f64,
    cos_lat: f64,
}

impl Origin {
    fn new(lat: f64, lon: f64) -> Origin {
        Origin { lat, lon, cos_lat: lat.to_radians().cos() }
    }

    /// A lower bound of the distance to any point at latitude `lat2` (the meridian arc).
    fn lower_bound_km(&self, lat2: f64) -> f64 {
        EARTH_RADIUS_KM * (lat2 - self.lat).to_radians().abs()
    }

    /// `haversine_km(self.lat, self.lon, lat2, lon2)`.
    fn km(&self, lat2: f64, lon2: f64) -> f64 {
        let p2 = lat2.to_radians();
        let dp = (lat2 - self.lat).to_radians();
        let dl = (lon2 - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + self.cos_lat * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }
}

/// Whether a lower bound `lower` of a distance is surely over `limit` (with a margin far
/// above rounding errors).
fn beyond(lower: f64, limit: f64) -> bool {
    lower > limit * (1.0 + 1e-9) + 1e-9
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
    // The best `keep` so far, among up to `cap` unordered ones.
    let cap = keep.max(256) * 2;
    let mut out: Vec<Candidate> = Vec::new();
    let mut count = 0usize;
    // The worst of the best `keep` once that many were seen: anything ranked after it is out.
    let mut threshold: Option<Candidate> = None;
    // With the query's sort first and by distance, a match whose latitude alone puts it
    // farther than the threshold needs no exact distance.
    let by_distance = q.sort == SortBy::Distance && order.sort_first();
    // Distance groups are formed over every match (`geo_buckets`), so none is left out early.
    let prune = !(q.sort == SortBy::Distance && q.near.is_some());
    let mut counts = Counts::default();
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
        for (doc, rel) in seg_docs {
            let d = *doc as usize;
            if d >= c.id.len() {
                continue;
            }
            let mut distance_km = None;
            // A match too far to reach the kept ones (its distance is not computed).
            let mut out_of_reach = false;
            if let (Some(g), Some(dlat), Some(dlon)) = (&geo, c.lat[d], c.lon[d]) {
                let lower = g.lower_bound_km(dlat);
                if q.radius_km.is_some_and(|r| beyond(lower, r)) {
                    continue;
                }
                if by_distance
                    && prune
                    && q.radius_km.is_none()
                    && threshold
                        .as_ref()
                        .and_then(|t: &Candidate| t.distance_km)
                        .is_some_and(|t| beyond(lower, t))
                {
                    out_of_reach = true;
                } else {
                    let km = g.km(dlat, dlon);
                    if q.radius_km.is_some_and(|r| km > r) {
                        continue;
                    }
                    distance_km = Some(km);
                }
            }
            if let Some(n) = cat_counts.get_mut(c.category[d] as usize) {
                *n += 1;
            }
            if let Some(n) = kec_counts.get_mut(c.kecamatan[d] as usize) {
                *n += 1;
            }
            if let Some(n) = counts.halal.get_mut(usize::from(c.halal[d])) {
                *n += 1;
            }
            for o in c.certs(*doc) {
                if let Some(n) = cert_counts.get_mut(*o as usize) {
                    *n += 1;
                }
            }
            if let Some(n) = pack_counts.get_mut(c.pack[d] as usize) {
                *n += 1;
            }
            if let Some(n) = counts.buckets.get_mut(usize::from(c.bucket[d])) {
                *n += 1;
            }
            count += 1;
            if keep == 0 || out_of_reach {
                continue;
            }
            let cand = Candidate {
                addr: DocAddress::new(seg_ord as u32, *doc),
                id: c.id[d],
                price: c.price[d],
                published_at: c.published[d],
                distance_km,
                geo_bucket: 0,
                coords: c.lat[d].zip(c.lon[d]),
                rel: *rel,
            };
            if threshold.as_ref().is_some_and(|t| order.cmp(&cand, t) == Ordering::Greater) {
                continue;
            }
            out.push(cand);
            if prune && out.len() >= cap {
                threshold = order.keep_best(&mut out, keep);
            }
        }
        add_names(&c.category_names, &cat_counts, &mut counts.strings[0]);
        add_names(&c.kecamatan_names, &kec_counts, &mut counts.strings[1]);
        add_names(&c.cert_names, &cert_counts, &mut counts.strings[2]);
        for (value, n) in c.pack_values.iter().zip(pack_counts) {
            *counts.pack.entry(*value).or_default() += n;
        }
    }
    if let (SortBy::Distance, Some((lat, lon))) = (q.sort, q.near) {
        // The distance groups decide the top when they are the first rule, or when every match
        // is equally relevant (no text): then only the nearest need them.
        let decisive = order.sort_first() || out.iter().all(|c| c.rel == Relevance::default());
        geo::geo_buckets(&mut out, (lat, lon), count, decisive.then_some(keep));
    }
    order.keep_best(&mut out, keep);
    out.sort_unstable_by(|a, b| order.cmp(a, b));
    Ok(Ranked { top: out, count, facets: facets(counts, settings) })
}

/// Missing values last whatever the direction (as Meilisearch sorts).
fn missing_last<T: PartialOrd>(a: Option<T>, b: Option<T>, desc: bool) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => {
            let o = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
            if desc { o.reverse() } else { o }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn by_sort(a: &Candidate, b: &Candidate, sort: SortBy) -> Ordering {
    match sort {
        SortBy::Relevance => Ordering::Equal,
        SortBy::Distance => a.geo_bucket.cmp(&b.geo_bucket),
        SortBy::PriceAsc => missing_last(a.price, b.price, false),
        SortBy::PriceDesc => missing_last(a.price, b.price, true),
        SortBy::Newest => b.published_at.cmp(&a.published_at),
    }
}

/// A ranking rule the engine applies.
#[derive(Clone, Copy)]
enum Rule {
    Words,
    Typo,
    Attribute,
    Exactness,
    Sort,
    /// `id:asc`.
    IdAsc,
}

/// The ranking rules of the settings and the query's sort, compiled.
struct Order {
    rules: Vec<Rule>,
    sort: SortBy,
}

impl Order {
    fn new(settings: &Settings, sort: SortBy) -> Order {
        let rules = settings
            .ranking_rules
            .iter()
            .filter_map(|rule| match rule.as_str() {
                "words" => Some(Rule::Words),
                "typo" => Some(Rule::Typo),
                "attributeRank" => Some(Rule::Attribute),
                "exactness" => Some(Rule::Exactness),
                "sort" => Some(Rule::Sort),
                "id:asc" => Some(Rule::IdAsc),
                _ => None,
            })
            .collect();
        Order { rules, sort }
    }

    /// The order of the ranking rules, then by id (should the settings not end on `id:asc`).
    fn cmp(&self, a: &Candidate, b: &Candidate) -> Ordering {
        for rule in &self.rules {
            let o = match rule {
                Rule::Words => b.rel.words.cmp(&a.rel.words),
                Rule::Typo => a.rel.typos.cmp(&b.rel.typos),
                Rule::Attribute => a.rel.attribute.cmp(&b.rel.attribute),
                Rule::Exactness => b.rel.exact.cmp(&a.rel.exact),
                Rule::Sort => by_sort(a, b, self.sort),
                Rule::IdAsc => a.id.cmp(&b.id),
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.id.cmp(&b.id).then(a.addr.cmp(&b.addr))
    }

    /// Whether the query's sort is the first rule.
    fn sort_first(&self) -> bool {
        matches!(self.rules.first(), Some(Rule::Sort))
    }

    /// Keeps the best `n` of `cands` (unordered); returns the worst kept when `n` were kept.
    fn keep_best(&self, cands: &mut Vec<Candidate>, n: usize) -> Option<Candidate> {
        if n == 0 {
            cands.clear();
            return None;
        }
        if n < cands.len() {
            cands.select_nth_unstable_by(n - 1, |a, b| self.cmp(a, b));
            cands.truncate(n);
        }
        (cands.len() == n).then(|| cands.iter().max_by(|a, b| self.cmp(a, b)).cloned()).flatten()
    }
}

mod facets;
mod geo;
#[cfg(test)]
mod tests;

use facets::{add_names, facets};
