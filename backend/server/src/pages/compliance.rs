//! `/kepatuhan`: the compliance dashboard (Pasal 10(1)(b)) for the Dinas (every store) and a
//! chain office (its own stores) — counts, tables by chain and kecamatan, the kelurahan map and
//! the trend as server-drawn SVG, the empowerment figure and the exports. The store detail,
//! inspection form, notices and policy form live in the submodules. Every figure and access
//! rule comes from `service::compliance`, the same as the API.

mod actions;
mod detail;
pub(crate) mod notices;
mod permendag;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::routing::get;
use chrono::NaiveDate;
use serde::Deserialize;

use super::ctx::{Nav, PageError, PageResult, render};
use super::pager::Pager;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorCode};
use crate::pages::ctx::PageQuery;
use crate::service::compliance::{
    self as svc, GroupView, PolicyView, StoreStatusView, StoresQuery, TrendQuery, map,
};
use crate::state::AppState;

pub fn router(config: &crate::config::Config) -> Router<AppState> {
    Router::new()
        .route("/kepatuhan", get(dashboard))
        .route("/kepatuhan/toko/{id}", get(detail::show))
        // Six shelf photos at the configured size each, plus the form.
        .route(
            "/kepatuhan/toko/{id}/inspeksi",
            get(actions::inspection_form).post(actions::record_inspection).layer(
                DefaultBodyLimit::max(crate::api::inspections::inspection_upload_bytes(config)),
            ),
        )
        .route("/kepatuhan/toko/{id}/teguran", get(notices::compose).post(notices::send_notice))
        .route("/kepatuhan/teguran", get(notices::notices))
        .route("/kepatuhan/permendag", get(permendag::page))
        .route("/kepatuhan/permendag.csv", get(permendag::export))
        .route("/kepatuhan/kebijakan", get(actions::policy_page).post(actions::create_policy))
}

/// `?bulan=YYYY-MM` (a past month, as of its last day) or `?tanggal=YYYY-MM-DD`; on the
/// dashboard also the follow-up list's `page` and `sort`.
#[derive(Debug, Default, Deserialize)]
pub struct DashQuery {
    pub bulan: Option<String>,
    pub tanggal: Option<String>,
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
    /// The follow-up list's order: `gerai`, `status`, `perjanjian`, `produk`, `umkm`.
    pub sort: Option<String>,
}

/// The day the dashboard shows: the chosen date, the last day of the chosen month (today for
/// the current month), or today.
pub fn chosen_date(q: &DashQuery, today: NaiveDate) -> Result<NaiveDate, AppError> {
    let bad = |what: &str, v: &str| {
        AppError::bad_request(ErrorCode::InvalidParameter, format!("{what} \"{v}\" tidak sah."))
    };
    if let Some(t) = q.tanggal.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let d = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| bad("Tanggal", t))?;
        return if d > today { Err(bad("Tanggal (sesudah hari ini)", t)) } else { Ok(d) };
    }
    if let Some(b) = q.bulan.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        let start = NaiveDate::parse_from_str(&format!("{b}-01"), "%Y-%m-%d")
            .map_err(|_| bad("Bulan", b))?;
        if start > today {
            return Err(bad("Bulan (belum dimulai)", b));
        }
        let last = start
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(start);
        return Ok(last.min(today));
    }
    Ok(today)
}

#[derive(Template)]
#[template(path = "compliance_dashboard.html")]
struct Dashboard {
    nav: Nav,
    date: NaiveDate,
    date_label: String,
    month: String,
    policy: Option<PolicyView>,
    totals: Option<GroupView>,
    by_chain: Vec<GroupView>,
    by_kecamatan: Vec<GroupView>,
    attention: Vec<StoreStatusView>,
    /// Paging of the follow-up list: "Menampilkan 1–50 dari 120 gerai".
    pager: Pager,
    /// The follow-up list's order (`sort`), and the links that change it.
    sort: String,
    sort_base: String,
    store_count: usize,
    producers_placed: i64,
    map_svg: String,
    trend_svg: String,
    export_query: String,
    is_dinas: bool,
}

/// How many not-patuh stores one page of the follow-up list shows (the exports hold them all).
const ATTENTION_PER_PAGE: u64 = 50;

/// The follow-up list's orders, each the most urgent first; unknown keys keep the service's.
const SORTS: [&str; 5] = ["gerai", "status", "perjanjian", "produk", "umkm"];

fn sort_attention(list: &mut [StoreStatusView], key: &str) {
    let rank = |l: &str| match l {
        "tidak_patuh" => 0,
        "berisiko" => 1,
        _ => 2,
    };
    match key {
        "gerai" => list.sort_by(|a, b| a.code.cmp(&b.code)),
        "status" => list.sort_by_key(|s| (rank(&s.level), s.code.clone())),
        "perjanjian" => list.sort_by_key(|s| (s.agreements, s.code.clone())),
        "produk" => list.sort_by_key(|s| (s.products, s.code.clone())),
        "umkm" => list.sort_by_key(|s| (s.producers, s.code.clone())),
        _ => {}
    }
}

impl Dashboard {
    fn sort_link(&self, key: &str) -> String {
        let sep = if self.sort_base.contains('?') { '&' } else { '?' };
        format!("{}{sep}sort={key}#perlu-tindakan", self.sort_base)
    }
    fn aria_sort(&self, key: &str) -> &'static str {
        if self.sort == key { "ascending" } else { "" }
    }
}

async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
    PageQuery(q): PageQuery<DashQuery>,
) -> PageResult {
    svc::scope(&user)?;
    let sort = q.sort.clone().filter(|s| SORTS.contains(&s.as_str())).unwrap_or_default();
    let mut pairs = vec![
        ("bulan", q.bulan.clone().unwrap_or_default()),
        ("tanggal", q.tanggal.clone().unwrap_or_default()),
    ];
    let qs = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().filter(|(_, v)| !v.trim().is_empty()))
        .finish();
    let sort_base =
        if qs.is_empty() { "/kepatuhan".to_string() } else { format!("/kepatuhan?{qs}") };
    pairs.push(("sort", sort.clone()));
    let date = chosen_date(&q, state.clock.today_wib())?;
    let nav = Nav::for_user(&user);
    let mut page = Dashboard {
        nav: nav.clone(),
        date,
        date_label: etalase_domain::datefmt::format_date_id(date),
        month: svc::month_key(date),
        policy: None,
        totals: None,
        by_chain: vec![],
        by_kecamatan: vec![],
        attention: vec![],
        pager: Pager::new("/kepatuhan", &pairs, None, ATTENTION_PER_PAGE, 0, "gerai"),
        sort,
        sort_base,
        store_count: 0,
        producers_placed: 0,
        map_svg: String::new(),
        trend_svg: String::new(),
        export_query: format!("date={date}"),
        is_dinas: svc::require_dinas(&user).is_ok(),
    };
    let o = match svc::overview(&state, &user, date).await {
        Ok(o) => o,
        Err(AppError::NotFound(_)) => return Ok(render(&page, &nav)),
        Err(e) => return Err(PageError(e)),
    };
    let (_, _, stores) =
        svc::store_list(&state, &user, &StoresQuery { date: Some(date), ..Default::default() })
            .await?;
    let trend = svc::trend(
        &state,
        &user,
        &TrendQuery { to: Some(svc::month_key(date)), ..Default::default() },
    )
    .await?;
    page.map_svg = map::map_svg(&o.by_kelurahan, &stores);
    if !trend.points.is_empty() {
        page.trend_svg = map::trend_svg(&trend.points);
    }
    page.store_count = stores.len();
    let mut attention: Vec<StoreStatusView> =
        stores.into_iter().filter(|s| s.level != "patuh").collect();
    sort_attention(&mut attention, &page.sort);
    page.pager = Pager::new(
        "/kepatuhan",
        &pairs,
        q.page,
        ATTENTION_PER_PAGE,
        attention.len() as u64,
        "gerai",
    );
    page.attention = attention
        .into_iter()
        .skip(usize::try_from(page.pager.offset()).unwrap_or(usize::MAX))
        .take(ATTENTION_PER_PAGE as usize)
        .collect();
    page.policy = Some(o.policy);
    page.totals = Some(o.totals);
    page.by_chain = o.by_chain;
    page.by_kecamatan = o.by_kecamatan;
    page.producers_placed = o.producers_placed;
    Ok(render(&page, &nav))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_past_month_is_shown_as_of_its_last_day_and_this_month_as_of_today() {
        let today = d("2026-11-26");
        let q = |b: &str| DashQuery { bulan: Some(b.into()), ..Default::default() };
        assert_eq!(chosen_date(&q("2026-02"), today).unwrap(), d("2026-02-28"));
        assert_eq!(chosen_date(&q("2026-11"), today).unwrap(), today);
        assert!(chosen_date(&q("2026-12"), today).is_err());
        assert!(chosen_date(&q("bulan-lalu"), today).is_err());
        assert_eq!(chosen_date(&DashQuery::default(), today).unwrap(), today);
        assert_eq!(
            chosen_date(
                &DashQuery {
                    bulan: Some(String::new()),
                    tanggal: Some("2026-03-05".into()),
                    ..Default::default()
                },
                today
            )
            .unwrap(),
            d("2026-03-05")
        );
    }
}
