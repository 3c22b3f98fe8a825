//! The JSON shapes of compliance: policies, store rows, summaries, trend points, the store
//! detail, inspections and notices.

use chrono::{DateTime, NaiveDate, Utc};
use etalase_db::entities::{compliance_policy, notice};
use etalase_db::repo::compliance::{GroupRow, StoreRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new policy version (Dinas only; takes effect on `effective_from`, today or later).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPolicy {
    /// At least this many active agreements per store.
    pub min_agreements: i64,
    /// Covering at least this many distinct local products.
    pub min_products: i64,
    /// From at least this many distinct producers.
    pub min_producers: i64,
    pub effective_from: NaiveDate,
    #[serde(default)]
    pub note: Option<String>,
}

/// One policy version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PolicyView {
    pub id: i64,
    pub min_agreements: i64,
    pub min_products: i64,
    pub min_producers: i64,
    pub effective_from: NaiveDate,
    pub note: Option<String>,
    /// True for the version in force today.
    pub in_force: bool,
    pub created_at: DateTime<Utc>,
}

impl PolicyView {
    pub fn new(m: &compliance_policy::Model, in_force: bool) -> Self {
        Self {
            id: m.id,
            min_agreements: m.min_agreements,
            min_products: m.min_products,
            min_producers: m.min_producers,
            effective_from: m.effective_from,
            note: m.note.clone(),
            in_force,
            created_at: m.created_at,
        }
    }
}

/// One store's status on a date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoreStatusView {
    pub store_id: i64,
    pub code: String,
    pub name: String,
    pub chain_id: Option<i64>,
    pub chain_name: Option<String>,
    pub kecamatan_code: String,
    pub kecamatan_name: String,
    pub kelurahan_code: String,
    pub kelurahan_name: String,
    pub lat: f64,
    pub lon: f64,
    /// `patuh`, `berisiko` or `tidak_patuh`.
    pub level: String,
    pub level_label: String,
    pub agreements: i64,
    pub products: i64,
    pub producers: i64,
}

impl StoreStatusView {
    pub fn new(r: &StoreRow, chain_name: Option<String>) -> Self {
        let w = etalase_domain::wilayah::kota_serang();
        Self {
            store_id: r.store_id,
            code: r.code.clone(),
            name: r.name.clone(),
            chain_id: r.chain_id,
            chain_name,
            kecamatan_code: r.kecamatan_code.clone(),
            kecamatan_name: w
                .kecamatan_by_code(&r.kecamatan_code)
                .map(|k| k.name.clone())
                .unwrap_or_default(),
            kelurahan_code: r.kelurahan_code.clone(),
            kelurahan_name: w
                .kelurahan_by_code(&r.kelurahan_code)
                .map(|k| k.name.clone())
                .unwrap_or_default(),
            lat: r.lat,
            lon: r.lon,
            level: r.level.as_str().into(),
            level_label: r.level.label().into(),
            agreements: r.agreements,
            products: r.products,
            producers: r.producers,
        }
    }
}

/// Counts of one group of stores.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupView {
    /// Chain id, kecamatan or kelurahan code, or `all`.
    pub key: String,
    pub label: String,
    pub stores: i64,
    pub patuh: i64,
    pub berisiko: i64,
    pub tidak_patuh: i64,
    /// Share of stores that are patuh or berisiko (compliant today), 0–100.
    pub compliant_percent: i64,
}

impl GroupView {
    pub fn new(g: &GroupRow, label: String) -> Self {
        let compliant_percent = if g.stores == 0 {
            0
        } else {
            ((g.patuh + g.berisiko) * 100 + g.stores / 2) / g.stores
        };
        Self {
            key: g.key.clone(),
            label,
            stores: g.stores,
            patuh: g.patuh,
            berisiko: g.berisiko,
            tidak_patuh: g.tidak_patuh,
            compliant_percent,
        }
    }
}

/// The dashboard figures on a date.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ComplianceSummaryView)]
pub struct SummaryView {
    pub date: NaiveDate,
    pub policy: PolicyView,
    pub group_by: String,
    pub totals: GroupView,
    pub groups: Vec<GroupView>,
    /// The empowerment figure: producers with at least one agreement on the shelf.
    pub producers_placed: i64,
}

/// One month of the trend (from the stored snapshots).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrendPoint {
    /// `YYYY-MM`.
    pub month: String,
    pub key: String,
    pub label: String,
    pub stores: i64,
    pub patuh: i64,
    pub berisiko: i64,
    pub tidak_patuh: i64,
    pub compliant_percent: i64,
}

/// The trend between two months.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrendView {
    pub from: String,
    pub to: String,
    pub points: Vec<TrendPoint>,
}

/// A product of an agreement, and what the last inspection found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DetailProduct {
    pub id: i64,
    pub name: String,
}

/// One agreement of the store in the detail.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DetailAgreement {
    pub id: i64,
    pub producer_id: i64,
    pub producer_name: String,
    pub status: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// On the shelf on the date (counts towards the policy).
    pub counts: bool,
    /// Counts, but ends within 30 days.
    pub ending_soon: bool,
    /// Its products were not seen on the last two inspections.
    pub flagged: bool,
    pub products: Vec<DetailProduct>,
}

/// What a store lacks against the policy.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShortfallView {
    pub kind: String,
    pub required: i64,
    pub actual: i64,
    pub message: String,
}

/// One inspection.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InspectionView {
    pub id: i64,
    pub store_id: i64,
    pub date: NaiveDate,
    pub notes: String,
    pub seen: Vec<i64>,
    pub not_seen: Vec<i64>,
    /// Shelf photos, in the order sent.
    pub photos: Vec<super::InspectionPhotoView>,
}

/// A store's month in the snapshots.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryPoint {
    pub month: String,
    pub level: String,
    pub agreements: i64,
    pub products: i64,
    pub producers: i64,
}

/// Why a store has its status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoreDetailView {
    pub date: NaiveDate,
    pub store: StoreStatusView,
    pub policy: PolicyView,
    pub figures_in_30_days: FiguresView,
    pub shortfalls: Vec<ShortfallView>,
    pub agreements: Vec<DetailAgreement>,
    /// Agreements flagged by inspections (ids).
    pub flagged: Vec<i64>,
    pub inspections: Vec<InspectionView>,
    pub notices: Vec<NoticeView>,
    pub history: Vec<HistoryPoint>,
}

/// Agreements, products and producers.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct FiguresView {
    pub agreements: i64,
    pub products: i64,
    pub producers: i64,
}

/// A new inspection (Dinas, at the store).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInspection {
    pub store_id: i64,
    pub date: NaiveDate,
    /// Agreed products seen on the shelf.
    #[serde(default)]
    pub seen: Vec<i64>,
    /// Agreed products not seen.
    #[serde(default)]
    pub not_seen: Vec<i64>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// The inspection recorded and the agreements now flagged at the store.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InspectionRecorded {
    pub inspection: InspectionView,
    pub flagged: Vec<i64>,
}

/// A notice to send (Dinas only, to a store that is not patuh).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNotice {
    pub store_id: i64,
    /// An extra paragraph from the officer.
    #[serde(default)]
    pub note: Option<String>,
}

/// A notice (surat teguran).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeView {
    pub id: i64,
    pub store_id: i64,
    pub chain_id: Option<i64>,
    pub issued_on: NaiveDate,
    pub level: String,
    pub agreements: i64,
    pub products: i64,
    pub producers: i64,
    pub body: String,
    /// Where to download the PDF.
    pub pdf_url: String,
}

impl From<&notice::Model> for NoticeView {
    fn from(n: &notice::Model) -> Self {
        Self {
            id: n.id,
            store_id: n.store_id,
            chain_id: n.chain_id,
            issued_on: n.issued_on,
            level: n.level.as_str().into(),
            agreements: n.agreements,
            products: n.products,
            producers: n.producers,
            body: n.body.clone(),
            pdf_url: format!("/api/v1/notices/{}/pdf", n.id),
        }
    }
}
