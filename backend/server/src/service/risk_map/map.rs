//! The risk map drawn on the kelurahan map: each kelurahan coloured by one measure of its
//! counts (`?ukuran=`), in up to four classes of equal width up to the largest kelurahan, with
//! a legend and a tooltip naming the kelurahan and its figures.

use std::collections::HashMap;

use etalase_domain::wilayah::kota_serang;

use super::{RiskCounts, RiskMap};
use crate::error::{AppError, ErrorCode};
use crate::service::kelurahan_map::{self, Area};

/// What the map is coloured by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Businesses,
    WithoutFoodPermit,
    WithoutHalal,
    NotEligible,
    HighRisk,
}

impl Measure {
    pub const ALL: [Measure; 5] = [
        Measure::Businesses,
        Measure::WithoutFoodPermit,
        Measure::WithoutHalal,
        Measure::NotEligible,
        Measure::HighRisk,
    ];

    /// The `ukuran` value.
    pub fn key(self) -> &'static str {
        match self {
            Measure::Businesses => "usaha",
            Measure::WithoutFoodPermit => "tanpa_izin",
            Measure::WithoutHalal => "tanpa_halal",
            Measure::NotEligible => "belum_layak",
            Measure::HighRisk => "risiko_tinggi",
        }
    }

    /// The choice as the page's select shows it.
    pub fn label(self) -> &'static str {
        match self {
            Measure::Businesses => "Jumlah usaha",
            Measure::WithoutFoodPermit => "Tanpa izin edar pangan yang berlaku",
            Measure::WithoutHalal => "Tanpa sertifikat halal yang berlaku",
            Measure::NotEligible => "Belum layak standar apa pun",
            Measure::HighRisk => "Risiko menengah tinggi dan tinggi",
        }
    }

    /// What is counted, after the number: "3 usaha", "3 tanpa halal".
    fn noun(self) -> &'static str {
        match self {
            Measure::Businesses => "usaha",
            Measure::WithoutFoodPermit => "tanpa izin edar pangan",
            Measure::WithoutHalal => "tanpa halal",
            Measure::NotEligible => "belum layak standar apa pun",
            Measure::HighRisk => "berisiko menengah tinggi/tinggi",
        }
    }

    /// The measure of `ukuran`; none or empty is `usaha`, anything else unknown is a 400.
    pub fn parse(ukuran: Option<&str>) -> Result<Measure, AppError> {
        let v = ukuran.map(str::trim).unwrap_or_default();
        if v.is_empty() {
            return Ok(Measure::Businesses);
        }
        Measure::ALL.into_iter().find(|m| m.key() == v).ok_or_else(|| {
            let keys: Vec<&str> = Measure::ALL.iter().map(|m| m.key()).collect();
            AppError::bad_request(
                ErrorCode::InvalidParameter,
                format!(
                    "Parameter \"ukuran\" tidak sah: \"{v}\". Pilih salah satu: {}.",
                    keys.join(", ")
                ),
            )
        })
    }

    pub fn value(self, c: &RiskCounts) -> u64 {
        match self {
            Measure::Businesses => c.businesses,
            Measure::WithoutFoodPermit => c.without_food_permit,
            Measure::WithoutHalal => c.without_halal,
            Measure::NotEligible => c.not_eligible_for_any_standard,
            Measure::HighRisk => c.risk_menengah_tinggi + c.risk_tinggi,
        }
    }

    fn palette(self) -> [&'static str; 4] {
        match self {
            Measure::Businesses => ["#dbeafe", "#93c5fd", "#3b82f6", "#1e3a8a"],
            _ => ["#fef3c7", "#fcd34d", "#f97316", "#b91c1c"],
        }
    }
}

/// Fill of a kelurahan with no business, and of one whose measure is 0.
const NO_BUSINESS: &str = "#e5e7eb";
const ZERO: &str = "#ffffff";

/// One swatch of the legend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendItem {
    pub colour: &'static str,
    pub label: String,
}

/// The classes for values 1..=max: up to four of equal width, as (from, to) inclusive.
fn classes(max: u64) -> Vec<(u64, u64)> {
    let step = max.div_ceil(4).max(1);
    (0..4u64)
        .map(|i| (i * step + 1, ((i + 1) * step).min(max)))
        .take_while(|(from, to)| from <= to)
        .collect()
}

/// The colour of class `i` of `n`: the top class is always the darkest, and fewer classes
/// keep apart (two classes are the second and the fourth shade).
fn shade(m: Measure, n: usize, i: usize) -> &'static str {
    let at: &[usize] = match n {
        0 | 1 => &[3],
        2 => &[1, 3],
        3 => &[1, 2, 3],
        _ => &[0, 1, 2, 3],
    };
    m.palette()[at.get(i).or(at.last()).copied().unwrap_or(3)]
}

fn class_fill(m: Measure, classes: &[(u64, u64)], v: u64) -> &'static str {
    let i = classes.iter().position(|&(_, to)| v <= to).unwrap_or(classes.len());
    shade(m, classes.len(), i)
}

/// The map drawn for `m`, with its legend.
pub fn map_svg(map: &RiskMap, m: Measure) -> (String, Vec<LegendItem>) {
    let by_code: HashMap<&str, &RiskCounts> =
        map.rows.iter().filter_map(|r| Some((r.kelurahan_code.as_deref()?, &r.counts))).collect();
    let max = by_code.values().map(|c| m.value(c)).max().unwrap_or(0);
    let cls = classes(max);
    let w = kota_serang();
    let svg = kelurahan_map::draw(
        "peta-risiko",
        &format!("Peta risiko UMKM 67 kelurahan Kota Serang: {}", m.label().to_lowercase()),
        |code, name| {
            let place = match w.kelurahan_by_code(code) {
                Some(k) => format!("{name}, Kec. {}", k.kecamatan_name),
                None => name.to_string(),
            };
            match by_code.get(code).filter(|c| c.businesses > 0) {
                None => Area { fill: NO_BUSINESS, title: format!("{place}: belum ada usaha") },
                Some(c) => {
                    let v = m.value(c);
                    let fill = if v == 0 { ZERO } else { class_fill(m, &cls, v) };
                    Area { fill, title: format!("{place}: {}", figures(m, c)) }
                }
            }
        },
        &[],
    );
    let mut legend = vec![LegendItem { colour: NO_BUSINESS, label: "belum ada usaha".into() }];
    if m != Measure::Businesses {
        legend.push(LegendItem { colour: ZERO, label: "0".into() });
    }
    for (i, &(from, to)) in cls.iter().enumerate() {
        let label = if from == to { from.to_string() } else { format!("{from}–{to}") };
        legend.push(LegendItem { colour: shade(m, cls.len(), i), label });
    }
    (svg, legend)
}

/// The tooltip's figures: the chosen one first, then the rest of the kelurahan.
fn figures(m: Measure, c: &RiskCounts) -> String {
    let lead = if m == Measure::Businesses {
        format!("{} usaha", c.businesses)
    } else {
        format!("{} {} dari {} usaha", m.value(c), m.noun(), c.businesses)
    };
    let rest: Vec<String> = Measure::ALL
        .into_iter()
        .filter(|o| *o != m && *o != Measure::Businesses)
        .map(|o| format!("{} {}", o.value(c), o.noun()))
        .collect();
    format!("{lead} ({})", rest.join(", "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::service::kelurahan_map::testing::{fill_of, title_of, well_formed};
    use crate::service::risk_map::RiskRow;

    fn map_of(kels: &[(&str, RiskCounts)]) -> RiskMap {
        let rows = kels
            .iter()
            .map(|(code, counts)| RiskRow {
                kecamatan_code: code[..8].into(),
                kecamatan: String::new(),
                kelurahan_code: Some((*code).into()),
                kelurahan: None,
                counts: counts.clone(),
            })
            .collect();
        RiskMap { rows, city: RiskCounts::default() }
    }

    fn counts(businesses: u64, without_halal: u64) -> RiskCounts {
        RiskCounts { businesses, without_halal, risk_tinggi: 1, ..Default::default() }
    }

    #[test]
    fn classes_split_up_to_the_largest_value_in_four() {
        assert_eq!(classes(0), vec![]);
        assert_eq!(classes(1), vec![(1, 1)]);
        assert_eq!(classes(3), vec![(1, 1), (2, 2), (3, 3)]);
        assert_eq!(classes(10), vec![(1, 3), (4, 6), (7, 9), (10, 10)]);
        assert_eq!(classes(8), vec![(1, 2), (3, 4), (5, 6), (7, 8)]);
    }

    #[test]
    fn kelurahan_are_coloured_and_titled_by_the_chosen_measure() {
        // Taktakan and Karundang.
        let map = map_of(&[("36.73.06.1001", counts(8, 0)), ("36.73.05.1002", counts(2, 2))]);
        let (svg, legend) = map_svg(&map, Measure::Businesses);
        well_formed(&svg);
        assert_eq!(fill_of(&svg, "36.73.06.1001"), "#1e3a8a", "the largest is the darkest");
        assert_eq!(fill_of(&svg, "36.73.05.1002"), "#dbeafe");
        assert_eq!(fill_of(&svg, "36.73.06.1002"), NO_BUSINESS);
        assert!(title_of(&svg, "36.73.06.1001").starts_with("Taktakan, Kec. Taktakan: 8 usaha ("));
        assert_eq!(legend.len(), 5, "{legend:?}");
        assert_eq!(legend[4].label, "7–8");

        let (svg, legend) = map_svg(&map, Measure::WithoutHalal);
        assert_eq!(fill_of(&svg, "36.73.06.1001"), ZERO, "businesses but none without halal");
        assert_eq!(fill_of(&svg, "36.73.05.1002"), "#b91c1c");
        assert!(
            title_of(&svg, "36.73.05.1002").contains(": 2 tanpa halal dari 2 usaha ("),
            "{}",
            title_of(&svg, "36.73.05.1002")
        );
        assert!(title_of(&svg, "36.73.05.1002").contains("1 berisiko menengah tinggi/tinggi"));
        assert_eq!(
            legend.iter().map(|l| l.label.as_str()).collect::<Vec<_>>(),
            ["belum ada usaha", "0", "1", "2"]
        );
    }

    #[test]
    fn an_unknown_measure_is_refused_naming_the_parameter() {
        assert_eq!(Measure::parse(None).unwrap(), Measure::Businesses);
        assert_eq!(Measure::parse(Some(" ")).unwrap(), Measure::Businesses);
        assert_eq!(Measure::parse(Some("risiko_tinggi")).unwrap(), Measure::HighRisk);
        let e = Measure::parse(Some("semua")).unwrap_err();
        assert_eq!(e.status(), 400);
        assert!(e.problem().detail.contains("\"ukuran\""));
    }
}
