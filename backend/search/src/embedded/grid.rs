//! A segment's located documents in cells of `CELL_DEG` degrees, so that the nearest to a
//! point are found by visiting cells from the nearest out, stopping once a cell's lower bound
//! of distance is beyond the farthest of those kept: a latitude band alone kept every
//! document at a similar latitude, however far east or west.

use super::ranking::EARTH_RADIUS_KM;
use tantivy::DocId;

/// Cell size in degrees (about 280 m at Kota Serang's latitude).
const CELL_DEG: f64 = 0.0025;

/// One occupied cell: its bounds and its documents (`Grid::docs[start..end]`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell {
    lat: (f64, f64),
    lon: (f64, f64),
    /// The smallest and largest cosine of a latitude in the cell.
    cos_lat_min: f64,
    cos_lat_max: f64,
    pub start: u32,
    pub end: u32,
}

impl Cell {
    /// A lower and an upper bound of the distance (km, as `haversine_km` measures it) from
    /// `(lat, lon)` to any point of the cell: the haversine's two terms at their smallest
    /// (largest) over the cell. Across the antimeridian no bound is claimed (0, ∞).
    pub fn bounds(&self, (lat, lon): (f64, f64)) -> (f64, f64) {
        let gaps = |x: f64, (lo, hi): (f64, f64)| {
            let far = (x - lo).abs().max((x - hi).abs());
            (
                if x < lo {
                    lo - x
                } else if x > hi {
                    x - hi
                } else {
                    0.0
                },
                far,
            )
        };
        let ((dp_min, dp_max), (dl_min, dl_max)) = (gaps(lat, self.lat), gaps(lon, self.lon));
        if dl_max > 90.0 {
            return (0.0, f64::INFINITY);
        }
        let cos_lat = lat.to_radians().cos().max(0.0);
        let km = |dp: f64, dl: f64, cos2: f64| {
            let a = (dp.to_radians() / 2.0).sin().powi(2)
                + cos_lat * cos2 * (dl.to_radians() / 2.0).sin().powi(2);
            2.0 * EARTH_RADIUS_KM * a.min(1.0).sqrt().asin()
        };
        (km(dp_min, dl_min, self.cos_lat_min), km(dp_max, dl_max, self.cos_lat_max))
    }
}

/// The located documents grouped by cell.
pub(crate) struct Grid {
    pub cells: Vec<Cell>,
    pub docs: Vec<DocId>,
    /// By doc id: the index of its cell (`NO_CELL` without coordinates).
    pub cell_of: Vec<u32>,
}

/// `Grid::cell_of` of a document without coordinates.
pub(crate) const NO_CELL: u32 = u32::MAX;

fn key(lat: f64, lon: f64) -> (i64, i64) {
    ((lat / CELL_DEG).floor() as i64, (lon / CELL_DEG).floor() as i64)
}

impl Grid {
    /// The grid of the documents `located` (doc, lat, lon) of a segment of `n` docs.
    pub fn build(n: usize, located: impl Iterator<Item = (DocId, f64, f64)>) -> Grid {
        let mut keyed: Vec<((i64, i64), DocId)> =
            located.map(|(d, lat, lon)| (key(lat, lon), d)).collect();
        keyed.sort_unstable();
        let mut cells: Vec<Cell> = Vec::new();
        let mut docs = Vec::with_capacity(keyed.len());
        let mut cell_of = vec![NO_CELL; n];
        let mut current = None;
        for (k, d) in keyed {
            if current != Some(k) {
                current = Some(k);
                let lat = (k.0 as f64 * CELL_DEG, (k.0 + 1) as f64 * CELL_DEG);
                let lon = (k.1 as f64 * CELL_DEG, (k.1 + 1) as f64 * CELL_DEG);
                let (cos0, cos1) = (lat.0.to_radians().cos(), lat.1.to_radians().cos());
                let cos_lat_min = cos0.min(cos1).max(0.0);
                let cos_lat_max = if lat.0 <= 0.0 && lat.1 >= 0.0 { 1.0 } else { cos0.max(cos1) };
                let at = docs.len() as u32;
                cells.push(Cell { lat, lon, cos_lat_min, cos_lat_max, start: at, end: at });
            }
            docs.push(d);
            if let Some(slot) = cell_of.get_mut(d as usize) {
                *slot = cells.len() as u32 - 1;
            }
            if let Some(c) = cells.last_mut() {
                c.end += 1;
            }
        }
        Grid { cells, docs, cell_of }
    }

    /// Each cell's lower bound of the distance (km, as `haversine_km` measures it) from
    /// `(lat, lon)` to any point in it, nearest first: (bound, cell index).
    pub fn by_bound(&self, origin: (f64, f64)) -> Vec<(f64, usize)> {
        let mut out: Vec<(f64, usize)> =
            self.cells.iter().enumerate().map(|(i, c)| (c.bounds(origin).0, i)).collect();
        out.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        out
    }

    /// The documents of cell `i`.
    pub fn docs_of(&self, i: usize) -> &[DocId] {
        self.cells
            .get(i)
            .and_then(|c| self.docs.get(c.start as usize..c.end as usize))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use etalase_domain::haversine_km;

    #[test]
    fn a_cells_bounds_hold_the_distance_to_each_of_its_documents() {
        let mut s = 5u64;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % 1_000_000) as f64 / 1_000_000.0
        };
        let points: Vec<(f64, f64)> =
            (0..3_000).map(|_| (-6.3 + next() * 0.4, 105.9 + next() * 0.5)).collect();
        let located = points.iter().enumerate().map(|(d, p)| (d as DocId, p.0, p.1));
        let grid = Grid::build(points.len(), located);
        assert_eq!(grid.docs.len(), points.len());
        assert!(grid.cells.len() > 100);
        for origin in [(-6.11, 106.17), (-6.0, 106.0), (-6.2001, 106.3), (0.5, 110.0)] {
            let bounds = grid.by_bound(origin);
            assert_eq!(bounds.len(), grid.cells.len());
            assert!(bounds.windows(2).all(|w| w[0].0 <= w[1].0));
            // Far away, every bound says so.
            if origin.0 > 0.0 {
                assert!(bounds.iter().all(|(b, _)| *b > 500.0), "{:?}", bounds.first());
            }
            for (bound, i) in bounds {
                let upper = grid.cells[i].bounds(origin).1;
                assert!(upper < bound + 1.0, "{origin:?} cell {i}: {bound}..{upper}");
                for d in grid.docs_of(i) {
                    assert_eq!(grid.cell_of[*d as usize], i as u32);
                    let (lat, lon) = points[*d as usize];
                    let km = haversine_km(origin.0, origin.1, lat, lon);
                    assert!(bound <= km * (1.0 + 1e-12), "{origin:?} cell {i}: {bound} > {km}");
                    assert!(upper >= km * (1.0 - 1e-12), "{origin:?} cell {i}: {upper} < {km}");
                }
            }
        }
    }
}
