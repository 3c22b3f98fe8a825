//! Server-drawn SVG of the compliance dashboard: the kelurahan map (`kelurahan_map`) coloured
//! by the share of compliant stores, with the stores as points; and the month-by-month trend
//! as stacked bars.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{GroupView, StoreStatusView, TrendPoint};
use crate::service::kelurahan_map::{self, Area, Marker};

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
    let share: HashMap<&str, &GroupView> =
        by_kelurahan.iter().map(|g| (g.key.as_str(), g)).collect();
    let markers: Vec<Marker> = stores
        .iter()
        .map(|st| Marker {
            lon: st.lon,
            lat: st.lat,
            fill: level_colour(&st.level),
            href: format!("/kepatuhan/toko/{}", st.store_id),
            title: format!("{} — {}", st.name, st.level_label),
        })
        .collect();
    kelurahan_map::draw(
        "peta-kepatuhan",
        "Peta kepatuhan 67 kelurahan Kota Serang",
        |code, name| {
            let g = share.get(code);
            let title = match g {
                Some(g) => format!(
                    "{}: {} dari {} gerai patuh/berisiko ({}%)",
                    name,
                    g.patuh + g.berisiko,
                    g.stores,
                    g.compliant_percent
                ),
                None => format!("{name}: belum ada gerai"),
            };
            Area { fill: fill(g.map(|g| g.compliant_percent)), title }
        },
        &markers,
    )
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
    use crate::service::kelurahan_map::kelurahan_count;
    use crate::service::kelurahan_map::testing::{fill_of, well_formed};

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
        let codes: Vec<String> =
            kelurahan_map::kelurahan_codes().map(str::to_string).take(4).collect();
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
