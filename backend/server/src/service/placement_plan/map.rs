//! The plan on the kelurahan map: each kelurahan coloured by the share of its stores below the
//! policy that the plan brings to it, and a marker per store (green: reaches the policy, red:
//! cannot), linking to the store's compliance page.

use std::collections::HashMap;

use super::PlanView;
use crate::service::kelurahan_map::{self, Area, Marker};

const NONE: &str = "#f3f4f6";
const ALL: &str = "#86efac";
const SOME: &str = "#fde68a";
const NO: &str = "#fca5a5";

/// The SVG and its legend (colour, label).
pub fn map_svg(plan: &PlanView) -> (String, Vec<(&'static str, &'static str)>) {
    let mut per: HashMap<&str, (i64, i64)> = HashMap::new();
    for s in &plan.stores {
        let e = per.entry(s.kelurahan_code.as_str()).or_default();
        e.0 += 1;
        e.1 += i64::from(s.reaches_policy);
    }
    let area = |code: &str, name: &str| match per.get(code) {
        None => Area { fill: NONE, title: format!("{name}: tidak ada gerai di bawah kebijakan") },
        Some(&(n, ok)) => Area {
            fill: if ok == n {
                ALL
            } else if ok > 0 {
                SOME
            } else {
                NO
            },
            title: format!("{name}: {ok} dari {n} gerai mencapai kebijakan dengan rencana ini"),
        },
    };
    let markers: Vec<Marker> = plan
        .stores
        .iter()
        .map(|s| Marker {
            lon: s.lon,
            lat: s.lat,
            fill: if s.reaches_policy { "#15803d" } else { "#b91c1c" },
            href: format!("/kepatuhan/toko/{}", s.store_id),
            title: format!(
                "{}: {} usulan{}",
                s.store_name,
                s.proposals.len(),
                s.reason.as_deref().map(|r| format!(" — {r}")).unwrap_or_default()
            ),
        })
        .collect();
    let svg =
        kelurahan_map::draw("peta-rencana", "Rencana penempatan per kelurahan", area, &markers);
    let legend = vec![
        (ALL, "semua gerai mencapai kebijakan"),
        (SOME, "sebagian"),
        (NO, "belum ada"),
        (NONE, "tidak ada gerai di bawah kebijakan"),
    ];
    (svg, legend)
}
