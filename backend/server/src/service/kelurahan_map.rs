//! The kelurahan map as server-drawn SVG (no map tiles: the city's machines may be offline):
//! the 67 kelurahan of Kota Serang from `assets/data/kota-serang-kelurahan.geojson`, each
//! filled and titled by the caller, with optional points on top. The compliance dashboard
//! (`compliance::map`) and the risk map (`risk_map::map`) colour it their own way.

use std::fmt::Write as _;
use std::sync::OnceLock;

const GEOJSON: &str = include_str!("../../../../assets/data/kota-serang-kelurahan.geojson");
const W: f64 = 640.0;

/// One kelurahan: code, name and its rings (lon, lat).
struct Shape {
    code: String,
    name: String,
    rings: Vec<Vec<(f64, f64)>>,
}

fn shapes() -> &'static Vec<Shape> {
    static S: OnceLock<Vec<Shape>> = OnceLock::new();
    S.get_or_init(|| {
        let v: serde_json::Value = serde_json::from_str(GEOJSON).unwrap_or_default();
        let mut out = Vec::new();
        for f in v["features"].as_array().map(Vec::as_slice).unwrap_or_default() {
            let code = f["properties"]["code"].as_str().unwrap_or_default().to_string();
            let name = f["properties"]["name"].as_str().unwrap_or_default().to_string();
            let mut rings = Vec::new();
            for poly in
                f["geometry"]["coordinates"].as_array().map(Vec::as_slice).unwrap_or_default()
            {
                for ring in poly.as_array().map(Vec::as_slice).unwrap_or_default() {
                    let pts: Vec<(f64, f64)> = ring
                        .as_array()
                        .map(Vec::as_slice)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|p| Some((p[0].as_f64()?, p[1].as_f64()?)))
                        .collect();
                    rings.push(pts);
                }
            }
            out.push(Shape { code, name, rings });
        }
        out
    })
}

/// Number of kelurahan drawn.
pub fn kelurahan_count() -> usize {
    shapes().len()
}

/// Codes of the kelurahan drawn, in the order of the source file.
pub fn kelurahan_codes() -> impl Iterator<Item = &'static str> {
    shapes().iter().map(|s| s.code.as_str())
}

struct Proj {
    min_lon: f64,
    max_lat: f64,
    kx: f64,
    ky: f64,
    h: f64,
}

fn projection() -> Proj {
    let all = shapes().iter().flat_map(|s| s.rings.iter().flatten());
    let (mut a, mut b, mut c, mut d) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(lon, lat) in all {
        a = a.min(lon);
        b = b.max(lon);
        c = c.min(lat);
        d = d.max(lat);
    }
    let coslat = ((c + d) / 2.0).to_radians().cos();
    let kx = W / (b - a).max(1e-9);
    let ky = kx / coslat.max(1e-9);
    Proj { min_lon: a, max_lat: d, kx, ky, h: (d - c) * ky }
}

impl Proj {
    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        ((lon - self.min_lon) * self.kx, (self.max_lat - lat) * self.ky)
    }
}

/// Escapes text for an SVG attribute or element.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// How one kelurahan is drawn: its fill colour (`#rrggbb`) and its tooltip (plain text).
pub struct Area {
    pub fill: &'static str,
    pub title: String,
}

/// A point on the map linking to a page, e.g. a store.
pub struct Marker {
    pub lon: f64,
    pub lat: f64,
    pub fill: &'static str,
    pub href: String,
    pub title: String,
}

/// The map: `<svg id="{id}" aria-label="{label}">`, one `<path data-kelurahan="…">` per
/// kelurahan filled and titled by `area(code, name)`, then the markers.
pub fn draw(
    id: &str,
    label: &str,
    area: impl Fn(&str, &str) -> Area,
    markers: &[Marker],
) -> String {
    let p = projection();
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W:.0} {:.0}" class="peta" role="img" aria-label="{}" id="{}">"#,
        p.h,
        esc(label),
        esc(id)
    );
    for k in shapes() {
        let mut d = String::new();
        for ring in &k.rings {
            for (i, &(lon, lat)) in ring.iter().enumerate() {
                let (x, y) = p.xy(lon, lat);
                let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        let a = area(&k.code, &k.name);
        let _ = write!(
            s,
            r##"<path d="{d}" fill="{}" stroke="#374151" stroke-width="0.6" data-kelurahan="{}"><title>{}</title></path>"##,
            a.fill,
            esc(&k.code),
            esc(&a.title)
        );
    }
    for m in markers {
        let (x, y) = p.xy(m.lon, m.lat);
        let _ = write!(
            s,
            r##"<a href="{}"><circle cx="{x:.1}" cy="{y:.1}" r="3.2" fill="{}" stroke="#fff" stroke-width="0.8"><title>{}</title></circle></a>"##,
            esc(&m.href),
            m.fill,
            esc(&m.title)
        );
    }
    s.push_str("</svg>");
    s
}

/// Test helpers shared by the maps' unit tests.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub(crate) mod testing {
    /// Checks that every element is closed in order (the SVG is well-formed XML) and returns
    /// the element names opened.
    pub fn well_formed(s: &str) -> Vec<String> {
        let mut stack: Vec<String> = Vec::new();
        let mut opened = Vec::new();
        let mut rest = s;
        while let Some(i) = rest.find('<') {
            let j = rest[i..].find('>').expect("unclosed tag") + i;
            let tag = &rest[i + 1..j];
            assert!(!tag.contains('<'), "stray < in {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
            } else {
                let name = tag.split_whitespace().next().unwrap().trim_end_matches('/').to_string();
                opened.push(name.clone());
                if !tag.ends_with('/') {
                    stack.push(name);
                }
            }
            rest = &rest[j + 1..];
        }
        assert!(stack.is_empty(), "unclosed: {stack:?}");
        opened
    }

    /// The fill of the kelurahan `code` in `svg`.
    pub fn fill_of<'a>(svg: &'a str, code: &str) -> &'a str {
        let at = svg.find(&format!("data-kelurahan=\"{code}\"")).expect("kelurahan drawn");
        let before = &svg[..at];
        let f = before.rfind("fill=\"").expect("fill") + 6;
        &before[f..f + 7]
    }

    /// The tooltip of the kelurahan `code` in `svg`.
    pub fn title_of<'a>(svg: &'a str, code: &str) -> &'a str {
        let at = svg.find(&format!("data-kelurahan=\"{code}\"")).expect("kelurahan drawn");
        let rest = &svg[at..];
        let start = rest.find("<title>").expect("title") + 7;
        let end = rest.find("</title>").expect("title end");
        &rest[start..end]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn every_kelurahan_gets_the_fill_and_escaped_title_its_caller_gives() {
        let first = kelurahan_codes().next().expect("a kelurahan").to_string();
        let svg = draw(
            "uji",
            "Peta <uji>",
            |code, name| Area {
                fill: if code == first { "#000000" } else { "#ffffff" },
                title: format!("{name} & {code}"),
            },
            &[Marker {
                lon: 106.15,
                lat: -6.12,
                fill: "#123456",
                href: "/a?b=1&c=2".into(),
                title: "Titik".into(),
            }],
        );
        let opened = well_formed(&svg);
        assert_eq!(opened.iter().filter(|n| *n == "path").count(), 67);
        assert_eq!(kelurahan_count(), 67);
        assert!(svg.contains(r#"aria-label="Peta &lt;uji&gt;" id="uji""#));
        assert_eq!(fill_of(&svg, &first), "#000000");
        assert!(title_of(&svg, &first).ends_with(&format!(" &amp; {first}")));
        assert_eq!(svg.matches(r##"fill="#ffffff""##).count(), 66);
        assert!(svg.contains(r##"<a href="/a?b=1&amp;c=2"><circle"##));
    }
}
