//! What callers see of standards, versions, evaluations and jobs (JSON and pages).

use chrono::{DateTime, NaiveDate, Utc};
use etalase_db::entities::{job, standard, standard_version};
use etalase_domain::datefmt::format_date_id;
use etalase_domain::standards::{Item, Requirement, fix_url};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new version: typed requirements (`{"kind": "...", ...parameters}`) and the date it takes
/// effect (today or later).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVersion {
    /// e.g. `[{"kind": "certificate", "certificate": "izin_edar"}, {"kind": "shelf_life", "min_days": 30}]`.
    #[schema(value_type = Vec<Object>)]
    pub requirements: Vec<Requirement>,
    pub effective_from: NaiveDate,
    pub note: Option<String>,
}

/// A new standard with its first version. The Dinas creates the city baseline; a chain office
/// its chain's own.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStandard {
    pub name: String,
    pub description: Option<String>,
    #[schema(value_type = Vec<Object>)]
    pub requirements: Vec<Requirement>,
    pub effective_from: NaiveDate,
    pub note: Option<String>,
}

impl NewStandard {
    /// Its first version.
    pub fn version(&self) -> NewVersion {
        NewVersion {
            requirements: self.requirements.clone(),
            effective_from: self.effective_from,
            note: self.note.clone(),
        }
    }
}

/// One version of a standard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionView {
    pub id: i64,
    pub number: i64,
    #[schema(value_type = Vec<Object>)]
    pub requirements: Vec<Requirement>,
    /// Labels of the requirements, in order.
    pub labels: Vec<String>,
    pub effective_from: NaiveDate,
    pub effective_from_label: String,
    /// The version in force today.
    pub in_force: bool,
    /// Takes effect later.
    pub upcoming: bool,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

impl VersionView {
    pub fn new(v: &standard_version::Model, today: NaiveDate, in_force: bool) -> Self {
        let requirements: Vec<Requirement> =
            serde_json::from_str(&v.requirements).unwrap_or_default();
        VersionView {
            id: v.id,
            number: v.number,
            labels: requirements.iter().map(|r| r.rule().label()).collect(),
            requirements,
            effective_from: v.effective_from,
            effective_from_label: format_date_id(v.effective_from),
            in_force,
            upcoming: v.effective_from > today,
            note: v.note.clone(),
            created_at: v.created_at,
        }
    }
}

/// A standard with its versions (newest first).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StandardView {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// `null` for the city baseline.
    pub chain_id: Option<i64>,
    /// "Dinas (standar dasar kota)" or the chain's name.
    pub owner_label: String,
    pub is_baseline: bool,
    pub current_version: Option<VersionView>,
    pub versions: Vec<VersionView>,
    pub updated_at: DateTime<Utc>,
}

impl StandardView {
    pub fn new(
        s: &standard::Model,
        chain_name: Option<String>,
        versions: Vec<VersionView>,
    ) -> Self {
        StandardView {
            id: s.id,
            name: s.name.clone(),
            description: s.description.clone(),
            chain_id: s.chain_id,
            owner_label: match s.chain_id {
                None => "Dinas (standar dasar kota)".to_string(),
                Some(_) => chain_name.unwrap_or_else(|| "Jaringan".into()),
            },
            is_baseline: s.chain_id.is_none(),
            current_version: versions.iter().find(|v| v.in_force).cloned(),
            versions,
            updated_at: s.updated_at,
        }
    }
}

/// A background re-evaluation and its progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobView {
    pub id: i64,
    /// The standard version re-evaluated.
    pub version_id: Option<i64>,
    /// `running`, `done` or `failed`.
    pub status: String,
    pub total: i64,
    pub done: i64,
    pub percent: i64,
    pub message: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<&job::Model> for JobView {
    fn from(j: &job::Model) -> Self {
        JobView {
            id: j.id,
            version_id: j.subject_id,
            status: j.status.as_str().into(),
            total: j.total,
            done: j.done,
            percent: if j.total > 0 { j.done * 100 / j.total } else { 100 },
            message: j.message.clone(),
            created_at: j.created_at,
            finished_at: j.finished_at,
        }
    }
}

/// A standard created, with the re-evaluation it started (when its version is in force today).
#[derive(Debug, Serialize, ToSchema)]
pub struct StandardCreated {
    pub standard: StandardView,
    pub job: Option<JobView>,
}

/// A version published, with the re-evaluation it started (when it is in force today).
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionCreated {
    pub version: VersionView,
    pub job: Option<JobView>,
}

/// One requirement's result for a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemView {
    pub kind: String,
    pub label: String,
    /// `pass`, `warning` (met, but e.g. a certificate expires within 30 days) or `fail`.
    pub status: String,
    pub symbol: String,
    pub message: String,
    /// Where to fix it: a product form anchor (`/produk-saya/12#sertifikat`) or a page.
    pub fix_url: Option<String>,
}

impl ItemView {
    pub fn new(product_id: i64, i: &Item) -> Self {
        ItemView {
            kind: i.kind.clone(),
            label: i.label.clone(),
            status: i.status.as_str().to_string(),
            symbol: i.status.symbol().to_string(),
            message: i.message.clone(),
            fix_url: i.fix.as_deref().map(|f| fix_url(product_id, f)),
        }
    }
}

/// A product against one standard (its version in force today).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StandardEligibility {
    pub standard_id: i64,
    pub standard_name: String,
    pub owner_label: String,
    pub version_id: i64,
    pub version_number: i64,
    pub eligible: bool,
    pub score: i64,
    pub warnings: usize,
    pub items: Vec<ItemView>,
    pub evaluated_at: DateTime<Utc>,
}

/// Every standard's verdict on one product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EligibilityView {
    pub product_id: i64,
    pub date: NaiveDate,
    pub standards: Vec<StandardEligibility>,
}
