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
    /// The smallest cosine of a latitude in the cell.
    cos_lat_min: f64,
    pub start: u32,
    pub end: u32,
}

/// The located documents grouped by cell.
pub(crate) struct Grid {
    pub cells: Vec<Cell>,
    pub docs: Vec<DocId>,
}

fn key(lat: f64, lon: f64) -> (i64, i64) {
    ((lat / CELL_DEG).floor() as i64, (lon / CELL_DEG).floor() as i64)
}

impl Grid {
    /// The grid of the documents `located` (doc, lat, lon).
    pub fn build(located: impl Iterator<Item = (DocId, f64, f64)>) -> Grid {
        let mut keyed: Vec<((i64, i64), DocId)> =
            located.map(|(d, lat, lon)| (key(lat, lon), d)).collect();
        keyed.sort_unstable();
        let mut cells: Vec<Cell> = Vec::new();
        let mut docs = Vec::with_capacity(keyed.len());
        let mut current = None;
        for (k, d) in keyed {
            if current != Some(k) {
                current = Some(k);
                let lat = (k.0 as f64 * CELL_DEG, (k.0 + 1) as f64 * CELL_DEG);
                let lon = (k.1 as f64 * CELL_DEG, (k.1 + 1) as f64 * CELL_DEG);
                let cos_lat_min = lat.0.to_radians().cos().min(lat.1.to_radians().cos()).max(0.0);
                let at = docs.len() as u32;
                cells.push(Cell { lat, lon, cos_lat_min, start: at, end: at });
            }
            docs.push(d);
            if let Some(c) = cells.last_mut() {
                c.end += 1;
            }
        }
        Grid { cells, docs }
    }

    /// Each cell's lower bound of the distance (km, as `haversine_km` measures it) from
    /// `(lat, lon)` to any point in it, nearest first: (bound, cell index).
    pub fn by_bound(&self, (lat, lon): (f64, f64)) -> Vec<(f64, usize)> {
        let cos_lat = lat.to_radians().cos().max(0.0);
        let gap = |x: f64, (lo, hi): (f64, f64)| {
            if x < lo {
                lo - x
            } else if x > hi {
                x - hi
            } else {
                0.0
            }
        };
        let mut out: Vec<(f64, usize)> = self
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let dp = gap(lat, c.lat).to_radians();
                // Across the antimeridian the gap is not a bound: none is claimed.
                let dl = gap(lon, c.lon);
                let dl = if dl > 90.0 { 0.0 } else { dl.to_radians() };
                let a =
                    (dp / 2.0).sin().powi(2) + cos_lat * c.cos_lat_min * (dl / 2.0).sin().powi(2);
                (2.0 * EARTH_RADIUS_KM * a.min(1.0).sqrt().asin(), i)
            })
            .collect();
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
    fn a_cells_bound_is_below_the_distance_to_each_of_its_documents() {
        let mut s = 5u64;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % 1_000_000) as f64 / 1_000_000.0
        };
        let points: Vec<(f64, f64)> =
            (0..3_000).map(|_| (-6.3 + next() * 0.4, 105.9 + next() * 0.5)).collect();
        let grid = Grid::build(points.iter().enumerate().map(|(d, p)| (d as DocId, p.0, p.1)));
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
                for d in grid.docs_of(i) {
                    let (lat, lon) = points[*d as usize];
                    let km = haversine_km(origin.0, origin.1, lat, lon);
                    assert!(bound <= km * (1.0 + 1e-12), "{origin:?} cell {i}: {bound} > {km}");
                }
            }
        }
    }
}
