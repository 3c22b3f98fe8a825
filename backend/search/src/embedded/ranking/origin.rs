//! The query's location for distances computed in bulk, and the margin bounds are compared
//! with.

/// The radius `haversine_km` uses (checked against it in the ranking tests).
pub(crate) const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The query's location, with what `haversine_km` computes from it alone hoisted out (the
/// same operations in the same order, so the same distances to the bit).
pub(crate) struct Origin {
    lat: f64,
    lon: f64,
    cos_lat: f64,
}

impl Origin {
    pub(crate) fn new(lat: f64, lon: f64) -> Origin {
        Origin { lat, lon, cos_lat: lat.to_radians().cos() }
    }

    /// A lower bound of the distance to any point at latitude `lat2` (the meridian arc).
    pub(crate) fn lower_bound_km(&self, lat2: f64) -> f64 {
        EARTH_RADIUS_KM * (lat2 - self.lat).to_radians().abs()
    }

    /// `haversine_km(self.lat, self.lon, lat2, lon2)`.
    pub(crate) fn km(&self, lat2: f64, lon2: f64) -> f64 {
        let p2 = lat2.to_radians();
        let dp = (lat2 - self.lat).to_radians();
        let dl = (lon2 - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + self.cos_lat * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }
}

/// Whether a lower bound `lower` of a distance is surely over `limit` (with a margin far
/// above rounding errors).
pub(crate) fn beyond(lower: f64, limit: f64) -> bool {
    lower > limit * (1.0 + 1e-9) + 1e-9
}
