//! Demo standards: the Dinas' city baseline "Standar Produk Lokal Kota Serang", Mitra
//! Swalayan's stricter own standard and Serang Mart's (the baseline plus halal); then every
//! product is evaluated so the demo shows a realistic spread. Idempotent: existing standards
//! are kept, and evaluation runs only for versions not yet evaluated.

use std::fmt::Write as _;

use chrono::NaiveDate;
use etalase_db::entities::{chain, standard, standard_version};
use etalase_db::repo::{evaluations, standards as repo, users};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::service::standards;
use crate::state::AppState;

const CHAINS: [(&str, &str, &str); 3] = [
    ("SM", "Serang Mart", "national"),
    ("MS", "Mitra Swalayan", "national"),
    ("BM", "Banten Mart Koperasi", "local"),
];

fn baseline() -> Value {
    json!([
        {"kind": "certificate", "certificate": "izin_edar"},
        {"kind": "net_content"},
        {"kind": "shelf_life", "min_days": 30},
        {"kind": "photos", "min_count": 1, "min_long_side": 1000},
        {"kind": "price"},
        {"kind": "producer_verified"}
    ])
}

fn mitra_swalayan() -> Value {
    let mut v = baseline();
    if let Some(a) = v.as_array_mut() {
        a.retain(|r| r["kind"] != "photos");
        a.extend([
            json!({"kind": "halal"}),
            json!({"kind": "gtin"}),
            json!({"kind": "photos", "min_count": 2, "min_long_side": 1000}),
            json!({"kind": "monthly_capacity", "min": 300}),
            json!({"kind": "packaging", "allowed": ["standing_pouch", "sachet", "botol_kaca", "botol_plastik", "kaleng", "toples", "kotak_karton", "besek", "lainnya"]}),
        ]);
    }
    v
}

fn serang_mart() -> Value {
    let mut v = baseline();
    if let Some(a) = v.as_array_mut() {
        a.push(json!({"kind": "halal"}));
    }
    v
}

async fn chain_id(state: &AppState, code: &str, name: &str, kind: &str) -> anyhow::Result<i64> {
    if let Some(c) =
        chain::Entity::find().filter(chain::Column::Code.eq(code)).one(&state.db).await?
    {
        return Ok(c.id);
    }
    let c = chain::ActiveModel {
        id: NotSet,
        code: Set(code.into()),
        name: Set(name.into()),
        kind: Set(kind.parse()?),
        created_at: Set(state.clock.now()),
    };
    Ok(c.insert(&state.db).await?.id)
}

/// Creates the standard unless its owner has one; true when it created it.
async fn ensure(
    state: &AppState,
    chain: Option<i64>,
    name: &str,
    description: &str,
    requirements: Value,
    by: i64,
) -> anyhow::Result<bool> {
    let existing = match chain {
        None => repo::baseline(&state.db).await?,
        Some(c) => repo::for_chain(&state.db, c).await?,
    };
    if existing.is_some() {
        return Ok(false);
    }
    let now = state.clock.now();
    let today = state.clock.today_wib();
    let from = NaiveDate::from_ymd_opt(2026, 1, 2).filter(|d| *d <= today).unwrap_or(today);
    let s = repo::insert(
        &state.db,
        standard::ActiveModel {
            id: NotSet,
            name: Set(name.into()),
            description: Set(description.into()),
            chain_id: Set(chain),
            created_by: Set(by),
            created_at: Set(now),
            updated_at: Set(now),
        },
    )
    .await?;
    // Checked like any published version.
    let parsed: Vec<etalase_domain::standards::Requirement> = serde_json::from_value(requirements)?;
    etalase_domain::standards::Requirement::validate_all(&parsed)
        .map_err(|e| anyhow::anyhow!(e.join(" ")))?;
    repo::insert_version(
        &state.db,
        standard_version::ActiveModel {
            id: NotSet,
            standard_id: Set(s.id),
            number: Set(1),
            requirements: Set(serde_json::to_string(&parsed)?),
            effective_from: Set(from),
            note: Set("Versi awal".into()),
            created_by: Set(by),
            created_at: Set(now),
        },
    )
    .await?;
    Ok(true)
}

/// A second photo ("kemasan belakang", one drawing per category) for every other product
/// with one good photo, so a standard asking for two photos has products that meet it.
async fn second_photos(state: &AppState) -> anyhow::Result<usize> {
    use etalase_db::entities::{photo, product};
    use sha2::{Digest, Sha256};
    let cats: Vec<String> =
        etalase_domain::category::categories().iter().map(|c| c.slug.clone()).collect();
    let limits = state.config.photo_limits();
    let names = cats.clone();
    let drawn = tokio::task::spawn_blocking(move || {
        names
            .iter()
            .enumerate()
            .map(|(i, slug)| {
                let bytes =
                    super::pictures::product_photo(&format!("{slug} kemasan belakang"), i, false);
                let hash = hex::encode(Sha256::digest(&bytes));
                etalase_media::photo::process(&bytes, &limits)
                    .map(|p| (hash, bytes.len() as i64, p))
            })
            .collect::<Vec<_>>()
    })
    .await?;
    let mut by_cat = std::collections::HashMap::new();
    for (slug, r) in cats.iter().zip(drawn) {
        let (hash, len, p) = r.map_err(|e| anyhow::anyhow!("foto demo: {e}"))?;
        for v in &p.variants {
            state
                .blobs
                .put(
                    &etalase_media::keys::photo_key(&hash, v.size, v.ext),
                    v.bytes.clone(),
                    v.content_type,
                )
                .await?;
        }
        by_cat.insert(slug.clone(), (hash, len, p));
    }
    let one: std::collections::HashSet<i64> = photo::Entity::find()
        .filter(photo::Column::Sharpness.gte(standards::MIN_SHARPNESS))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| p.product_id)
        .collect();
    let now = state.clock.now();
    let mut rows = Vec::new();
    for p in product::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|p| p.id % 2 == 0 && one.contains(&p.id))
    {
        let Some((hash, len, x)) = by_cat.get(&p.category) else { continue };
        let mut sizes: Vec<String> = x.variants.iter().map(|v| v.size.to_string()).collect();
        sizes.dedup();
        rows.push(photo::ActiveModel {
            product_id: Set(p.id),
            position: Set(1),
            is_primary: Set(false),
            alt_text: Set("Kemasan belakang".into()),
            content_hash: Set(hash.clone()),
            width: Set(i64::from(x.width)),
            height: Set(i64::from(x.height)),
            bytes: Set(*len),
            sizes: Set(sizes.join(",")),
            sharpness: Set(x.metrics.sharpness),
            brightness: Set(x.metrics.brightness),
            border_spread: Set(x.metrics.border_spread),
            border_brightness: Set(x.metrics.border_brightness),
            created_at: Set(now),
            ..Default::default()
        });
    }
    let n = rows.len();
    for chunk in rows.chunks(200) {
        photo::Entity::insert_many(chunk.to_vec()).exec_without_returning(&state.db).await?;
    }
    Ok(n)
}

/// Seeds the three standards and evaluates every product; returns a line per standard with
/// the number of eligible products.
pub async fn seed(state: &AppState) -> anyhow::Result<String> {
    let mut ids = std::collections::HashMap::new();
    for (code, name, kind) in CHAINS {
        ids.insert(code, chain_id(state, code, name, kind).await?);
    }
    let dinas =
        users::find_by_email(&state.db, "dinas@demo.etalase.id").await?.map(|u| u.id).unwrap_or(0);
    ensure(state, None, "Standar Produk Lokal Kota Serang", "Standar dasar kota yang disepakati Dinas dan peritel (Perwal 74/2023 Pasal 10 ayat 1 huruf b).", baseline(), dinas).await?;
    if ensure(state, ids.get("MS").copied(), "Standar Mitra Swalayan", "Standar dasar kota ditambah halal, barcode, dua foto, kapasitas 300 kemasan/bulan dan kemasan selain plastik klip.", mitra_swalayan(), dinas).await? {
        second_photos(state).await?;
    }
    ensure(
        state,
        ids.get("SM").copied(),
        "Standar Serang Mart",
        "Mengikuti standar dasar kota ditambah sertifikat halal.",
        serang_mart(),
        dinas,
    )
    .await?;
    standards::daily_tick(state).await.map_err(|e| anyhow::anyhow!("evaluasi standar: {e}"))?;
    let mut out = String::from("Standar produk:");
    for s in repo::all(&state.db).await? {
        let Some(v) = standards::current_version_for(state, s.id, state.clock.today_wib())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
        else {
            continue;
        };
        let rows = evaluations::for_version(&state.db, v.id).await?;
        let eligible = rows.iter().filter(|r| r.eligible).count();
        write!(
            out,
            "\n  {} (versi {}): {} dari {} produk layak",
            s.name,
            v.number,
            eligible,
            rows.len()
        )?;
    }
    Ok(out)
}
