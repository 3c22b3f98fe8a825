//! Owns the Pasal 11(e) rule: a Perangkat Daerah spends at least 40% of its procurement of goods
//! and services on local UMKM. Per buyer and per WIB calendar month the share is
//! local-UMKM spend / total spend; exactly 40% meets the target, 39.99% does not (compared in
//! whole rupiah, never in floats). A month without purchases has no data: it neither meets nor
//! fails. The year-to-date share sums every month up to and including the one asked.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::PurchaseCategory;

/// The target of Pasal 11(e), in percent.
pub const TARGET_PERCENT: i64 = 40;

/// One purchase as the rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PurchaseFact {
    pub date: NaiveDate,
    pub value: i64,
    pub category: PurchaseCategory,
    pub local_umkm: bool,
}

/// Whether a share meets the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShareStatus {
    /// No purchases in the period.
    NoData,
    /// At least 40%.
    Meets,
    /// Below 40%.
    Below,
}

impl ShareStatus {
    /// Label for the page and the exports.
    pub fn label(self) -> &'static str {
        match self {
            ShareStatus::NoData => "Belum ada data",
            ShareStatus::Meets => "Memenuhi",
            ShareStatus::Below => "Belum memenuhi",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ShareStatus::NoData => "no_data",
            ShareStatus::Meets => "meets",
            ShareStatus::Below => "below",
        }
    }
}

/// `local * 100 >= total * 40`, exactly (no rounding).
pub fn meets_target(local: i64, total: i64) -> bool {
    i128::from(local) * 100 >= i128::from(total) * i128::from(TARGET_PERCENT)
}

/// The share in hundredths of a percent, rounded **down** (39.999% is 3999, shown "39,99%",
/// never "40,00%"); `None` when nothing was spent.
pub fn share_basis_points(local: i64, total: i64) -> Option<i64> {
    if total <= 0 {
        return None;
    }
    i64::try_from(i128::from(local) * 10_000 / i128::from(total)).ok()
}

/// The status of a period with these sums.
pub fn status(local: i64, total: i64) -> ShareStatus {
    if total <= 0 {
        ShareStatus::NoData
    } else if meets_target(local, total) {
        ShareStatus::Meets
    } else {
        ShareStatus::Below
    }
}

/// `40,00%` from hundredths of a percent.
pub fn format_basis_points(bp: i64) -> String {
    format!("{},{:02}%", bp / 100, bp % 100)
}

/// Sums of one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthShare {
    /// 1–12.
    pub month: u32,
    /// Rupiah spent in the month.
    pub total: i64,
    /// Rupiah of it spent on local UMKM.
    pub local: i64,
    /// Hundredths of a percent, rounded down; absent when nothing was spent.
    pub share_bp: Option<i64>,
    pub status: ShareStatus,
    pub purchases: u32,
}

impl MonthShare {
    fn of(month: u32, total: i64, local: i64, purchases: u32) -> MonthShare {
        MonthShare {
            month,
            total,
            local,
            share_bp: share_basis_points(local, total),
            status: status(local, total),
            purchases,
        }
    }
    /// "40,00%" or "—".
    pub fn share_text(&self) -> String {
        self.share_bp.map_or_else(|| "—".to_string(), format_basis_points)
    }
}

fn sums<'a>(facts: impl Iterator<Item = &'a PurchaseFact>) -> (i64, i64, u32) {
    facts.fold((0i64, 0i64, 0u32), |(t, l, n), f| {
        (t.saturating_add(f.value), if f.local_umkm { l.saturating_add(f.value) } else { l }, n + 1)
    })
}

/// The twelve months of `year` (January first); months without purchases have no data.
pub fn monthly(facts: &[PurchaseFact], year: i32) -> Vec<MonthShare> {
    (1..=12)
        .map(|m| {
            let (t, l, n) =
                sums(facts.iter().filter(|f| f.date.year() == year && f.date.month() == m));
            MonthShare::of(m, t, l, n)
        })
        .collect()
}

/// From 1 January of `year` through the end of `through_month` (1–12).
pub fn year_to_date(facts: &[PurchaseFact], year: i32, through_month: u32) -> MonthShare {
    let (t, l, n) =
        sums(facts.iter().filter(|f| f.date.year() == year && f.date.month() <= through_month));
    MonthShare::of(through_month, t, l, n)
}

/// Sums of one category over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryShare {
    pub category: PurchaseCategory,
    pub total: i64,
    pub local: i64,
    pub share_bp: Option<i64>,
    pub purchases: u32,
}

/// Every category (in display order) over the purchases of `year`.
pub fn by_category(facts: &[PurchaseFact], year: i32) -> Vec<CategoryShare> {
    PurchaseCategory::all()
        .iter()
        .map(|&c| {
            let (t, l, n) = sums(facts.iter().filter(|f| f.date.year() == year && f.category == c));
            CategoryShare {
                category: c,
                total: t,
                local: l,
                share_bp: share_basis_points(l, t),
                purchases: n,
            }
        })
        .collect()
}

/// How much of a yearly budget has been spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetUse {
    /// The yearly budget, if registered.
    pub budget: Option<i64>,
    pub spent: i64,
    /// Hundredths of a percent of the budget spent, rounded down.
    pub used_bp: Option<i64>,
    /// What is left (negative when over budget).
    pub remaining: Option<i64>,
    pub over_budget: bool,
}

/// Budget use of a year.
pub fn budget_use(budget: Option<i64>, spent: i64) -> BudgetUse {
    let used_bp = budget.and_then(|b| share_basis_points(spent, b));
    BudgetUse {
        budget,
        spent,
        used_bp,
        remaining: budget.map(|b| b.saturating_sub(spent)),
        over_budget: budget.is_some_and(|b| spent > b),
    }
}
