//! Owns parsing of the embedded Kota Serang reference files: the kelurahan CSV
//! (`kecamatan_code,kecamatan,kelurahan_code,kelurahan,postal_code,lat,lon`) and the
//! kelurahan boundary GeoJSON (Polygon or MultiPolygon features keyed by `code`).

use super::geo::Polygon;
use super::{Kecamatan, Kelurahan, Wilayah};
use serde::Deserialize;

/// The embedded reference data could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("data wilayah tidak valid: {0}")]
pub struct WilayahDataError(pub String);

const HEADER: &str = "kecamatan_code,kecamatan,kelurahan_code,kelurahan,postal_code,lat,lon";

#[derive(Deserialize)]
struct FeatureCollection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Properties,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct Properties {
    code: String,
}

/// Positions are `[lon, lat]` (an optional altitude is ignored).
#[derive(Deserialize)]
#[serde(tag = "type")]
enum Geometry {
    Polygon { coordinates: Vec<Vec<Vec<f64>>> },
    MultiPolygon { coordinates: Vec<Vec<Vec<Vec<f64>>>> },
}

fn err(msg: impl Into<String>) -> WilayahDataError {
    WilayahDataError(msg.into())
}

/// Parses the CSV and the GeoJSON and checks they describe the same kelurahan.
pub(super) fn load(csv: &str, geojson: &str) -> Result<Wilayah, WilayahDataError> {
    let (kecamatan, kelurahan) = parse_csv(csv)?;
    let shapes = parse_geojson(geojson, &kelurahan)?;
    for (i, k) in kelurahan.iter().enumerate() {
        if !shapes.iter().any(|(j, _)| *j == i) {
            return Err(err(format!("kelurahan {} tanpa batas wilayah", k.code)));
        }
    }
    Ok(Wilayah { kecamatan, kelurahan, shapes })
}

fn parse_csv(csv: &str) -> Result<(Vec<Kecamatan>, Vec<Kelurahan>), WilayahDataError> {
    let mut lines = csv.lines().map(str::trim).filter(|l| !l.is_empty());
    if lines.next() != Some(HEADER) {
        return Err(err("kepala CSV tidak sesuai"));
    }
    let mut kecamatan: Vec<Kecamatan> = Vec::new();
    let mut kelurahan: Vec<Kelurahan> = Vec::new();
    for line in lines {
        let cols: Vec<&str> = line.split(',').map(str::trim).collect();
        let [kec_code, kec_name, code, name, postal, lat, lon] = cols[..] else {
            return Err(err(format!("baris CSV tidak berisi 7 kolom: {line}")));
        };
        let coord = |s: &str| s.parse::<f64>().map_err(|_| err(format!("koordinat salah: {line}")));
        let (lat, lon) = (coord(lat)?, coord(lon)?);
        if !code.starts_with(kec_code) || kelurahan.iter().any(|k| k.code == code) {
            return Err(err(format!("kode kelurahan salah atau ganda: {code}")));
        }
        match kecamatan.iter().find(|k| k.code == kec_code) {
            Some(k) if k.name != kec_name => {
                return Err(err(format!("nama kecamatan {kec_code} tidak konsisten")));
            }
            Some(_) => {}
            None => {
                kecamatan.push(Kecamatan { code: kec_code.to_string(), name: kec_name.to_string() })
            }
        }
        kelurahan.push(Kelurahan {
            code: code.to_string(),
            name: name.to_string(),
            kecamatan_code: kec_code.to_string(),
            kecamatan_name: kec_name.to_string(),
            postal_code: postal.to_string(),
            lat,
            lon,
        });
    }
    Ok((kecamatan, kelurahan))
}

fn parse_geojson(
    geojson: &str,
    kelurahan: &[Kelurahan],
) -> Result<Vec<(usize, Polygon)>, WilayahDataError> {
    let fc: FeatureCollection =
        serde_json::from_str(geojson).map_err(|e| err(format!("GeoJSON: {e}")))?;
    let mut shapes = Vec::new();
    for f in fc.features {
        let index =
            kelurahan.iter().position(|k| k.code == f.properties.code).ok_or_else(|| {
                err(format!("kode di GeoJSON tidak ada di CSV: {}", f.properties.code))
            })?;
        let polygons = match f.geometry {
            Geometry::Polygon { coordinates } => vec![coordinates],
            Geometry::MultiPolygon { coordinates } => coordinates,
        };
        for rings in polygons {
            let rings: Option<Vec<Vec<[f64; 2]>>> = rings
                .into_iter()
                .map(|ring| ring.into_iter().map(|p| Some([*p.first()?, *p.get(1)?])).collect())
                .collect();
            let polygon = rings
                .and_then(Polygon::new)
                .ok_or_else(|| err(format!("poligon tidak sah untuk {}", f.properties.code)))?;
            shapes.push((index, polygon));
        }
    }
    Ok(shapes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const ONE_ROW: &str = "kecamatan_code,kecamatan,kelurahan_code,kelurahan,postal_code,lat,lon\n\
        36.73.01,Serang,36.73.01.1001,Serang,42116,-6.1,106.1\n";

    fn square(code: &str, kind: &str) -> String {
        let ring = "[[106.0,-6.2],[106.2,-6.2],[106.2,-6.0],[106.0,-6.0],[106.0,-6.2]]";
        let coords = if kind == "Polygon" { format!("[{ring}]") } else { format!("[[{ring}]]") };
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"code":"{code}"}},"geometry":{{"type":"{kind}","coordinates":{coords}}}}}]}}"#
        )
    }

    #[test]
    fn loads_polygon_and_multipolygon() {
        for kind in ["Polygon", "MultiPolygon"] {
            let w = load(ONE_ROW, &square("36.73.01.1001", kind)).unwrap();
            assert_eq!(w.kelurahan.len(), 1);
            assert_eq!(w.kecamatan[0].name, "Serang");
            assert!(w.contains(-6.1, 106.1), "{kind}");
        }
    }

    #[test]
    fn rejects_inconsistent_sources() {
        let e = load(ONE_ROW, &square("36.73.09.9999", "Polygon")).unwrap_err();
        assert!(e.0.contains("36.73.09.9999"));
        let no_shapes = r#"{"type":"FeatureCollection","features":[]}"#;
        assert!(load(ONE_ROW, no_shapes).unwrap_err().0.contains("tanpa batas"));
        assert!(load("a,b\n", no_shapes).is_err());
        let bad_row = format!("{HEADER}\n36.73.01,Serang,36.73.01.1001,Serang,42116,x,106.1\n");
        assert!(load(&bad_row, no_shapes).unwrap_err().0.contains("koordinat"));
        assert!(load(ONE_ROW, "{").unwrap_err().0.starts_with("GeoJSON"));
    }
}
