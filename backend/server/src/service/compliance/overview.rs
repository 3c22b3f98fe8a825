//! The dashboard's figures in one round trip: totals and the counts by chain, kecamatan and
//! kelurahan from a single aggregation (`repo::summaries`), plus the empowerment figure —
//! the same numbers as `summary` with each `group_by`, for the same caller.

use chrono::NaiveDate;
use etalase_db::repo::chains;
use etalase_db::repo::compliance::{self as repo, ComplianceFilter, GroupBy};

use super::dashboard::group_label;
use super::policies::thresholds;
use super::{GroupView, PolicyView, policy_on, scope};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;

/// What the dashboard shows on a date.
#[derive(Debug, Clone)]
pub struct Overview {
    pub date: NaiveDate,
    pub policy: PolicyView,
    pub totals: GroupView,
    pub by_chain: Vec<GroupView>,
    pub by_kecamatan: Vec<GroupView>,
    pub by_kelurahan: Vec<GroupView>,
    pub producers_placed: i64,
}

/// The dashboard figures for `user` (all stores, or a chain office's own) on `date`; 404 when
/// no policy is in force on that day.
pub async fn overview(
    state: &AppState,
    user: &CurrentUser,
    date: NaiveDate,
) -> AppResult<Overview> {
    let own = scope(user)?;
    let (pm, p) = policy_on(state, date).await?;
    let all_chains = chains::all(&state.db).await?;
    let f = ComplianceFilter { chain_id: own, ..Default::default() };
    let bys = [GroupBy::All, GroupBy::Chain, GroupBy::Kecamatan, GroupBy::Kelurahan];
    let mut groups = repo::summaries(&state.db, &thresholds(&p, date), date, &f, &bys)
        .await?
        .into_iter()
        .map(|(by, rows)| {
            rows.iter()
                .map(|g| GroupView::new(g, group_label(by, &g.key, &all_chains)))
                .collect::<Vec<_>>()
        });
    let mut next = || groups.next().unwrap_or_default();
    let (all, by_chain, by_kecamatan, by_kelurahan) = (next(), next(), next(), next());
    let totals = all.into_iter().next().unwrap_or_else(|| GroupView {
        key: "all".into(),
        label: "Semua gerai".into(),
        stores: 0,
        patuh: 0,
        berisiko: 0,
        tidak_patuh: 0,
        compliant_percent: 0,
    });
    Ok(Overview {
        date,
        policy: PolicyView::new(&pm, true),
        totals,
        by_chain,
        by_kecamatan,
        by_kelurahan,
        producers_placed: repo::producers_placed(&state.db, date, own).await?,
    })
}
