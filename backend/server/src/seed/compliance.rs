//! Demo compliance data: the city's policy (1 active agreement, 1 local product, 1 producer
//! per store — the first step the Dinas takes) effective a year back, and 12 months of
//! snapshot history telling a believable story: Serang Mart and Banten Mart Koperasi improve
//! month by month, Mitra Swalayan stays flat, and Kasemen lags behind the other kecamatan.
//! This month is a real snapshot of today's agreements. Idempotent: skipped when the policy
//! exists.

use chrono::{Datelike, Duration};
use etalase_db::entities::{compliance_policy, compliance_snapshot};
use etalase_db::repo::chains;
use etalase_db::repo::compliance as repo;
use etalase_db::repo::stores::{self, StoreFilter};
use sea_orm::{ActiveValue::NotSet, Set};

use crate::service::compliance::snapshot_month;
use crate::state::AppState;

/// The lagging kecamatan of the story (Kasemen).
const LAGGING: &str = "36.73.02";

/// Seeds the compliance demo; returns a summary line.
pub async fn seed(state: &AppState) -> anyhow::Result<String> {
    if !repo::policies(&state.db).await?.is_empty() {
        return Ok("Data kepatuhan demo sudah ada.".into());
    }
    let today = state.clock.today_wib();
    let now = state.clock.now();
    let start = today - Duration::days(400);
    repo::insert_policy(
        &state.db,
        compliance_policy::ActiveModel {
            id: NotSet,
            min_agreements: Set(1),
            min_products: Set(1),
            min_producers: Set(1),
            effective_from: Set(start),
            note: Set(Some(
                "Tahap awal: setiap gerai memasarkan sedikitnya satu produk UMKM lokal.".into(),
            )),
            created_by: Set(None),
            created_at: Set(now),
        },
    )
    .await?;
    let policy = repo::policies(&state.db).await?.into_iter().next().map(|p| p.id);
    let all_chains = chains::all(&state.db).await?;
    let code_of = |id: Option<i64>| {
        id.and_then(|i| all_chains.iter().find(|c| c.id == i))
            .map(|c| c.code.clone())
            .unwrap_or_default()
    };
    let stores = stores::all(&state.db, &StoreFilter::default()).await?;
    let txn = etalase_db::begin_write(&state.db).await?;
    let mut rows = 0;
    for back in (1..=11u32).rev() {
        let m = crate::service::compliance::months_before(today, back);
        let key = format!("{:04}-{:02}", m.year(), m.month());
        let progress = f64::from(11 - back) / 11.0;
        for (i, s) in stores.iter().enumerate() {
            let base = match code_of(s.chain_id).as_str() {
                "SM" => 0.08 + 0.22 * progress,
                "BM" => 0.04 + 0.2 * progress,
                _ => 0.2,
            };
            let share = if s.kecamatan_code == LAGGING { base * 0.4 } else { base };
            // A deterministic spread: store i is compliant when its rank falls under the share.
            let rank = ((i * 37 + 11) % 100) as f64 / 100.0;
            let level = if rank < share * 0.85 {
                "patuh"
            } else if rank < share {
                "berisiko"
            } else {
                "tidak_patuh"
            };
            let n = i64::from(level != "tidak_patuh") * (1 + (i % 3) as i64);
            repo::insert_snapshot(
                &txn,
                compliance_snapshot::ActiveModel {
                    id: NotSet,
                    month: Set(key.clone()),
                    store_id: Set(s.id),
                    chain_id: Set(s.chain_id),
                    kecamatan_code: Set(s.kecamatan_code.clone()),
                    kelurahan_code: Set(s.kelurahan_code.clone()),
                    level: Set(level.parse()?),
                    agreements: Set(n),
                    products: Set(n),
                    producers: Set(n.min(1)),
                    policy_id: Set(policy),
                    created_at: Set(now),
                },
            )
            .await?;
            rows += 1;
        }
    }
    txn.commit().await?;
    let current = snapshot_month(state, today).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(format!("Data kepatuhan demo dimuat: 1 kebijakan, {} potret bulanan gerai.", rows + current))
}
