//! The risk map of Pasal 3(3)(a): the Dinas' picture of its UMKM by kecamatan and kelurahan —
//! how many businesses, by OSS risk level and by scale, and how many still lack what the
//! catalog needs: a NIB, a food permit in force (P-IRT or BPOM MD/ML) on any product, a halal
//! certificate in force on any product, a product eligible for any product standard in force.
//! Rejected businesses and archived products are left out. Dinas and admins only. `map` draws
//! it on the kelurahan map.

pub mod map;

use std::collections::{BTreeMap, HashMap, HashSet};

use etalase_db::entities::product;
use etalase_domain::certificate::CertificateKind;
use etalase_domain::lifecycle::ListingStatus;
use etalase_domain::producer::ProducerStatus;
use etalase_domain::wilayah::kota_serang;
use etalase_domain::{BusinessScale, RiskLevel, validity_on};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::service::compliance::require_dinas;
use crate::state::AppState;

/// Counts of one kelurahan (or of a kecamatan, or of the city, on the total rows).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct RiskCounts {
    pub businesses: u64,
    /// By OSS risk level: rendah, menengah rendah, menengah tinggi, tinggi.
    pub risk_rendah: u64,
    pub risk_menengah_rendah: u64,
    pub risk_menengah_tinggi: u64,
    pub risk_tinggi: u64,
    /// By scale: mikro, kecil, menengah.
    pub mikro: u64,
    pub kecil: u64,
    pub menengah: u64,
    pub without_nib: u64,
    /// No product with a P-IRT or BPOM MD/ML that counts and is in force.
    pub without_food_permit: u64,
    /// No product with a halal certificate that counts and is in force.
    pub without_halal: u64,
    /// No product eligible for any product standard in force.
    pub not_eligible_for_any_standard: u64,
}

/// One row of the map: a kelurahan (`kelurahan_code` set) or a kecamatan total.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RiskRow {
    pub kecamatan_code: String,
    pub kecamatan: String,
    pub kelurahan_code: Option<String>,
    pub kelurahan: Option<String>,
    #[serde(flatten)]
    pub counts: RiskCounts,
}

/// The map: kelurahan rows (kecamatan by kecamatan, each followed by its total) and the city.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RiskMap {
    pub rows: Vec<RiskRow>,
    pub city: RiskCounts,
}

/// What is known of one business.
struct Business {
    kelurahan: String,
    kecamatan: String,
    risk: RiskLevel,
    scale: BusinessScale,
    nib_missing: bool,
    food_permit: bool,
    halal: bool,
    eligible: bool,
}

fn add(c: &mut RiskCounts, b: &Business) {
    c.businesses += 1;
    match b.risk {
        RiskLevel::Rendah => c.risk_rendah += 1,
        RiskLevel::MenengahRendah => c.risk_menengah_rendah += 1,
        RiskLevel::MenengahTinggi => c.risk_menengah_tinggi += 1,
        RiskLevel::Tinggi => c.risk_tinggi += 1,
    }
    match b.scale {
        BusinessScale::Mikro => c.mikro += 1,
        BusinessScale::Kecil => c.kecil += 1,
        BusinessScale::Menengah => c.menengah += 1,
    }
    c.without_nib += u64::from(b.nib_missing);
    c.without_food_permit += u64::from(!b.food_permit);
    c.without_halal += u64::from(!b.halal);
    c.not_eligible_for_any_standard += u64::from(!b.eligible);
}

/// Builds the map from the database.
pub async fn risk_map(state: &AppState, user: &CurrentUser) -> AppResult<RiskMap> {
    require_dinas(user)?;
    let producers: Vec<_> = etalase_db::entities::producer::Entity::find()
        .filter(etalase_db::entities::producer::Column::Status.ne(ProducerStatus::Rejected))
        .all(&state.db)
        .await?;
    let items = product::Entity::find()
        .filter(product::Column::Status.ne(ListingStatus::Archived))
        .all(&state.db)
        .await?;
    let ids: Vec<i64> = items.iter().map(|p| p.id).collect();
    let owner: HashMap<i64, i64> = items.iter().map(|p| (p.id, p.producer_id)).collect();
    let today = state.clock.today_wib();
    let (mut food, mut halal) = (HashSet::new(), HashSet::new());
    for c in etalase_db::repo::certificates::for_products(&state.db, ids.clone()).await? {
        if !(c.counts() && validity_on(c.expires_on, today).is_valid()) {
            continue;
        }
        let Some(p) = owner.get(&c.product_id) else { continue };
        match c.kind {
            CertificateKind::Pirt | CertificateKind::BpomMd | CertificateKind::BpomMl => {
                food.insert(*p);
            }
            CertificateKind::Halal => {
                halal.insert(*p);
            }
            _ => {}
        }
    }
    let eligible: HashSet<i64> = crate::service::standards::eligible_standard_ids(state, &ids)
        .await?
        .into_iter()
        .filter(|(_, s)| !s.is_empty())
        .filter_map(|(product, _)| owner.get(&product).copied())
        .collect();
    let businesses = producers.iter().map(|p| Business {
        kelurahan: p.kelurahan_code.clone(),
        kecamatan: p.kecamatan_code.clone(),
        risk: p.risk_level,
        scale: p.scale,
        nib_missing: p.nib.as_deref().is_none_or(|n| n.trim().is_empty()),
        food_permit: food.contains(&p.id),
        halal: halal.contains(&p.id),
        eligible: eligible.contains(&p.id),
    });
    Ok(assemble(businesses))
}

fn assemble(businesses: impl Iterator<Item = Business>) -> RiskMap {
    let w = kota_serang();
    // kecamatan code -> kelurahan code -> counts (codes order the rows as the Kemendagri list).
    let mut tree: BTreeMap<String, BTreeMap<String, RiskCounts>> = BTreeMap::new();
    let mut city = RiskCounts::default();
    for b in businesses {
        add(&mut city, &b);
        let kel = tree.entry(b.kecamatan.clone()).or_default();
        add(kel.entry(b.kelurahan.clone()).or_default(), &b);
    }
    let mut rows = Vec::new();
    for (kec_code, kels) in tree {
        let kecamatan =
            w.kecamatan_by_code(&kec_code).map(|k| k.name.clone()).unwrap_or(kec_code.clone());
        let mut total = RiskCounts::default();
        for (kel_code, counts) in kels {
            sum_into(&mut total, &counts);
            rows.push(RiskRow {
                kecamatan_code: kec_code.clone(),
                kecamatan: kecamatan.clone(),
                kelurahan: Some(
                    w.kelurahan_by_code(&kel_code)
                        .map(|k| k.name.clone())
                        .unwrap_or(kel_code.clone()),
                ),
                kelurahan_code: Some(kel_code),
                counts,
            });
        }
        rows.push(RiskRow {
            kecamatan_code: kec_code,
            kecamatan,
            kelurahan_code: None,
            kelurahan: None,
            counts: total,
        });
    }
    RiskMap { rows, city }
}

fn sum_into(t: &mut RiskCounts, c: &RiskCounts) {
    t.businesses += c.businesses;
    t.risk_rendah += c.risk_rendah;
    t.risk_menengah_rendah += c.risk_menengah_rendah;
    t.risk_menengah_tinggi += c.risk_menengah_tinggi;
    t.risk_tinggi += c.risk_tinggi;
    t.mikro += c.mikro;
    t.kecil += c.kecil;
    t.menengah += c.menengah;
    t.without_nib += c.without_nib;
    t.without_food_permit += c.without_food_permit;
    t.without_halal += c.without_halal;
    t.not_eligible_for_any_standard += c.not_eligible_for_any_standard;
}

/// Column headers of the CSV.
pub const HEADERS: [&str; 16] = [
    "kecamatan_kode",
    "kecamatan",
    "kelurahan_kode",
    "kelurahan",
    "usaha",
    "risiko_rendah",
    "risiko_menengah_rendah",
    "risiko_menengah_tinggi",
    "risiko_tinggi",
    "mikro",
    "kecil",
    "menengah",
    "tanpa_nib",
    "tanpa_izin_edar_pangan",
    "tanpa_halal",
    "belum_layak_standar_apa_pun",
];

/// The rows as CSV (UTF-8 with BOM); a kecamatan total has "Jumlah" in the kelurahan column.
pub fn csv(map: &RiskMap) -> String {
    use crate::service::compliance::export::{csv_field, neutralise};
    let mut out = String::from("\u{feff}");
    out.push_str(&HEADERS.join(","));
    out.push_str("\r\n");
    for r in &map.rows {
        let c = &r.counts;
        let text = [
            r.kecamatan_code.clone(),
            r.kecamatan.clone(),
            r.kelurahan_code.clone().unwrap_or_default(),
            r.kelurahan.clone().unwrap_or_else(|| "Jumlah".into()),
        ];
        let numbers = [
            c.businesses,
            c.risk_rendah,
            c.risk_menengah_rendah,
            c.risk_menengah_tinggi,
            c.risk_tinggi,
            c.mikro,
            c.kecil,
            c.menengah,
            c.without_nib,
            c.without_food_permit,
            c.without_halal,
            c.not_eligible_for_any_standard,
        ];
        let cells: Vec<String> = text
            .iter()
            .map(|t| csv_field(&neutralise(t)))
            .chain(numbers.iter().map(u64::to_string))
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}
