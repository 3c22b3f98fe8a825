//! Candidates for "Rekomendasi", filtered and ranked in the database so a request never loads
//! thousands of products: listed (published, verified producer), not taken at the store (no
//! agreement of the store in a TAKEN status names it), eligible under the store's standard
//! version from the stored evaluations, among the search index's answer when words were given;
//! ranked by approximate distance from the producer to the store and cut to a few hundred.
//!
//! Bundled SQLite has no math functions, so the ranking key is the squared planar distance in
//! degrees of latitude: `Δlat² + (Δlon · cos(lat₀))²`, with `cos(lat₀)` computed here. Without
//! words, the producers are read inside a box around the store (grown ×4 until it holds enough,
//! then unbounded), producers first; `idx_producers_lat_lon` (migration 22) makes the box a range.

use std::collections::{HashMap, HashSet};

use etalase_domain::code_enum::CodeEnum;
use sea_orm::{ConnectionTrait, DbErr, Value};

use super::agreements::{LIVE, TAKEN};
use super::compliance::aggregate::stmt;

/// Kilometres in one degree of latitude (as `etalase_domain::haversine_km`'s Earth).
pub const KM_PER_DEGREE: f64 = 111.195;

/// Half-sides (km) of the boxes tried in turn around the store before reading without one.
const BOXES_KM: [f64; 4] = [1.0, 4.0, 16.0, 64.0];

/// What the candidates must satisfy.
#[derive(Debug, Clone)]
pub struct CandidateQuery<'a> {
    pub store_id: i64,
    pub lat: f64,
    pub lon: f64,
    /// Only products the standard version in force for the store found eligible.
    pub eligible_version: Option<i64>,
    /// Only among these products (the search index's answer to the words).
    pub among: Option<&'a [i64]>,
    /// Only products whose lower-cased name contains this (lower-cased) text: the stand-in for
    /// the search index while it is down.
    pub name_like: Option<&'a str>,
    /// At most this many, nearest first.
    pub limit: u64,
}

/// One candidate: the product and its approximate distance to the store (km, planar).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub product_id: i64,
    pub approx_km: f64,
}

/// The nearest candidates, nearest first (ties by product id): exactly the `limit` nearest of
/// every product passing the filters (a box is only accepted when its last row lies within it).
#[tracing::instrument(skip(db, q), fields(store = q.store_id))]
pub async fn nearest_candidates(
    db: &impl ConnectionTrait,
    q: &CandidateQuery<'_>,
) -> Result<Vec<Candidate>, DbErr> {
    if q.among.is_some_and(|ids| ids.is_empty()) || q.limit == 0 {
        return Ok(Vec::new());
    }
    if !(q.lat.is_finite() && q.lon.is_finite()) {
        return Err(DbErr::Custom(format!("store {} has no usable position", q.store_id)));
    }
    if q.among.is_some() {
        return query(db, q, None).await;
    }
    for km in BOXES_KM {
        let rows = query(db, q, Some(km)).await?;
        let inside = rows.last().is_some_and(|c| c.approx_km <= km);
        if rows.len() as u64 == q.limit && inside {
            return Ok(rows);
        }
    }
    query(db, q, None).await
}

async fn query(
    db: &impl ConnectionTrait,
    q: &CandidateQuery<'_>,
    box_km: Option<f64>,
) -> Result<Vec<Candidate>, DbErr> {
    let k = q.lat.to_radians().cos().max(0.01);
    let mut values: Vec<Value> = vec![q.lat.into(), q.lat.into(), q.lon.into(), k.into()];
    values.extend([q.lon.into(), k.into()]);
    let key = "(pr.lat - ?) * (pr.lat - ?) + ((pr.lon - ?) * ?) * ((pr.lon - ?) * ?)";
    // Without words, producers first (SQLite keeps the order of a CROSS JOIN): the box reads
    // few of them. With words, the products named come first by their key.
    let from = if q.among.is_some() {
        "products p JOIN producers pr ON pr.id = p.producer_id"
    } else {
        "producers pr CROSS JOIN products p"
    };
    let mut sql = format!(
        "SELECT p.id AS id, {key} AS d2 FROM {from} WHERE p.producer_id = pr.id AND p.status = ? AND pr.status = ?"
    );
    values.push(etalase_domain::ListingStatus::Published.as_str().into());
    values.push(etalase_domain::ProducerStatus::Verified.as_str().into());
    if let Some(km) = box_km {
        let dlat = km / KM_PER_DEGREE;
        let dlon = dlat / k;
        sql.push_str(" AND pr.lat BETWEEN ? AND ? AND pr.lon BETWEEN ? AND ?");
        values.extend([(q.lat - dlat).into(), (q.lat + dlat).into()]);
        values.extend([(q.lon - dlon).into(), (q.lon + dlon).into()]);
    }
    if let Some(ids) = q.among {
        sql.push_str(&format!(" AND p.id IN ({})", vec!["?"; ids.len()].join(",")));
        values.extend(ids.iter().map(|&i| Value::from(i)));
    }
    if let Some(text) = q.name_like {
        sql.push_str(" AND LOWER(p.name) LIKE ?");
        values.push(format!("%{text}%").into());
    }
    sql.push_str(&format!(
        " AND NOT EXISTS (SELECT 1 FROM agreement_items i JOIN agreements a ON a.id = i.agreement_id WHERE i.product_id = p.id AND a.store_id = ? AND a.status IN ({}))",
        vec!["?"; TAKEN.len()].join(",")
    ));
    values.push(q.store_id.into());
    values.extend(TAKEN.iter().map(|s| Value::from(s.as_str())));
    if let Some(v) = q.eligible_version {
        sql.push_str(" AND EXISTS (SELECT 1 FROM evaluations e WHERE e.product_id = p.id AND e.version_id = ? AND e.eligible = ?)");
        values.extend([v.into(), true.into()]);
    }
    sql.push_str(" ORDER BY d2, p.id LIMIT ?");
    values.push((q.limit as i64).into());
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &sql, values)).await?;
    rows.iter()
        .map(|r| {
            let d2: f64 = r.try_get("", "d2")?;
            Ok(Candidate { product_id: r.try_get("", "id")?, approx_km: d2.sqrt() * KM_PER_DEGREE })
        })
        .collect()
}

/// Stores each of these producers is in (live agreements), for the fairness part.
pub async fn live_store_counts_of(
    db: &impl ConnectionTrait,
    producer_ids: &[i64],
) -> Result<HashMap<i64, i64>, DbErr> {
    if producer_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT producer_id AS p, COUNT(DISTINCT store_id) AS n FROM agreements WHERE producer_id IN ({}) AND status IN ({}) GROUP BY producer_id",
        vec!["?"; producer_ids.len()].join(","),
        vec!["?"; LIVE.len()].join(",")
    );
    let mut values: Vec<Value> = producer_ids.iter().map(|&i| i.into()).collect();
    values.extend(LIVE.iter().map(|s| Value::from(s.as_str())));
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &sql, values)).await?;
    rows.iter().map(|r| Ok((r.try_get("", "p")?, r.try_get("", "n")?))).collect()
}

/// Which of `ids` the standard version found eligible (the stored evaluations).
pub async fn eligible_among(
    db: &impl ConnectionTrait,
    version_id: i64,
    ids: &[i64],
) -> Result<HashSet<i64>, DbErr> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = format!(
        "SELECT product_id AS id FROM evaluations WHERE version_id = ? AND eligible = ? AND product_id IN ({})",
        vec!["?"; ids.len()].join(",")
    );
    let mut values: Vec<Value> = vec![version_id.into(), true.into()];
    values.extend(ids.iter().map(|&i| Value::from(i)));
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &sql, values)).await?;
    rows.iter().map(|r| r.try_get("", "id")).collect()
}
