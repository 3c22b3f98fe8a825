//! The dashboard: the store list with levels and figures, the summary grouped by chain,
//! kecamatan or kelurahan, and the month-by-month trend from the snapshots. Every figure is
//! aggregated in the database; a chain office's queries are confined to its own chain.

use chrono::{Datelike, NaiveDate};
use etalase_db::entities::chain;
use etalase_db::repo::chains;
use etalase_db::repo::compliance::{self as repo, ComplianceFilter, GroupBy, GroupRow, StoreRow};
use etalase_domain::compliance::Level;
use etalase_domain::wilayah::kota_serang;
use serde::Deserialize;
use utoipa::IntoParams;

use super::policies::thresholds;
use super::{
    GroupView, PolicyView, StoreStatusView, SummaryView, TrendPoint, TrendView, policy_on, scope,
};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;

/// `?date=&chain=&kecamatan=&kelurahan=&level=` of the store list and the exports.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StoresQuery {
    /// `YYYY-MM-DD`; default today (WIB).
    #[serde(default, deserialize_with = "crate::service::input::plain_date")]
    pub date: Option<NaiveDate>,
    /// Chain id or code (e.g. `MS`).
    pub chain: Option<String>,
    /// Kecamatan code, e.g. `36.73.06`.
    pub kecamatan: Option<String>,
    /// Kelurahan code.
    pub kelurahan: Option<String>,
    /// `patuh`, `berisiko` or `tidak_patuh`.
    pub level: Option<String>,
}

/// `?date=&group_by=` of the summary.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    #[serde(default, deserialize_with = "crate::service::input::plain_date")]
    pub date: Option<NaiveDate>,
    /// `chain` (default), `kecamatan` or `kelurahan`.
    pub group_by: Option<String>,
}

/// `?from=&to=&group_by=` of the trend (months `YYYY-MM`).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TrendQuery {
    /// First month, `YYYY-MM`; default 11 months before `to`.
    pub from: Option<String>,
    /// Last month, `YYYY-MM`; default this month.
    pub to: Option<String>,
    /// `all` (default), `chain` or `kecamatan`.
    pub group_by: Option<String>,
}

fn parse_group(s: Option<&str>, default: GroupBy) -> AppResult<GroupBy> {
    match s.map(str::trim) {
        None | Some("") => Ok(default),
        Some("all") => Ok(GroupBy::All),
        Some("chain") => Ok(GroupBy::Chain),
        Some("kecamatan") => Ok(GroupBy::Kecamatan),
        Some("kelurahan") => Ok(GroupBy::Kelurahan),
        Some(other) => Err(AppError::bad_request(
            ErrorCode::InvalidParameter,
            format!(
                "Parameter \"group_by\" tidak sah: \"{other}\" (pilih chain, kecamatan atau kelurahan)."
            ),
        )),
    }
}

/// The filter for `user` and `q`; `None` when the query names another chain than the caller's.
async fn filter_for(
    state: &AppState,
    user: &CurrentUser,
    q: &StoresQuery,
    all_chains: &[chain::Model],
) -> AppResult<Option<ComplianceFilter>> {
    let own = scope(user)?;
    let asked = match q.chain.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(
            all_chains
                .iter()
                .find(|x| x.code.eq_ignore_ascii_case(c) || c.parse::<i64>().ok() == Some(x.id))
                .map(|x| x.id)
                .ok_or_else(|| {
                    AppError::bad_request(
                        ErrorCode::InvalidParameter,
                        format!("Parameter \"chain\" tidak sah: jaringan \"{c}\" tidak dikenal."),
                    )
                })?,
        ),
    };
    let level = match q.level.as_deref() {
        None => None,
        Some(l) => Some(Level::from_code(l).ok_or_else(|| {
            AppError::bad_request(
                ErrorCode::InvalidParameter,
                format!(
                    "Parameter \"level\" tidak sah: \"{l}\" (pilih patuh, berisiko atau tidak_patuh)."
                ),
            )
        })?),
    };
    let chain_id = match (own, asked) {
        (Some(o), Some(a)) if o != a => return Ok(None),
        (Some(o), _) => Some(o),
        (None, a) => a,
    };
    let _ = state;
    Ok(Some(ComplianceFilter {
        chain_id,
        kecamatan: q.kecamatan.clone(),
        kelurahan: q.kelurahan.clone(),
        store_id: None,
        level,
    }))
}

fn chain_name(all: &[chain::Model], id: Option<i64>) -> Option<String> {
    id.and_then(|i| all.iter().find(|c| c.id == i)).map(|c| c.name.clone())
}

/// Every store the caller watches, with level and figures on the date (default today).
pub async fn store_list(
    state: &AppState,
    user: &CurrentUser,
    q: &StoresQuery,
) -> AppResult<(NaiveDate, PolicyView, Vec<StoreStatusView>)> {
    let date = q.date.unwrap_or_else(|| state.clock.today_wib());
    let all_chains = chains::all(&state.db).await?;
    let f = filter_for(state, user, q, &all_chains).await?;
    let (pm, p) = policy_on(state, date).await?;
    let rows: Vec<StoreRow> = match f {
        Some(f) => repo::store_rows(&state.db, &thresholds(&p, date), date, &f).await?,
        None => vec![],
    };
    let views =
        rows.iter().map(|r| StoreStatusView::new(r, chain_name(&all_chains, r.chain_id))).collect();
    Ok((date, PolicyView::new(&pm, true), views))
}

/// The label of a group key.
pub(crate) fn group_label(by: GroupBy, key: &str, all_chains: &[chain::Model]) -> String {
    let w = kota_serang();
    match by {
        GroupBy::All => "Semua gerai".into(),
        GroupBy::Chain => key
            .parse::<i64>()
            .ok()
            .and_then(|id| chain_name(all_chains, Some(id)))
            .unwrap_or_else(|| "Tanpa jaringan".into()),
        GroupBy::Kecamatan => {
            w.kecamatan_by_code(key).map(|k| k.name.clone()).unwrap_or_else(|| key.to_string())
        }
        GroupBy::Kelurahan => {
            w.kelurahan_by_code(key).map(|k| k.name.clone()).unwrap_or_else(|| key.to_string())
        }
    }
}

/// Counts per level on the date, in total and grouped, and the empowerment figure.
pub async fn summary(
    state: &AppState,
    user: &CurrentUser,
    q: &SummaryQuery,
) -> AppResult<SummaryView> {
    let own = scope(user)?;
    let by = parse_group(q.group_by.as_deref(), GroupBy::Chain)?;
    let date = q.date.unwrap_or_else(|| state.clock.today_wib());
    let (pm, p) = policy_on(state, date).await?;
    let all_chains = chains::all(&state.db).await?;
    let f = ComplianceFilter { chain_id: own, ..Default::default() };
    let t = thresholds(&p, date);
    let totals =
        repo::summary(&state.db, &t, date, &f, GroupBy::All).await?.into_iter().next().unwrap_or(
            GroupRow { key: "all".into(), stores: 0, patuh: 0, berisiko: 0, tidak_patuh: 0 },
        );
    let groups = repo::summary(&state.db, &t, date, &f, by).await?;
    Ok(SummaryView {
        date,
        policy: PolicyView::new(&pm, true),
        group_by: match by {
            GroupBy::All => "all",
            GroupBy::Chain => "chain",
            GroupBy::Kecamatan => "kecamatan",
            GroupBy::Kelurahan => "kelurahan",
        }
        .into(),
        totals: GroupView::new(&totals, group_label(GroupBy::All, "all", &all_chains)),
        groups: groups
            .iter()
            .map(|g| GroupView::new(g, group_label(by, &g.key, &all_chains)))
            .collect(),
        producers_placed: repo::producers_placed(&state.db, date, own).await?,
    })
}

/// `YYYY-MM` of a date.
pub fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn parse_month(field: &str, s: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d").map_err(|_| {
        AppError::bad_request(
            ErrorCode::InvalidParameter,
            format!("Parameter \"{field}\" tidak sah: \"{s}\" (format TTTT-BB)."),
        )
    })
}

/// The month `n` months before the month of `d` (first day).
pub fn months_before(d: NaiveDate, n: u32) -> NaiveDate {
    let idx = d.year() * 12 + d.month0() as i32 - n as i32;
    NaiveDate::from_ymd_opt(idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1, 1).unwrap_or(d)
}

/// Counts per month from the snapshots (frozen: later edits do not change past months).
pub async fn trend(state: &AppState, user: &CurrentUser, q: &TrendQuery) -> AppResult<TrendView> {
    let own = scope(user)?;
    let by = parse_group(q.group_by.as_deref(), GroupBy::All)?;
    let to = match &q.to {
        Some(s) => parse_month("to", s)?,
        None => months_before(state.clock.today_wib(), 0),
    };
    let from = match &q.from {
        Some(s) => parse_month("from", s)?,
        None => months_before(to, 11),
    };
    if from > to {
        return Err(AppError::bad_request(
            ErrorCode::InvalidParameter,
            "Parameter \"from\" tidak boleh sesudah \"to\".",
        ));
    }
    let all_chains = chains::all(&state.db).await?;
    let rows = repo::trend(&state.db, &month_key(from), &month_key(to), own, by).await?;
    let points = rows
        .iter()
        .map(|r| {
            let g = GroupView::new(&r.group, group_label(by, &r.group.key, &all_chains));
            TrendPoint {
                month: r.month.clone(),
                key: g.key,
                label: g.label,
                stores: g.stores,
                patuh: g.patuh,
                berisiko: g.berisiko,
                tidak_patuh: g.tidak_patuh,
                compliant_percent: g.compliant_percent,
            }
        })
        .collect();
    Ok(TrendView { from: month_key(from), to: month_key(to), points })
}
