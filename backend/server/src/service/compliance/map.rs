//! Server-drawn SVG (no map tiles: the city's machines may be offline): the 67 kelurahan of
//! Kota Serang from `assets/data/kota-serang-kelurahan.geojson`, coloured by the share of
//! compliant stores, with the stores as points; and the month-by-month trend as stacked bars.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use super::{GroupView, StoreStatusView, TrendPoint};

const GEOJSON: &str = include_str!("../../../../../assets/data/kota-serang-kelurahan.geojson");
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

/// Fill for a compliant share (0–100); grey when the kelurahan has no store.
fn fill(share: Option<i64>) -> &'static str {
    match share {
        None => "#e5e7eb",
        Some(p) if p >= 75 => "#15803d",
        Some(p) if p >= 50 => "#86efac",
        Some(p) if p >= 25 => "#fcd34d",
        Some(_) => "#f87171",
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn level_colour(level: &str) -> &'static str {
    match level {
        "patuh" => "#166534",
        "berisiko" => "#b45309",
        _ => "#b91c1c",
    }
}

/// The map: kelurahan coloured by `by_kelurahan` (group views keyed by kelurahan code), the
/// stores as points linking to their detail page.
pub fn map_svg(by_kelurahan: &[GroupView], stores: &[StoreStatusView]) -> String {
    let p = projection();
    let share: HashMap<&str, &GroupView> =
        by_kelurahan.iter().map(|g| (g.key.as_str(), g)).collect();
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W:.0} {:.0}" class="peta" role="img" aria-label="Peta kepatuhan 67 kelurahan Kota Serang" id="peta-kepatuhan">"#,
        p.h
    );
    for k in shapes() {
        let g = share.get(k.code.as_str());
        let mut d = String::new();
        for ring in &k.rings {
            for (i, &(lon, lat)) in ring.iter().enumerate() {
                let (x, y) = p.xy(lon, lat);
                let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        let title = match g {
            Some(g) => format!(
                "{}: {} dari {} gerai patuh/berisiko ({}%)",
                k.name,
                g.patuh + g.berisiko,
                g.stores,
                g.compliant_percent
            ),
            None => format!("{}: belum ada gerai", k.name),
        };
        let _ = write!(
            s,
            r##"<path d="{d}" fill="{}" stroke="#374151" stroke-width="0.6" data-kelurahan="{}"><title>{}</title></path>"##,
            fill(g.map(|g| g.compliant_percent)),
            esc(&k.code),
            esc(&title)
        );
    }
    for st in stores {
        let (x, y) = p.xy(st.lon, st.lat);
        let _ = write!(
            s,
            r##"<a href="/kepatuhan/toko/{}"><circle cx="{x:.1}" cy="{y:.1}" r="3.2" fill="{}" stroke="#fff" stroke-width="0.8"><title>{} — {}</title></circle></a>"##,
            st.store_id,
            level_colour(&st.level),
            esc(&st.name),
            esc(&st.level_label)
        );
    }
    s.push_str("</svg>");
    s
}

/// Stacked bars per month (patuh, berisiko, tidak patuh) of `points` (one group).
pub fn trend_svg(points: &[TrendPoint]) -> String {
    let (w, h, pad) = (640.0, 220.0, 28.0);
    let n = points.len().max(1) as f64;
    let max = points.iter().map(|p| p.stores).max().unwrap_or(1).max(1) as f64;
    let bw = (w - 2.0 * pad) / n;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" class="tren" role="img" aria-label="Tren kepatuhan per bulan">"#
    );
    for (i, pt) in points.iter().enumerate() {
        let x = pad + i as f64 * bw + bw * 0.15;
        let mut y = h - pad;
        for (v, c, what) in [
            (pt.tidak_patuh, "#f87171", "tidak patuh"),
            (pt.berisiko, "#fcd34d", "berisiko"),
            (pt.patuh, "#15803d", "patuh"),
        ] {
            let bh = v as f64 / max * (h - 2.0 * pad);
            y -= bh;
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{bh:.1}" fill="{c}"><title>{}: {v} {what}</title></rect>"#,
                bw * 0.7,
                pt.month
            );
        }
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#111">{}</text>"##,
            x + bw * 0.35,
            h - pad + 14.0,
            &pt.month[2.min(pt.month.len())..]
        );
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="9" text-anchor="middle" fill="#111">{}%</text>"##,
            x + bw * 0.35,
            y - 3.0,
            pt.compliant_percent
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// Checks that every element is closed in order (the SVG is well-formed XML) and returns
    /// the element names opened.
    fn well_formed(s: &str) -> Vec<String> {
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

    fn group(key: &str, stores: i64, patuh: i64, tidak: i64) -> GroupView {
        GroupView::new(
            &etalase_db::repo::compliance::GroupRow {
                key: key.into(),
                stores,
                patuh,
                berisiko: 0,
                tidak_patuh: tidak,
            },
            key.into(),
        )
    }

    fn fill_of<'a>(svg: &'a str, code: &str) -> &'a str {
        let at = svg.find(&format!("data-kelurahan=\"{code}\"")).expect("kelurahan drawn");
        let before = &svg[..at];
        let f = before.rfind("fill=\"").expect("fill") + 6;
        &before[f..f + 7]
    }

    #[test]
    fn the_map_is_well_formed_svg_with_the_67_kelurahan() {
        let svg = map_svg(&[], &[]);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        let opened = well_formed(&svg);
        assert_eq!(opened.iter().filter(|n| *n == "path").count(), 67);
        assert_eq!(kelurahan_count(), 67);
        assert_eq!(svg.matches("data-kelurahan=\"36.73.").count(), 67);
    }

    #[test]
    fn kelurahan_colours_follow_the_compliant_share_and_stores_follow_their_level() {
        let codes: Vec<String> = shapes().iter().map(|s| s.code.clone()).take(4).collect();
        let groups =
            vec![group(&codes[0], 4, 4, 0), group(&codes[1], 4, 2, 2), group(&codes[2], 4, 0, 4)];
        let w = etalase_domain::wilayah::kota_serang();
        let k = w.kelurahan_by_code(&codes[0]).expect("kelurahan");
        let store = StoreStatusView {
            store_id: 7,
            code: "SM-1".into(),
            name: "Gerai <Uji> & Co".into(),
            chain_id: None,
            chain_name: None,
            kecamatan_code: k.kecamatan_code.clone(),
            kecamatan_name: String::new(),
            kelurahan_code: codes[0].clone(),
            kelurahan_name: String::new(),
            lat: k.lat,
            lon: k.lon,
            level: "tidak_patuh".into(),
            level_label: "Tidak patuh".into(),
            agreements: 0,
            products: 0,
            producers: 0,
        };
        let svg = map_svg(&groups, &[store]);
        well_formed(&svg);
        assert_eq!(fill_of(&svg, &codes[0]), "#15803d");
        assert_eq!(fill_of(&svg, &codes[1]), "#86efac");
        assert_eq!(fill_of(&svg, &codes[2]), "#f87171");
        assert_eq!(fill_of(&svg, &codes[3]), "#e5e7eb");
        assert!(svg.contains(r##"<a href="/kepatuhan/toko/7"><circle"##));
        assert!(svg.contains(r##"fill="#b91c1c""##), "a tidak patuh store is red");
        assert!(svg.contains("Gerai &lt;Uji&gt; &amp; Co"), "names are escaped");
    }

    #[test]
    fn the_trend_has_one_bar_stack_per_month() {
        let pt = |m: &str, p: i64| TrendPoint {
            month: m.into(),
            key: "all".into(),
            label: "Semua".into(),
            stores: 10,
            patuh: p,
            berisiko: 1,
            tidak_patuh: 9 - p,
            compliant_percent: (p + 1) * 10,
        };
        let svg = trend_svg(&[pt("2026-01", 3), pt("2026-02", 5)]);
        let opened = well_formed(&svg);
        assert_eq!(opened.iter().filter(|n| *n == "rect").count(), 6);
        assert!(svg.contains(">26-02<") && svg.contains(">60%<"));
    }
}
