//! The Dinas' list of agreements that breach a Permendag 23/2021 limit: the store's margin
//! above 15%, the listing fee above Rp50.000 per outlet, and the listing fee of one UMKM item
//! over all of a chain's outlets above Rp20 juta. Only binding agreements count
//! (`etalase_domain::agreement::BINDING`: proposed, countered, accepted, active, suspended).
//! One row per agreement and limit; a chain-cap row names the item. Computed from the
//! agreements as they stand (not from the stored flags), so an agreement whose chain crossed
//! the cap after it was signed is listed too. Dinas and admins only.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use etalase_db::repo::agreements::{self as repo, AgreementFilter};
use etalase_db::repo::{chains, producers, stores};
use etalase_domain::agreement::{
    BINDING, LISTING_FEE_CHAIN_MAX, LISTING_FEE_MAX, Limit, OutletFee, TERM_FEE_MAX_PERCENT,
    chain_listing_fee, own_breaches,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::export::{csv_field, neutralise};
use super::require_dinas;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;

/// Filters of the breach list (page, API and CSV); empty fields mean "all".
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PermendagQuery {
    /// `margin_above_limit`, `listing_fee_above_limit` or `chain_listing_fee_above_limit`.
    pub limit: Option<String>,
    /// Only this chain's stores.
    pub chain_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// One agreement breaching one limit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PermendagBreach {
    pub agreement_id: i64,
    pub status: String,
    pub status_label: String,
    pub store_id: i64,
    pub store_name: String,
    pub chain_id: Option<i64>,
    pub chain_name: Option<String>,
    pub producer_id: i64,
    pub producer_name: String,
    /// The agreement's products (for the chain cap: the one item whose total is over).
    pub products: Vec<String>,
    /// The limit's code (as the agreement flags).
    pub limit: String,
    pub limit_label: String,
    /// What was found: margin in percent, listing fee per outlet or chain total in rupiah.
    pub value: i64,
    /// The limit: 15 (%), 50.000 or 20.000.000 (rupiah).
    pub max: i64,
    /// How much `value` is above `max`.
    pub excess: i64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

impl PermendagBreach {
    /// "16% (lebih 1 poin)" or "Rp20.000.001 (lebih Rp1)".
    pub fn amount_label(&self) -> String {
        use etalase_domain::money::group_thousands as g;
        if self.limit == Limit::Margin.as_str() {
            format!("{}% (lebih {} poin persen)", self.value, self.excess)
        } else {
            let (v, e) = (g(self.value.unsigned_abs()), g(self.excess.unsigned_abs()));
            format!("Rp{v} (lebih Rp{e})")
        }
    }
}

/// Every breach matching `q` (no paging), newest agreement first. Dinas and admins only.
#[tracing::instrument(skip(state, q), fields(user = user.id))]
pub async fn breaches(
    state: &AppState,
    user: &CurrentUser,
    q: &PermendagQuery,
) -> AppResult<Vec<PermendagBreach>> {
    require_dinas(user)?;
    let want = match q.limit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => Some(Limit::from_code(code).ok_or_else(|| {
            AppError::bad_request(
                ErrorCode::InvalidParameter,
                format!("Batas \"{code}\" tidak dikenal."),
            )
        })?),
    };
    let f =
        AgreementFilter { chain_id: q.chain_id, statuses: BINDING.to_vec(), ..Default::default() };
    let ags = repo::with_items(&state.db, &f).await?;
    let mut sids: Vec<i64> = ags.iter().map(|(a, _)| a.store_id).collect();
    sids.sort_unstable();
    sids.dedup();
    let store_by: HashMap<i64, _> =
        stores::find_many(&state.db, sids).await?.into_iter().map(|s| (s.id, s)).collect();
    let chain_by: HashMap<i64, String> =
        chains::all(&state.db).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let mut pids: Vec<i64> = ags.iter().map(|(a, _)| a.producer_id).collect();
    pids.sort_unstable();
    pids.dedup();
    let producer_by: HashMap<i64, String> =
        producers::find_many(&state.db, pids).await?.into_iter().map(|p| (p.id, p.name)).collect();
    let prod_ids: Vec<i64> =
        ags.iter().flat_map(|(_, it)| it.iter().map(|i| i.product_id)).collect();
    let product_by: HashMap<i64, String> = repo::products_by_ids(&state.db, prod_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let chain_of = |store_id: i64| store_by.get(&store_id).and_then(|s| s.chain_id);
    // (chain, product) → the agreements with a fee for it.
    let mut groups: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (i, (a, items)) in ags.iter().enumerate() {
        if let Some(c) = chain_of(a.store_id).filter(|_| a.listing_fee.is_some_and(|f| f > 0)) {
            for it in items {
                groups.entry((c, it.product_id)).or_default().push(i);
            }
        }
    }
    let mut hits: Vec<(usize, Limit, i64, i64, Option<i64>)> = Vec::new();
    for (i, (a, _)) in ags.iter().enumerate() {
        for (l, v, e) in own_breaches(a.store_margin_percent, a.listing_fee) {
            hits.push((i, l, v, e, None));
        }
    }
    for ((_, product), idx) in &groups {
        let fees: Vec<OutletFee> = idx
            .iter()
            .map(|i| OutletFee { status: ags[*i].0.status, listing_fee: ags[*i].0.listing_fee })
            .collect();
        let t = chain_listing_fee(&fees);
        if t.breached() {
            for i in idx {
                hits.push((*i, Limit::ChainListingFee, t.total, t.excess, Some(*product)));
            }
        }
    }
    hits.retain(|h| want.is_none_or(|w| w == h.1));
    hits.sort_by_key(|h| (std::cmp::Reverse(ags[h.0].0.id), h.1 as u8, h.4));
    Ok(hits
        .into_iter()
        .map(|(i, l, value, excess, product)| {
            let (a, items) = &ags[i];
            let chain_id = chain_of(a.store_id);
            let name = |p: i64| product_by.get(&p).cloned().unwrap_or_else(|| format!("#{p}"));
            PermendagBreach {
                agreement_id: a.id,
                status: a.status.as_str().into(),
                status_label: a.status.label().into(),
                store_id: a.store_id,
                store_name: store_by.get(&a.store_id).map(|s| s.name.clone()).unwrap_or_default(),
                chain_id,
                chain_name: chain_id.and_then(|c| chain_by.get(&c).cloned()),
                producer_id: a.producer_id,
                producer_name: producer_by.get(&a.producer_id).cloned().unwrap_or_default(),
                products: match product {
                    Some(p) => vec![name(p)],
                    None => items.iter().map(|it| name(it.product_id)).collect(),
                },
                limit: l.as_str().into(),
                limit_label: l.label().into(),
                value,
                max: match l {
                    Limit::Margin => TERM_FEE_MAX_PERCENT,
                    Limit::ListingFee => LISTING_FEE_MAX,
                    Limit::ChainListingFee => LISTING_FEE_CHAIN_MAX,
                },
                excess,
                start_date: a.start_date,
                end_date: a.end_date,
            }
        })
        .collect())
}

/// Column headers of the CSV export.
pub const HEADERS: [&str; 13] = [
    "perjanjian",
    "status",
    "gerai",
    "jaringan",
    "umkm",
    "produk",
    "batas",
    "keterangan",
    "nilai",
    "batas_maks",
    "kelebihan",
    "mulai",
    "selesai",
];

/// The breaches as CSV (UTF-8 with BOM; texts that would run as formulas neutralised).
pub fn csv(rows: &[PermendagBreach]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&HEADERS.join(","));
    out.push_str("\r\n");
    for r in rows {
        let cells = [
            r.agreement_id.to_string(),
            neutralise(&r.status_label),
            neutralise(&r.store_name),
            neutralise(r.chain_name.as_deref().unwrap_or_default()),
            neutralise(&r.producer_name),
            neutralise(&r.products.join("; ")),
            r.limit.clone(),
            neutralise(&r.limit_label),
            r.value.to_string(),
            r.max.to_string(),
            r.excess.to_string(),
            r.start_date.to_string(),
            r.end_date.to_string(),
        ];
        out.push_str(&cells.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}
