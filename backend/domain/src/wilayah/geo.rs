//! Owns the plane geometry used by the wilayah reference data: great-circle distance,
//! point-in-polygon (ray casting, even–odd over all rings) and distance from a point to a
//! polygon's edges. Coordinates inside polygons are GeoJSON order `[lon, lat]`.

/// Mean Earth radius in kilometres (IUGG).
const EARTH_RADIUS_KM: f64 = 6371.0088;
/// Kilometres per degree of latitude.
const KM_PER_DEG_LAT: f64 = 110.574;
/// Kilometres per degree of longitude at the equator.
const KM_PER_DEG_LON_EQUATOR: f64 = 111.320;

/// Great-circle distance in kilometres between two points given in degrees.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
}

/// One polygon: an outer ring and optional holes, each a closed list of `[lon, lat]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Polygon {
    rings: Vec<Vec<[f64; 2]>>,
    /// min lon, min lat, max lon, max lat.
    bbox: [f64; 4],
}

impl Polygon {
    /// Builds a polygon; `None` when a ring has fewer than 3 points or is not finite.
    pub(crate) fn new(rings: Vec<Vec<[f64; 2]>>) -> Option<Polygon> {
        let first = rings.first()?;
        if rings.iter().any(|r| r.len() < 3)
            || rings.iter().flatten().any(|p| !p[0].is_finite() || !p[1].is_finite())
        {
            return None;
        }
        let mut bbox = [first[0][0], first[0][1], first[0][0], first[0][1]];
        for p in first {
            bbox[0] = bbox[0].min(p[0]);
            bbox[1] = bbox[1].min(p[1]);
            bbox[2] = bbox[2].max(p[0]);
            bbox[3] = bbox[3].max(p[1]);
        }
        Some(Polygon { rings, bbox })
    }

    /// Ray casting: true when (lat, lon) is inside the outer ring and not in a hole.
    pub(crate) fn contains(&self, lat: f64, lon: f64) -> bool {
        if lon < self.bbox[0] || lon > self.bbox[2] || lat < self.bbox[1] || lat > self.bbox[3] {
            return false;
        }
        let mut inside = false;
        for ring in &self.rings {
            let mut j = ring.len() - 1;
            for i in 0..ring.len() {
                let ([xi, yi], [xj, yj]) = (ring[i], ring[j]);
                if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
                    inside = !inside;
                }
                j = i;
            }
        }
        inside
    }

    /// Cheap lower bound (km) of the distance from the point to the bounding box.
    pub(crate) fn bbox_distance_km(&self, lat: f64, lon: f64) -> f64 {
        let kx = KM_PER_DEG_LON_EQUATOR * lat.to_radians().cos();
        let dx = (self.bbox[0] - lon).max(lon - self.bbox[2]).max(0.0) * kx;
        let dy = (self.bbox[1] - lat).max(lat - self.bbox[3]).max(0.0) * KM_PER_DEG_LAT;
        dx.hypot(dy)
    }

    /// Shortest distance in km from the point to any edge (equirectangular projection
    /// around the point; accurate to metres at city scale).
    pub(crate) fn edge_distance_km(&self, lat: f64, lon: f64) -> f64 {
        let kx = KM_PER_DEG_LON_EQUATOR * lat.to_radians().cos();
        let project = |p: [f64; 2]| ((p[0] - lon) * kx, (p[1] - lat) * KM_PER_DEG_LAT);
        let mut best = f64::INFINITY;
        for ring in &self.rings {
            let mut prev = project(ring[ring.len() - 1]);
            for &p in ring {
                let cur = project(p);
                best = best.min(segment_distance(prev, cur));
                prev = cur;
            }
        }
        best
    }
}

/// Distance from the origin to segment a–b in the plane.
fn segment_distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 { 0.0 } else { (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0) };
    (a.0 + t * dx).hypot(a.1 + t * dy)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn square_with_hole() -> Polygon {
        Polygon::new(vec![
            vec![[106.0, -6.2], [106.2, -6.2], [106.2, -6.0], [106.0, -6.0]],
            vec![[106.05, -6.15], [106.15, -6.15], [106.15, -6.05], [106.05, -6.05]],
        ])
        .unwrap()
    }

    #[test]
    fn ray_casting_respects_holes() {
        let p = square_with_hole();
        assert!(p.contains(-6.18, 106.1));
        assert!(!p.contains(-6.1, 106.1));
        assert!(!p.contains(-6.1, 106.3));
        assert!(Polygon::new(vec![vec![[0.0, 0.0], [1.0, 1.0]]]).is_none());
        assert!(Polygon::new(vec![]).is_none());
    }

    #[test]
    fn edge_distance_is_metric() {
        let p = square_with_hole();
        // 0.01° of latitude south of the southern edge ≈ 1.106 km.
        let d = p.edge_distance_km(-6.21, 106.1);
        assert!((d - 1.10574).abs() < 1e-6, "{d}");
        assert!(p.bbox_distance_km(-6.21, 106.1) <= d + 1e-9);
        assert_eq!(segment_distance((1.0, 1.0), (1.0, 1.0)), 2f64.sqrt());
    }

    #[test]
    fn haversine_known_distance() {
        assert_eq!(haversine_km(-6.12, 106.15, -6.12, 106.15), 0.0);
        // One degree of latitude ≈ 111.2 km on the mean sphere.
        let d = haversine_km(-6.0, 106.0, -7.0, 106.0);
        assert!((d - 111.195).abs() < 0.01, "{d}");
        // Alun-alun Serang to Monas, Jakarta: roughly 72 km.
        let d = haversine_km(-6.1197, 106.1539, -6.1754, 106.8272);
        assert!((70.0..75.0).contains(&d), "{d}");
    }
}
