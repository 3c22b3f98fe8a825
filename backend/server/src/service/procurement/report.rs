//! The Pasal 11(e) report: per buyer and per WIB calendar month, the share of procurement spent
//! on local UMKM against the 40% target (exactly 40% meets it; a month without purchases has no
//! data), the year to date, budget use, and the Pasal 11(b)–(d) categories apart. As JSON, CSV
//! (UTF-8 with BOM, one row per buyer and month) and XLSX (the months, and a yearly summary).

use chrono::Datelike;
use etalase_db::repo::procurement as repo;
use etalase_domain::datefmt::month_name_id;
use etalase_domain::procurement::share::format_basis_points;
use etalase_domain::procurement::{
    BudgetUse, CategoryShare, MonthShare, PurchaseCategory, PurchaseFact, TARGET_PERCENT, YEARS,
    budget_use, by_category, monthly, year_to_date,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{BuyerView, buyers, scope};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The share of one month (or of the year to date).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthView {
    /// 1–12 (for the year to date: the last month counted).
    pub month: u32,
    pub month_name: String,
    pub total: i64,
    pub local: i64,
    /// Hundredths of a percent, rounded down; absent without purchases.
    pub share_bp: Option<i64>,
    /// "40,00%" or "—".
    pub share_text: String,
    /// `meets`, `below` or `no_data`.
    pub status: String,
    pub status_label: String,
    pub purchases: u32,
}

impl From<MonthShare> for MonthView {
    fn from(m: MonthShare) -> Self {
        MonthView {
            month: m.month,
            month_name: month_name_id(m.month).into(),
            total: m.total,
            local: m.local,
            share_bp: m.share_bp,
            share_text: m.share_text(),
            status: m.status.as_str().into(),
            status_label: m.status.label().into(),
            purchases: m.purchases,
        }
    }
}

/// One category's sums.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryView {
    pub category: String,
    pub label: String,
    /// "b", "c", "d" (Pasal 11), or absent for "lainnya".
    pub pasal: Option<String>,
    pub total: i64,
    pub local: i64,
    pub share_bp: Option<i64>,
    pub share_text: String,
    pub purchases: u32,
}

impl From<&CategoryShare> for CategoryView {
    fn from(c: &CategoryShare) -> Self {
        CategoryView {
            category: c.category.as_str().into(),
            label: c.category.label().into(),
            pasal: c.category.pasal_letter().map(Into::into),
            total: c.total,
            local: c.local,
            share_bp: c.share_bp,
            share_text: c.share_bp.map_or_else(|| "—".into(), format_basis_points),
            purchases: c.purchases,
        }
    }
}

/// Budget use of the year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BudgetView {
    pub budget: Option<i64>,
    pub spent: i64,
    pub used_bp: Option<i64>,
    pub used_text: String,
    pub remaining: Option<i64>,
    pub over_budget: bool,
}

impl From<BudgetUse> for BudgetView {
    fn from(b: BudgetUse) -> Self {
        BudgetView {
            budget: b.budget,
            spent: b.spent,
            used_bp: b.used_bp,
            used_text: b.used_bp.map_or_else(|| "—".into(), format_basis_points),
            remaining: b.remaining,
            over_budget: b.over_budget,
        }
    }
}

/// One buyer's year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BuyerReport {
    pub buyer: BuyerView,
    pub budget: BudgetView,
    /// January to December.
    pub months: Vec<MonthView>,
    /// From January through `through_month`.
    pub year_to_date: MonthView,
    pub categories: Vec<CategoryView>,
}

/// The Pasal 11(e) report of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportView {
    pub year: i32,
    pub target_percent: i64,
    /// The last month the year to date counts (the current month in the current year).
    pub through_month: u32,
    pub buyers: Vec<BuyerReport>,
    /// Every shown buyer together, by category.
    pub categories: Vec<CategoryView>,
}

/// `?year=` checked (default: this year, WIB).
pub fn year_or_now(state: &AppState, year: Option<i32>) -> AppResult<i32> {
    let y = year.unwrap_or_else(|| state.clock.today_wib().year());
    if YEARS.contains(&y) {
        Ok(y)
    } else {
        Err(AppError::field(
            "year",
            "out_of_range",
            format!("Tahun harus antara {} dan {}.", YEARS.start(), YEARS.end()),
        ))
    }
}

/// The report of `year`, for every buyer `user` may see (or the one asked).
pub async fn build(
    state: &AppState,
    user: &CurrentUser,
    year: Option<i32>,
    buyer_id: Option<i64>,
) -> AppResult<(ReportView, Vec<(i64, Vec<PurchaseFact>)>)> {
    let year = year_or_now(state, year)?;
    let wanted = scope(state, user).await?.filter(buyer_id)?;
    let shown: Vec<_> = buyers(state, user)
        .await?
        .into_iter()
        .filter(|b| wanted.is_none_or(|w| w == b.id))
        .collect();
    if wanted.is_some() && shown.is_empty() {
        return Err(AppError::NotFound(super::BUYER));
    }
    let today = state.clock.today_wib();
    let through = match year.cmp(&today.year()) {
        std::cmp::Ordering::Less => 12,
        std::cmp::Ordering::Equal => today.month(),
        std::cmp::Ordering::Greater => 0,
    };
    let facts = repo::facts_of_year(&state.db, wanted, year).await?;
    let budgets = repo::budgets_of_year(&state.db, year).await?;
    let mut all = Vec::new();
    let mut out = Vec::new();
    let mut per_buyer = Vec::new();
    for b in &shown {
        let mine: Vec<PurchaseFact> = facts
            .iter()
            .filter(|f| f.0 == b.id)
            .map(|&(_, date, value, category, local_umkm)| PurchaseFact {
                date,
                value,
                category,
                local_umkm,
            })
            .collect();
        all.extend(mine.iter().copied());
        let spent = mine.iter().fold(0i64, |s, f| s.saturating_add(f.value));
        let budget = budgets.iter().find(|x| x.buyer_id == b.id).map(|x| x.amount);
        out.push(BuyerReport {
            buyer: BuyerView::from(b),
            budget: budget_use(budget, spent).into(),
            months: monthly(&mine, year).into_iter().map(MonthView::from).collect(),
            year_to_date: year_to_date(&mine, year, through).into(),
            categories: by_category(&mine, year).iter().map(CategoryView::from).collect(),
        });
        per_buyer.push((b.id, mine));
    }
    let categories = by_category(&all, year).iter().map(CategoryView::from).collect();
    let view = ReportView {
        year,
        target_percent: TARGET_PERCENT,
        through_month: through,
        buyers: out,
        categories,
    };
    Ok((view, per_buyer))
}

/// The Pasal 11(b)–(d) categories, in export column order.
pub const PASAL_CATEGORIES: [PurchaseCategory; 3] =
    [PurchaseCategory::MakananRapat, PurchaseCategory::MebelKantor, PurchaseCategory::Cenderamata];

/// Sums of one category in one month: (total, local).
pub fn month_category(facts: &[PurchaseFact], month: u32, c: PurchaseCategory) -> (i64, i64) {
    facts
        .iter()
        .filter(|f| f.date.month() == month && f.category == c)
        .fold((0, 0), |(t, l), f| (t + f.value, if f.local_umkm { l + f.value } else { l }))
}
