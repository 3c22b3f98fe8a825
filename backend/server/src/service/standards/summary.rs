//! The Dinas' view of a standard: how many products meet its version in force, the most
//! common missing requirements across the city and per kecamatan — where coaching (Pasal 12)
//! would help most.

use std::collections::HashMap;

use etalase_db::repo::{evaluations, standards as repo};
use etalase_domain::lifecycle::ListingStatus;
use etalase_domain::roles::Role;
use etalase_domain::standards::{Item, ItemStatus};
use etalase_domain::wilayah::kota_serang;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A requirement and how many products miss it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MissingCount {
    pub kind: String,
    pub label: String,
    pub products: u64,
}

/// One kecamatan's figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KecamatanSummary {
    pub code: String,
    pub name: String,
    pub products: u64,
    pub eligible: u64,
    pub top_missing: Vec<MissingCount>,
}

/// A standard's figures under its version in force today (archived products left out).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SummaryView {
    pub standard_id: i64,
    pub standard_name: String,
    pub version_id: Option<i64>,
    pub version_number: Option<i64>,
    pub date: chrono::NaiveDate,
    pub products: u64,
    pub eligible: u64,
    pub not_eligible: u64,
    /// Of the published products.
    pub published: u64,
    pub published_eligible: u64,
    pub top_missing: Vec<MissingCount>,
    pub by_kecamatan: Vec<KecamatanSummary>,
}

#[derive(Default)]
struct Tally {
    products: u64,
    eligible: u64,
    missing: HashMap<(String, String), u64>,
}

impl Tally {
    fn add(&mut self, eligible: bool, items: &[Item]) {
        self.products += 1;
        self.eligible += u64::from(eligible);
        for i in items.iter().filter(|i| i.status == ItemStatus::Fail) {
            *self.missing.entry((i.kind.clone(), i.label.clone())).or_default() += 1;
        }
    }
    fn top(&self, n: usize) -> Vec<MissingCount> {
        let mut v: Vec<MissingCount> = self
            .missing
            .iter()
            .map(|((k, l), c)| MissingCount { kind: k.clone(), label: l.clone(), products: *c })
            .collect();
        v.sort_by(|a, b| b.products.cmp(&a.products).then_with(|| a.label.cmp(&b.label)));
        v.truncate(n);
        v
    }
}

/// The Dinas and admins see every standard's summary; a chain office its own and the baseline.
pub async fn summary(
    state: &AppState,
    user: &CurrentUser,
    standard_id: i64,
) -> AppResult<SummaryView> {
    let s = repo::find(&state.db, standard_id).await?.ok_or(AppError::NotFound("Standar"))?;
    let allowed = match user.role {
        Role::Dinas | Role::Admin => true,
        Role::Chain => s.chain_id.is_none() || s.chain_id == user.chain_id,
        _ => false,
    };
    if !allowed {
        return Err(AppError::Forbidden(
            "Ringkasan standar hanya untuk Dinas dan kantor jaringan pemiliknya.".into(),
        ));
    }
    let today = state.clock.today_wib();
    let version = super::current_version_for(state, s.id, today).await?;
    let mut city = Tally::default();
    let mut published = Tally::default();
    let mut by_kec: HashMap<String, Tally> = HashMap::new();
    if let Some(v) = &version {
        let rows = evaluations::for_version(&state.db, v.id).await?;
        let places = evaluations::product_places(&state.db).await?;
        for r in rows {
            let Some((status, kec)) = places.get(&r.product_id) else { continue };
            if *status == ListingStatus::Archived {
                continue;
            }
            let items: Vec<Item> = serde_json::from_str(&r.items).unwrap_or_default();
            city.add(r.eligible, &items);
            if *status == ListingStatus::Published {
                published.add(r.eligible, &items);
            }
            by_kec.entry(kec.clone()).or_default().add(r.eligible, &items);
        }
    }
    let by_kecamatan = kota_serang()
        .kecamatan()
        .iter()
        .map(|k| {
            let t = by_kec.remove(&k.code).unwrap_or_default();
            KecamatanSummary {
                code: k.code.clone(),
                name: k.name.clone(),
                products: t.products,
                eligible: t.eligible,
                top_missing: t.top(3),
            }
        })
        .collect();
    Ok(SummaryView {
        standard_id: s.id,
        standard_name: s.name.clone(),
        version_id: version.as_ref().map(|v| v.id),
        version_number: version.as_ref().map(|v| v.number),
        date: today,
        products: city.products,
        eligible: city.eligible,
        not_eligible: city.products - city.eligible,
        published: published.products,
        published_eligible: published.eligible,
        top_missing: city.top(8),
        by_kecamatan,
    })
}
