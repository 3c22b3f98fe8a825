//! Meilisearch's geo sort groups for the distance sort. Numbering the groups needs the matches
//! in distance order; with many matches and the groups deciding the top (`decisive`), only
//! the nearest are sorted and grouped: the rest come after them, which changes nothing in
//! the kept top as long as none of the rest can reach the group of its last hit (checked;
//! otherwise every match is grouped, as before).

use super::{Candidate, EARTH_RADIUS_KM};

const MARGIN_M: f64 = 1.0;
const MAX_BUCKET: usize = 1000;
/// At least this many nearest matches are grouped on the fast path.
const MIN_PREFIX: usize = 2048;

/// Meters from the query's point as Meilisearch's geo sort measures them (the `geoutils`
/// haversine on a 6,371 km sphere, rounded to the millimetre).
fn meili_meters(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let hav = |theta: f64| (1.0 - theta.cos()) / 2.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (l1, l2) = (lon1.to_radians(), lon2.to_radians());
    let total = hav(p2 - p1) + p1.cos() * p2.cos() * hav(l2 - l1);
    (2.0 * 6371e3 * total.sqrt().asin() * 1000.0).round() / 1000.0
}

/// The group of each entry of `located` (nearest first): walking from the nearest, a group
/// takes every match within 1 m of its first one's distance (at most 1,000).
fn groups(located: &[(f64, usize)]) -> Vec<u32> {
    let mut out = Vec::with_capacity(located.len());
    let (mut bucket, mut start, mut size) = (0u32, None::<f64>, 0usize);
    for &(meters, _) in located {
        match start {
            Some(s) if (s - meters).abs() <= MARGIN_M && size < MAX_BUCKET => size += 1,
            Some(_) => {
                bucket += 1;
                (start, size) = (Some(meters), 1);
            }
            None => (start, size) = (Some(meters), 1),
        }
        out.push(bucket);
    }
    out
}

fn meters_of(c: &Candidate, (lat, lon): (f64, f64)) -> f64 {
    c.coords.map(|(clat, clon)| meili_meters(lat, lon, clat, clon)).unwrap_or(f64::MAX)
}

/// Meilisearch's geo sort gives no strict order by distance: the later ranking rules order
/// each group. Below 1,000 matches it walks them sorted by whole metres (ties in document
/// order, here the id); from 1,000 by exact distance. This numbers the groups the same way
/// (matches without coordinates come after all of them). `decisive` = the number of hits to
/// keep when the groups decide them (the fast path may then group only the nearest).
/// `complete`: whether `cands` holds every match; when it does not (only the nearest were
/// kept) and the fast path cannot decide, nothing is grouped and it returns false.
pub(super) fn geo_buckets(
    cands: &mut [Candidate],
    origin: (f64, f64),
    matches: usize,
    decisive: Option<usize>,
    complete: bool,
) -> bool {
    let mut located: Vec<(f64, usize)> = Vec::new();
    for (i, c) in cands.iter_mut().enumerate() {
        c.geo_bucket = u32::MAX;
        if let (Some(km), Some(_)) = (c.distance_km, c.coords) {
            located.push((km, i));
        }
    }
    if let Some(keep) = decisive
        && matches >= 1000
        && nearest_only(cands, &mut located, origin, keep)
    {
        return true;
    }
    if !complete {
        return false;
    }
    for entry in located.iter_mut() {
        entry.0 = meters_of(&cands[entry.1], origin);
    }
    let id = |i: usize| cands[i].id;
    if matches < 1000 {
        located.sort_by_key(|a| (a.0 as usize, id(a.1)));
    } else {
        located.sort_by(|a, b| a.0.total_cmp(&b.0).then(id(a.1).cmp(&id(b.1))));
    }
    for (&(_, i), g) in located.iter().zip(groups(&located)) {
        cands[i].geo_bucket = g;
    }
    true
}

/// How many of the nearest matches the fast path groups when `keep` hits are kept.
pub(super) fn prefix(keep: usize) -> usize {
    keep.saturating_mul(2).max(MIN_PREFIX)
}

/// The fast path: groups the nearest `max(2 × keep, 2,048)` (by the engine's distance in
/// km, `located.0`) and puts the rest after them; false (nothing decided) when there are
/// too few to gain or one of the rest might belong to the group of the `keep`-th.
fn nearest_only(
    cands: &mut [Candidate],
    located: &mut [(f64, usize)],
    origin: (f64, f64),
    keep: usize,
) -> bool {
    let prefix = prefix(keep);
    if keep == 0 || located.len() <= prefix {
        return false;
    }
    let by_km = |a: &(f64, usize), b: &(f64, usize)| {
        a.0.total_cmp(&b.0).then(cands[a.1].id.cmp(&cands[b.1].id))
    };
    located.select_nth_unstable_by(prefix, by_km);
    let next_km = located[prefix].0;
    let mut near: Vec<(f64, usize)> =
        located[..prefix].iter().map(|&(_, i)| (meters_of(&cands[i], origin), i)).collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0).then(cands[a.1].id.cmp(&cands[b.1].id)));
    let g = groups(&near);
    let last = g.last().copied().unwrap_or(0);
    let kept = g.get(keep - 1).copied().unwrap_or(last);
    let kept_start =
        g.iter().position(|b| *b == kept).and_then(|i| near.get(i)).map_or(0.0, |n| n.0);
    // The nearest of the rest, in Meilisearch's metres, at the least (its sphere is 6,371 km;
    // two centimetres cover the rounding). Beyond the reach of the `keep`-th hit's group, none
    // of the rest can join it or any group before it.
    let next_m = next_km * 1000.0 * (6371.0 / EARTH_RADIUS_KM) - 0.02;
    if next_m <= kept_start + MARGIN_M + 0.02 {
        return false;
    }
    for (&(_, i), b) in near.iter().zip(g) {
        cands[i].geo_bucket = b;
    }
    for &(_, i) in &located[prefix..] {
        cands[i].geo_bucket = last + 1;
    }
    true
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use tantivy::DocAddress;

    fn cands(n: usize, seed: u64) -> Vec<Candidate> {
        // Clusters of identical coordinates (shops in one building) and spread ones.
        super::super::tests::city_points(n, seed)
            .into_iter()
            .enumerate()
            .map(|(i, (lat, lon))| {
                let km = etalase_domain::haversine_km(-6.11, 106.17, lat, lon);
                Candidate {
                    addr: DocAddress::new(0, i as u32),
                    id: (n - i) as i64,
                    price: None,
                    published_at: 0,
                    distance_km: Some(km),
                    geo_bucket: 0,
                    coords: Some((lat, lon)),
                    rel: Default::default(),
                }
            })
            .collect()
    }

    fn top(mut c: Vec<Candidate>, keep: usize, fast: bool) -> Vec<(u32, i64)> {
        let n = c.len();
        geo_buckets(&mut c, (-6.11, 106.17), n, fast.then_some(keep), true);
        let mut ranked: Vec<(u32, i64)> = c.iter().map(|c| (c.geo_bucket, c.id)).collect();
        ranked.sort_unstable();
        ranked.truncate(keep);
        ranked
    }

    #[test]
    fn grouping_only_the_nearest_keeps_the_same_top() {
        for (n, keep, seed) in [(5_000, 20, 1), (20_000, 40, 7), (3_000, 1_000, 3), (9_000, 1, 11)]
        {
            let c = cands(n, seed);
            // The fast path decides these (not a fall-back to the full walk).
            let mut probe = c.clone();
            let mut located: Vec<(f64, usize)> =
                probe.iter().enumerate().map(|(i, x)| (x.distance_km.unwrap(), i)).collect();
            assert!(nearest_only(&mut probe, &mut located, (-6.11, 106.17), keep));
            let full = top(c.clone(), keep, false);
            assert_eq!(full.len(), keep);
            assert_eq!(top(c, keep, true), full, "n = {n}, keep = {keep}");
        }
    }

    #[test]
    fn a_group_cut_by_the_prefix_falls_back_to_grouping_everything() {
        // Every match at one spot: one group of 1,000, then the next; the prefix of 2,048 cuts
        // the third group, so the top 2,048 must come from the full walk.
        let mut c = cands(5_000, 5);
        for x in c.iter_mut() {
            x.coords = Some((-6.12, 106.15));
            x.distance_km = Some(etalase_domain::haversine_km(-6.11, 106.17, -6.12, 106.15));
        }
        assert_eq!(top(c.clone(), 1_100, true), top(c, 1_100, false));
    }
}
