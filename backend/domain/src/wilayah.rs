//! Owns the reference data of Kota Serang (kode 36.73): its 6 kecamatan and 67 kelurahan
//! (Kemendagri codes, postal codes, centroids) and their simplified boundaries, embedded at
//! compile time from `assets/data/`. Answers "is this point in Kota Serang, and in which
//! kelurahan". Always key kelurahan by code: two are called Sukawana.

mod geo;
mod load;

pub use geo::haversine_km;
pub use load::WilayahDataError;

use crate::error::FieldError;
use geo::Polygon;
use serde::Serialize;
use std::sync::OnceLock;

const WILAYAH_CSV: &str = include_str!("../../../assets/data/kota-serang-wilayah.csv");
const KELURAHAN_GEOJSON: &str = include_str!("../../../assets/data/kota-serang-kelurahan.geojson");

/// Points this close (km) to a kelurahan boundary count as inside: the reference polygons
/// are simplified, so a real address near the city edge may fall just outside them.
pub const BOUNDARY_TOLERANCE_KM: f64 = 0.3;

/// A kecamatan (district) of Kota Serang.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kecamatan {
    /// Kemendagri code, e.g. `36.73.06`.
    pub code: String,
    /// Name, e.g. `Taktakan`.
    pub name: String,
}

/// A kelurahan (urban village) of Kota Serang.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kelurahan {
    /// Kemendagri code, e.g. `36.73.06.1001`.
    pub code: String,
    /// Name (not unique: two kelurahan are called Sukawana).
    pub name: String,
    /// Code of its kecamatan.
    pub kecamatan_code: String,
    /// Name of its kecamatan.
    pub kecamatan_name: String,
    /// Postal code.
    pub postal_code: String,
    /// Approximate centroid latitude.
    pub lat: f64,
    /// Approximate centroid longitude.
    pub lon: f64,
}

/// The reference data set; get the embedded one with [`kota_serang`].
#[derive(Debug, Clone, Default)]
pub struct Wilayah {
    kecamatan: Vec<Kecamatan>,
    kelurahan: Vec<Kelurahan>,
    /// (index into `kelurahan`, one polygon of its boundary).
    shapes: Vec<(usize, Polygon)>,
}

/// The embedded Kota Serang data, parsed once. The embedded files are checked by unit
/// tests; should they ever fail to parse, this is an empty `Wilayah` (no panic).
pub fn kota_serang() -> &'static Wilayah {
    static DATA: OnceLock<Wilayah> = OnceLock::new();
    DATA.get_or_init(|| Wilayah::from_sources(WILAYAH_CSV, KELURAHAN_GEOJSON).unwrap_or_default())
}

impl Wilayah {
    /// Parses a CSV + GeoJSON pair in the format of `assets/data/`.
    pub fn from_sources(csv: &str, geojson: &str) -> Result<Wilayah, WilayahDataError> {
        load::load(csv, geojson)
    }

    /// All kecamatan, in code order.
    pub fn kecamatan(&self) -> &[Kecamatan] {
        &self.kecamatan
    }

    /// All kelurahan, in code order.
    pub fn kelurahan(&self) -> &[Kelurahan] {
        &self.kelurahan
    }

    /// The kelurahan with this code.
    pub fn kelurahan_by_code(&self, code: &str) -> Option<&Kelurahan> {
        self.kelurahan.iter().find(|k| k.code == code)
    }

    /// The kecamatan with this code.
    pub fn kecamatan_by_code(&self, code: &str) -> Option<&Kecamatan> {
        self.kecamatan.iter().find(|k| k.code == code)
    }

    /// The kelurahan of one kecamatan.
    pub fn kelurahan_in<'a>(
        &'a self,
        kecamatan_code: &'a str,
    ) -> impl Iterator<Item = &'a Kelurahan> {
        self.kelurahan.iter().filter(move |k| k.kecamatan_code == kecamatan_code)
    }

    /// True when the point lies in a kelurahan, or within [`BOUNDARY_TOLERANCE_KM`] of one.
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        self.kelurahan_at(lat, lon).is_some()
    }

    /// The kelurahan containing the point; failing that, the nearest one whose boundary is
    /// within [`BOUNDARY_TOLERANCE_KM`].
    pub fn kelurahan_at(&self, lat: f64, lon: f64) -> Option<&Kelurahan> {
        if !lat.is_finite() || !lon.is_finite() {
            return None;
        }
        if let Some((i, _)) = self.shapes.iter().find(|(_, p)| p.contains(lat, lon)) {
            return self.kelurahan.get(*i);
        }
        self.shapes
            .iter()
            .filter(|(_, p)| p.bbox_distance_km(lat, lon) <= BOUNDARY_TOLERANCE_KM)
            .map(|(i, p)| (*i, p.edge_distance_km(lat, lon)))
            .filter(|(_, d)| *d <= BOUNDARY_TOLERANCE_KM)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .and_then(|(i, _)| self.kelurahan.get(i))
    }
}

/// Looks a kelurahan code up in Kota Serang (`required` / `unknown_kelurahan` on `field`).
pub fn parse_kelurahan(field: &str, code: &str) -> Result<&'static Kelurahan, FieldError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(FieldError::new(field, "required", "Kelurahan wajib dipilih."));
    }
    kota_serang().kelurahan_by_code(code).ok_or_else(|| {
        FieldError::new(
            field,
            "unknown_kelurahan",
            format!("Kelurahan dengan kode \"{code}\" tidak ada di Kota Serang."),
        )
    })
}

/// Checks a coordinate pair lies in Kota Serang (`out_of_range` on the bad field for
/// impossible coordinates, else `not_in_kota_serang` on `field_lat`).
pub fn check_in_kota_serang(
    field_lat: &str,
    field_lon: &str,
    lat: f64,
    lon: f64,
) -> Result<(), FieldError> {
    let w = kota_serang();
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        let hint = if w.contains(lon, lat) {
            " Garis lintang dan garis bujur tampaknya tertukar."
        } else {
            ""
        };
        return Err(FieldError::new(
            field_lat,
            "out_of_range",
            format!("Garis lintang harus di antara -90 dan 90.{hint}"),
        ));
    }
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return Err(FieldError::new(
            field_lon,
            "out_of_range",
            "Garis bujur harus di antara -180 dan 180.",
        ));
    }
    if w.contains(lat, lon) {
        return Ok(());
    }
    let hint = if w.contains(-lat, lon) {
        " Garis lintang di Kota Serang bernilai negatif (sekitar -6,1)."
    } else {
        " Pastikan tempat usaha berada di Kota Serang dan titik di peta sudah benar."
    };
    let coords = format!("{lat:.5}; {lon:.5}").replace('.', ",");
    Err(FieldError::new(
        field_lat,
        "not_in_kota_serang",
        format!("Titik lokasi ({coords}) berada di luar Kota Serang.{hint}"),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
