//! Why a store has its status: the pure rules of `etalase_domain::compliance` over its
//! agreements and inspections, with products, producers, shortfalls, notices and history.

use chrono::NaiveDate;
use etalase_db::repo::agreements::{self, AgreementFilter};
use etalase_db::repo::compliance::{self as repo, StoreRow};
use etalase_db::repo::{chains, producers};
use etalase_domain::compliance::{AgreementFacts, InspectionFacts, counts_on, evaluate};

use super::{
    DetailAgreement, DetailProduct, FiguresView, HistoryPoint, InspectionView, NoticeView,
    PolicyView, ShortfallView, StoreDetailView, StoreStatusView, policy_on, watched_store,
};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;

/// The inspections of a store as views and as facts for the rules.
pub(crate) async fn inspections(
    state: &AppState,
    store_id: i64,
) -> AppResult<(Vec<InspectionView>, Vec<InspectionFacts>)> {
    let rows = repo::inspections_of(&state.db, store_id).await?;
    let mut photos = super::inspection_photos::views_by_inspection(
        state,
        rows.iter().map(|(i, _)| i.id).collect(),
    )
    .await?;
    let mut views = Vec::new();
    let mut facts = Vec::new();
    for (i, items) in rows {
        let seen: Vec<i64> = items.iter().filter(|x| x.seen).map(|x| x.product_id).collect();
        let not_seen: Vec<i64> = items.iter().filter(|x| !x.seen).map(|x| x.product_id).collect();
        facts.push(InspectionFacts {
            date: i.inspected_on,
            seen: seen.clone(),
            not_seen: not_seen.clone(),
        });
        views.push(InspectionView {
            id: i.id,
            store_id: i.store_id,
            date: i.inspected_on,
            notes: i.notes,
            seen,
            not_seen,
            photos: photos.remove(&i.id).unwrap_or_default(),
        });
    }
    Ok((views, facts))
}

/// The agreements of a store as facts for the rules (every status; the rules pick).
pub(crate) async fn agreement_facts(
    state: &AppState,
    store_id: i64,
) -> AppResult<Vec<AgreementFacts>> {
    let rows = agreements::with_items(
        &state.db,
        &AgreementFilter { store_id: Some(store_id), ..Default::default() },
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|(a, items)| AgreementFacts {
            id: a.id,
            producer_id: a.producer_id,
            status: a.status,
            start_date: a.start_date,
            end_date: a.end_date,
            product_ids: items.iter().map(|i| i.product_id).collect(),
        })
        .collect())
}

/// The store's status on `date` (default today) and the evidence behind it.
pub async fn store_detail(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    date: Option<NaiveDate>,
) -> AppResult<StoreDetailView> {
    let s = watched_store(state, user, id).await?;
    let date = date.unwrap_or_else(|| state.clock.today_wib());
    let (pm, p) = policy_on(state, date).await?;
    let facts = agreement_facts(state, s.id).await?;
    let (inspection_views, inspection_facts) = inspections(state, s.id).await?;
    let status = evaluate(&p, &facts, &inspection_facts, date);

    let product_ids: Vec<i64> = facts.iter().flat_map(|a| a.product_ids.iter().copied()).collect();
    let products = agreements::products_by_ids(&state.db, product_ids).await?;
    let producer_list =
        producers::find_many(&state.db, facts.iter().map(|a| a.producer_id).collect()).await?;
    let mut shown: Vec<DetailAgreement> = facts
        .iter()
        .filter(|a| counts_on(a, date) || a.status.is_live())
        .map(|a| DetailAgreement {
            id: a.id,
            producer_id: a.producer_id,
            producer_name: producer_list
                .iter()
                .find(|p| p.id == a.producer_id)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            status: a.status.as_str().into(),
            start_date: a.start_date,
            end_date: a.end_date,
            counts: counts_on(a, date),
            ending_soon: status.ending_soon.contains(&a.id),
            flagged: status.flagged.contains(&a.id),
            products: a
                .product_ids
                .iter()
                .map(|pid| DetailProduct {
                    id: *pid,
                    name: products
                        .iter()
                        .find(|x| x.id == *pid)
                        .map(|x| x.name.clone())
                        .unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    shown.sort_by_key(|a| (!a.counts, a.end_date));

    let chain_name = match s.chain_id {
        Some(c) => chains::find(&state.db, c).await?.map(|c| c.name),
        None => None,
    };
    let row = StoreRow {
        store_id: s.id,
        code: s.code.clone(),
        name: s.name.clone(),
        chain_id: s.chain_id,
        kecamatan_code: s.kecamatan_code.clone(),
        kelurahan_code: s.kelurahan_code.clone(),
        lat: s.lat,
        lon: s.lon,
        agreements: status.figures.agreements,
        products: status.figures.products,
        producers: status.figures.producers,
        level: status.level,
    };
    let notices = repo::notices(&state.db, None, Some(s.id)).await?;
    let history = repo::snapshots_of_store(&state.db, s.id).await?;
    Ok(StoreDetailView {
        date,
        store: StoreStatusView::new(&row, chain_name),
        policy: PolicyView::new(&pm, true),
        figures_in_30_days: FiguresView {
            agreements: status.figures_in_30_days.agreements,
            products: status.figures_in_30_days.products,
            producers: status.figures_in_30_days.producers,
        },
        shortfalls: status
            .shortfalls
            .iter()
            .map(|x| ShortfallView {
                kind: x.kind.into(),
                required: x.required,
                actual: x.actual,
                message: x.message.clone(),
            })
            .collect(),
        agreements: shown,
        flagged: status.flagged,
        inspections: inspection_views,
        notices: notices.iter().map(NoticeView::from).collect(),
        history: history
            .iter()
            .map(|h| HistoryPoint {
                month: h.month.clone(),
                level: h.level.as_str().into(),
                agreements: h.agreements,
                products: h.products,
                producers: h.producers,
            })
            .collect(),
    })
}
