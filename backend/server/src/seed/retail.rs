//! Demo retail data: chains SM, MS (national) and BM (local), 150 stores over the 67
//! kelurahan (jittered around each centroid, kept inside Kota Serang), the demo store and
//! chain accounts linked to MS, and agreements in every state with their events.
//! Deterministic and idempotent: skipped when store `SM-001` exists.

use chrono::{Duration, NaiveDate};
use etalase_db::entities::{agreement, agreement_event, chain};
use etalase_db::repo::{agreements, chains, stores, users};
use etalase_domain::agreement::{
    Actor, AgreementStatus, EventAction, ItemInput, Scheme, Side, TermsInput,
};
use etalase_domain::store::{ChainKind, StoreFormat, ValidStore};
use etalase_domain::wilayah::kota_serang;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveValue::NotSet, Set};

use crate::state::AppState;

const CHAINS: [(&str, &str, ChainKind); 3] = [
    ("SM", "Serang Mart", ChainKind::National),
    ("MS", "Mitra Swalayan", ChainKind::National),
    ("BM", "Banten Mart Koperasi", ChainKind::Local),
];
pub const DEMO_STORES: usize = 150;

async fn ensure_chains(state: &AppState) -> anyhow::Result<Vec<chain::Model>> {
    let mut out = Vec::new();
    for (code, name, kind) in CHAINS {
        let c = match chains::find_by_code(&state.db, code).await? {
            Some(c) => c,
            None => {
                chains::insert(
                    &state.db,
                    chain::ActiveModel {
                        id: NotSet,
                        code: Set(code.into()),
                        name: Set(name.into()),
                        kind: Set(kind),
                        created_at: Set(state.clock.now()),
                    },
                )
                .await?
            }
        };
        out.push(c);
    }
    Ok(out)
}

fn status_cycle(i: usize) -> AgreementStatus {
    use AgreementStatus as S;
    [
        S::Active,
        S::Active,
        S::Active,
        S::Proposed,
        S::Countered,
        S::Accepted,
        S::Suspended,
        S::Ended,
        S::Terminated,
        S::Rejected,
        S::Withdrawn,
    ][i % 11]
}

fn action_for(s: AgreementStatus) -> EventAction {
    use AgreementStatus as S;
    match s {
        S::Proposed => EventAction::Propose,
        S::Countered => EventAction::Counter,
        S::Accepted | S::Active => EventAction::Accept,
        S::Suspended => EventAction::Suspend,
        S::Ended => EventAction::Expire,
        S::Terminated => EventAction::End,
        S::Rejected => EventAction::Reject,
        S::Withdrawn => EventAction::Withdraw,
    }
}

/// Seeds the retail demo; returns a summary line.
pub async fn seed(state: &AppState) -> anyhow::Result<String> {
    let chains = ensure_chains(state).await?;
    if stores::find_by_code(&state.db, "SM-001").await?.is_some() {
        return Ok("Data ritel demo sudah ada.".into());
    }
    let mut rng = StdRng::seed_from_u64(74_2023);
    let now = state.clock.now();
    let today: NaiveDate = state.clock.today_wib();
    let kel = kota_serang().kelurahan();
    let txn = etalase_db::begin_write(&state.db).await?;
    let mut made = Vec::new();
    for i in 0..DEMO_STORES {
        let Some(k) = kel.get(i % kel.len().max(1)) else { break };
        let c = &chains[i % 3];
        let (mut lat, mut lon) =
            (k.lat + rng.gen_range(-0.003..0.003), k.lon + rng.gen_range(-0.003..0.003));
        if !kota_serang().contains(lat, lon) {
            (lat, lon) = (k.lat, k.lon);
        }
        let format = if i % 10 == 0 { StoreFormat::Supermarket } else { StoreFormat::Minimarket };
        let v = ValidStore {
            code: format!("{}-{:03}", c.code, i / 3 + 1),
            name: format!("{} {}", c.name, k.name),
            chain_code: Some(c.code.clone()),
            format,
            address: format!("Jl. Raya {} No. {}", k.name, rng.gen_range(1..200)),
            kelurahan: k,
            lat,
            lon,
            local_facings: if format == StoreFormat::Supermarket {
                40
            } else {
                rng.gen_range(6..20)
            },
        };
        made.push(crate::service::retail::insert_valid(&txn, &v, Some(c.id), now).await?);
    }
    let products = agreements::published_products(&txn, None, None, 600).await?;
    let mut n_agreements = 0;
    for (i, s) in made.iter().enumerate().take(110) {
        let Some(p) = products.get((i * 7) % products.len().max(1)) else { break };
        let status = status_cycle(i);
        let start = match status {
            AgreementStatus::Ended => today - Duration::days(200),
            AgreementStatus::Active | AgreementStatus::Suspended | AgreementStatus::Terminated => {
                today - Duration::days(40)
            }
            _ => today + Duration::days(10),
        };
        let end = if status == AgreementStatus::Ended {
            today - Duration::days(10)
        } else {
            start + Duration::days(180)
        };
        let price = p.wholesale_price.unwrap_or(20_000);
        let konsinyasi = i % 2 == 0;
        let terms = TermsInput {
            items: vec![ItemInput { product_id: p.id, price, facings: 2 }],
            scheme: if konsinyasi { "konsinyasi".into() } else { "beli_putus".into() },
            store_margin_percent: konsinyasi.then_some(if i % 9 == 0 { 20 } else { 12 }),
            payment_term_days: [14, 30, 45, 60][i % 4],
            start_date: start,
            end_date: end,
            delivery_schedule: "Setiap Senin pagi".into(),
            listing_fee: None,
        };
        let flags = terms.validate(start).map(|v| v.flags).unwrap_or_default();
        let store_side = i % 2 == 0;
        let (first, other) =
            if store_side { (Side::Store, Side::Producer) } else { (Side::Producer, Side::Store) };
        let a = agreements::insert(
            &txn,
            agreement::ActiveModel {
                id: NotSet,
                store_id: Set(s.id),
                producer_id: Set(p.producer_id),
                status: Set(status),
                initiated_by: Set(first),
                offer_by: Set(if status == AgreementStatus::Countered { other } else { first }),
                scheme: Set(if konsinyasi { Scheme::Konsinyasi } else { Scheme::BeliPutus }),
                store_margin_percent: Set(terms.store_margin_percent),
                payment_term_days: Set(terms.payment_term_days),
                start_date: Set(start),
                end_date: Set(end),
                delivery_schedule: Set(terms.delivery_schedule.clone()),
                listing_fee: Set(None),
                flags: Set(serde_json::to_string(&flags)?),
                status_reason: Set(matches!(
                    status,
                    AgreementStatus::Suspended
                        | AgreementStatus::Terminated
                        | AgreementStatus::Rejected
                )
                .then(|| "Stok tidak terkirim dua minggu berturut-turut".to_string())),
                standard_version_id: Set(None),
                created_by: Set(None),
                version: Set(2),
                created_at: Set(now),
                updated_at: Set(now),
                accepted_at: Set(status.is_live().then_some(now)),
            },
        )
        .await?;
        agreements::replace_items(&txn, a.id, &[(p.id, price, 2)]).await?;
        let snap = serde_json::to_string(&terms)?;
        let ev = |action: EventAction,
                  from: Option<AgreementStatus>,
                  to: AgreementStatus,
                  side: Actor| agreement_event::ActiveModel {
            id: NotSet,
            agreement_id: Set(a.id),
            action: Set(action),
            from_status: Set(from),
            to_status: Set(to),
            actor_user_id: Set(None),
            actor_side: Set(side),
            note: Set(None),
            terms: Set(snap.clone()),
            created_at: Set(now),
        };
        agreements::insert_event(
            &txn,
            ev(EventAction::Propose, None, AgreementStatus::Proposed, first.into()),
        )
        .await?;
        if status != AgreementStatus::Proposed {
            let side = if matches!(status, AgreementStatus::Withdrawn) {
                first.into()
            } else if status == AgreementStatus::Ended {
                Actor::System
            } else {
                other.into()
            };
            agreements::insert_event(
                &txn,
                ev(action_for(status), Some(AgreementStatus::Proposed), status, side),
            )
            .await?;
        }
        n_agreements += 1;
    }
    txn.commit().await?;
    let ms = chains.iter().find(|c| c.code == "MS").map(|c| c.id);
    let ms_store = made.iter().find(|s| s.chain_id == ms).map(|s| s.id);
    if let Some(u) = users::find_by_email(&state.db, "toko@demo.etalase.id").await? {
        users::set_affiliation(&state.db, u.id, ms, ms_store).await?;
    }
    if let Some(u) = users::find_by_email(&state.db, "jaringan@demo.etalase.id").await? {
        users::set_affiliation(&state.db, u.id, ms, None).await?;
    }
    Ok(format!(
        "Data ritel demo dimuat: 3 jaringan, {} gerai, {n_agreements} perjanjian.",
        made.len()
    ))
}
