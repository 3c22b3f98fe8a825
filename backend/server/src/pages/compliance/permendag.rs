//! `/kepatuhan/permendag`: the Dinas' list of agreements breaching a Permendag 23/2021 limit
//! (margin above 15%, listing fee above Rp50.000 per outlet, listing fees of one UMKM item over
//! a chain above Rp20 juta), paged and counted, filtered by limit and chain with a GET form, and
//! its CSV export (`/kepatuhan/permendag.csv`, same filters). Dinas and admins only; the rows
//! come from `service::compliance::breaches`, the same as the API.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use etalase_db::repo::chains;
use etalase_domain::agreement::Limit;
use etalase_domain::datefmt::format_date_id;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::ctx::PageQuery;
use crate::pages::ctx::{Nav, PageResult, render};
use crate::pages::pager::Pager;
use crate::service::compliance::{self as svc, PermendagBreach, PermendagQuery, permendag};
use crate::state::AppState;

const PER_PAGE: u64 = 50;

#[derive(Template)]
#[template(path = "compliance_permendag.html")]
struct PermendagPage {
    nav: Nav,
    rows: Vec<PermendagBreach>,
    pager: Pager,
    limits: Vec<(&'static str, &'static str)>,
    chains: Vec<(String, String)>,
    limit: String,
    chain_id: String,
    export_query: String,
}

impl PermendagPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        format_date_id(*d)
    }
}

/// The filters as query pairs (empty ones left out), for the pager and the export link.
fn filters(q: &PermendagQuery) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(l) = q.limit.as_deref().filter(|l| !l.trim().is_empty()) {
        out.push(("limit", l.to_string()));
    }
    if let Some(c) = q.chain_id {
        out.push(("chain_id", c.to_string()));
    }
    out
}

/// `GET /kepatuhan/permendag`.
pub(super) async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    PageQuery(q): PageQuery<PermendagQuery>,
) -> PageResult {
    let rows = svc::breaches(&state, &user, &q).await?;
    let f = filters(&q);
    let pager =
        Pager::new("/kepatuhan/permendag", &f, q.page, PER_PAGE, rows.len() as u64, "pelanggaran");
    let rows = rows.into_iter().skip(pager.offset() as usize).take(PER_PAGE as usize).collect();
    let chains = chains::all(&state.db)
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|c| (c.id.to_string(), c.name))
        .collect();
    let export_query =
        form_urlencoded::Serializer::new(String::new()).extend_pairs(f.iter()).finish();
    let nav = Nav::for_user(&user);
    let page = PermendagPage {
        nav: nav.clone(),
        rows,
        pager,
        limits: Limit::all().iter().map(|l| (l.as_str(), l.label())).collect(),
        chains,
        limit: q.limit.clone().unwrap_or_default(),
        chain_id: q.chain_id.map(|c| c.to_string()).unwrap_or_default(),
        export_query,
    };
    Ok(render(&page, &nav))
}

/// `GET /kepatuhan/permendag.csv`: every breach matching the filters (no paging).
pub(super) async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    PageQuery(q): PageQuery<PermendagQuery>,
) -> Result<Response, crate::pages::ctx::PageError> {
    let rows = svc::breaches(&state, &user, &q).await?;
    let date = state.clock.today_wib();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"permendag-{date}.csv\"")),
        ],
        permendag::csv(&rows),
    )
        .into_response())
}
