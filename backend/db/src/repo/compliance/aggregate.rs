//! The dashboard aggregation, computed in the database with portable SQL (the same text runs
//! on SQLite and PostgreSQL; only the placeholders differ): per store, the agreements on the
//! shelf on a date, their distinct products and producers, the same after the 30-day window,
//! and the level by the rule of `etalase_domain::compliance::level_of` (kept equal by the API tests); grouped counts by
//! chain, kecamatan or kelurahan; the empowerment figure.

use chrono::NaiveDate;
use etalase_domain::compliance::Level;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, Statement, Value};

/// The thresholds of the policy in force and the end of the risk window (the date after
/// which an agreement must still run to count for the 30-day look-ahead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub policy_id: i64,
    pub min_agreements: i64,
    pub min_products: i64,
    pub min_producers: i64,
    pub horizon: NaiveDate,
}

/// Which stores to aggregate.
#[derive(Debug, Clone, Default)]
pub struct ComplianceFilter {
    pub chain_id: Option<i64>,
    pub kecamatan: Option<String>,
    pub kelurahan: Option<String>,
    pub store_id: Option<i64>,
    pub level: Option<Level>,
}

/// One store's figures and level on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreRow {
    pub store_id: i64,
    pub code: String,
    pub name: String,
    pub chain_id: Option<i64>,
    pub kecamatan_code: String,
    pub kelurahan_code: String,
    pub lat: f64,
    pub lon: f64,
    pub agreements: i64,
    pub products: i64,
    pub producers: i64,
    pub level: Level,
}

/// Counts of one group (a chain id, a kecamatan or kelurahan code, or `all`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub key: String,
    pub stores: i64,
    pub patuh: i64,
    pub berisiko: i64,
    pub tidak_patuh: i64,
}

/// Grouping of the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    All,
    Chain,
    Kecamatan,
    Kelurahan,
}

/// A statement from SQL written with `?` placeholders, numbered `$n` on PostgreSQL.
pub(crate) fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 16);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_string()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// The `AND …` conditions on the stores (`s`) of `f`, their values appended to `values`.
pub(crate) fn filter_where(f: &ComplianceFilter, values: &mut Vec<Value>) -> String {
    let mut wh = String::new();
    if let Some(c) = f.chain_id {
        wh.push_str(" AND s.chain_id = ?");
        values.push(c.into());
    }
    if let Some(k) = &f.kecamatan {
        wh.push_str(" AND s.kecamatan_code = ?");
        values.push(k.clone().into());
    }
    if let Some(k) = &f.kelurahan {
        wh.push_str(" AND s.kelurahan_code = ?");
        values.push(k.clone().into());
    }
    if let Some(s) = f.store_id {
        wh.push_str(" AND s.id = ?");
        values.push(s.into());
    }
    wh
}

/// SQL of the per-store rows with their level (no level filter), and its values.
pub(crate) fn levelled_sql(
    policy: &Thresholds,
    date: NaiveDate,
    f: &ComplianceFilter,
) -> (String, Vec<Value>) {
    let horizon = policy.horizon;
    let mut values: Vec<Value> =
        vec![horizon.into(), horizon.into(), horizon.into(), date.into(), date.into()];
    let wh = filter_where(f, &mut values);
    let inner = format!(
        "SELECT s.id AS store_id, s.code AS code, s.name AS name, s.chain_id AS chain_id, s.kecamatan_code AS kecamatan_code, \
         s.kelurahan_code AS kelurahan_code, s.lat AS lat, s.lon AS lon, \
         COUNT(DISTINCT a.id) AS agreements, COUNT(DISTINCT ai.product_id) AS products, COUNT(DISTINCT a.producer_id) AS producers, \
         COUNT(DISTINCT CASE WHEN a.end_date > ? THEN a.id END) AS agreements_later, \
         COUNT(DISTINCT CASE WHEN a.end_date > ? THEN ai.product_id END) AS products_later, \
         COUNT(DISTINCT CASE WHEN a.end_date > ? THEN a.producer_id END) AS producers_later \
         FROM stores s \
         LEFT JOIN agreements a ON a.store_id = s.id AND a.status IN ('active', 'ended') AND a.start_date <= ? AND a.end_date > ? \
         LEFT JOIN agreement_items ai ON ai.agreement_id = a.id \
         WHERE 1 = 1{wh} \
         GROUP BY s.id, s.code, s.name, s.chain_id, s.kecamatan_code, s.kelurahan_code, s.lat, s.lon"
    );
    let sql = format!(
        "SELECT f.*, CASE WHEN f.agreements >= ? AND f.products >= ? AND f.producers >= ? THEN \
         CASE WHEN f.agreements_later >= ? AND f.products_later >= ? AND f.producers_later >= ? THEN 'patuh' ELSE 'berisiko' END \
         ELSE 'tidak_patuh' END AS level FROM ({inner}) f"
    );
    for _ in 0..2 {
        values.push(policy.min_agreements.into());
        values.push(policy.min_products.into());
        values.push(policy.min_producers.into());
    }
    // The policy values come after the inner ones in the text.
    let (inner_vals, policy_vals) = values.split_at(values.len() - 6);
    let mut ordered: Vec<Value> = policy_vals.to_vec();
    ordered.extend_from_slice(inner_vals);
    (sql, ordered)
}

fn store_row(r: &QueryResult) -> Result<StoreRow, DbErr> {
    Ok(StoreRow {
        store_id: r.try_get("", "store_id")?,
        code: r.try_get("", "code")?,
        name: r.try_get("", "name")?,
        chain_id: r.try_get("", "chain_id")?,
        kecamatan_code: r.try_get("", "kecamatan_code")?,
        kelurahan_code: r.try_get("", "kelurahan_code")?,
        lat: r.try_get("", "lat")?,
        lon: r.try_get("", "lon")?,
        agreements: r.try_get("", "agreements")?,
        products: r.try_get("", "products")?,
        producers: r.try_get("", "producers")?,
        level: r.try_get("", "level")?,
    })
}

/// Every store matching `f` with its figures and level on `date`, ordered by store code.
pub async fn store_rows(
    db: &impl ConnectionTrait,
    policy: &Thresholds,
    date: NaiveDate,
    f: &ComplianceFilter,
) -> Result<Vec<StoreRow>, DbErr> {
    let (inner, mut values) = super::maintained::levelled(db, policy, date, f).await?;
    let mut sql = format!("SELECT * FROM ({inner}) g");
    if let Some(l) = f.level {
        sql.push_str(" WHERE g.level = ?");
        values.push(l.into());
    }
    sql.push_str(" ORDER BY g.code");
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &sql, values)).await?;
    rows.iter().map(store_row).collect()
}

/// Counts of stores per level, grouped; ordered by key.
pub async fn summary(
    db: &impl ConnectionTrait,
    policy: &Thresholds,
    date: NaiveDate,
    f: &ComplianceFilter,
    by: GroupBy,
) -> Result<Vec<GroupRow>, DbErr> {
    let key = match by {
        GroupBy::All => "'all'",
        GroupBy::Chain => "COALESCE(CAST(g.chain_id AS TEXT), '')",
        GroupBy::Kecamatan => "g.kecamatan_code",
        GroupBy::Kelurahan => "g.kelurahan_code",
    };
    // PostgreSQL refuses to group by a constant: the total is one plain aggregate.
    let grouping =
        if by == GroupBy::All { String::new() } else { format!(" GROUP BY {key} ORDER BY {key}") };
    let (inner, values) = super::maintained::levelled(db, policy, date, f).await?;
    let sql = format!(
        "SELECT {key} AS k, COUNT(*) AS stores, \
         COALESCE(SUM(CASE WHEN g.level = 'patuh' THEN 1 ELSE 0 END), 0) AS patuh, \
         COALESCE(SUM(CASE WHEN g.level = 'berisiko' THEN 1 ELSE 0 END), 0) AS berisiko, \
         COALESCE(SUM(CASE WHEN g.level = 'tidak_patuh' THEN 1 ELSE 0 END), 0) AS tidak_patuh \
         FROM ({inner}) g{grouping}"
    );
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &sql, values)).await?;
    rows.iter()
        .map(|r| {
            Ok(GroupRow {
                key: r.try_get("", "k")?,
                stores: r.try_get("", "stores")?,
                patuh: r.try_get("", "patuh")?,
                berisiko: r.try_get("", "berisiko")?,
                tidak_patuh: r.try_get("", "tidak_patuh")?,
            })
        })
        .collect()
}

/// The empowerment figure: distinct producers with at least one agreement on the shelf on
/// `date` (in the stores of `chain_id` when given). Counted over the producers, each probing
/// its own agreements (`idx_agreements_producer`) until the first that counts, instead of
/// collecting every counting agreement's producer and de-duplicating them.
pub async fn producers_placed(
    db: &impl ConnectionTrait,
    date: NaiveDate,
    chain_id: Option<i64>,
) -> Result<i64, DbErr> {
    let (join, chain) = match chain_id {
        Some(_) => (" JOIN stores s ON s.id = a.store_id", " AND s.chain_id = ?"),
        None => ("", ""),
    };
    let sql = format!(
        "SELECT COUNT(*) AS n FROM producers p WHERE EXISTS (SELECT 1 FROM agreements a{join} \
         WHERE a.producer_id = p.id AND a.status IN ('active', 'ended') AND a.start_date <= ? AND a.end_date > ?{chain})"
    );
    let mut values: Vec<Value> = vec![date.into(), date.into()];
    if let Some(c) = chain_id {
        values.push(c.into());
    }
    let row = db.query_one_raw(stmt(db.get_database_backend(), &sql, values)).await?;
    match row {
        Some(r) => r.try_get("", "n"),
        None => Ok(0),
    }
}

/// The summaries of the dashboard in one statement: the per-store aggregation runs once (a
/// CTE) and each grouping of `bys` is a branch of a `UNION ALL` over it. Same rows as calling
/// [`summary`] once per grouping, in the order of `bys`.
pub async fn summaries(
    db: &impl ConnectionTrait,
    policy: &Thresholds,
    date: NaiveDate,
    f: &ComplianceFilter,
    bys: &[GroupBy],
) -> Result<Vec<(GroupBy, Vec<GroupRow>)>, DbErr> {
    let (inner, values) = super::maintained::levelled(db, policy, date, f).await?;
    let mut branches = Vec::new();
    for (i, by) in bys.iter().enumerate() {
        let key = match by {
            GroupBy::All => "'all'",
            GroupBy::Chain => "COALESCE(CAST(g.chain_id AS TEXT), '')",
            GroupBy::Kecamatan => "g.kecamatan_code",
            GroupBy::Kelurahan => "g.kelurahan_code",
        };
        let grouping = if *by == GroupBy::All { String::new() } else { format!(" GROUP BY {key}") };
        branches.push(format!(
            "SELECT {i} AS grp, {key} AS k, COUNT(*) AS stores, \
             COALESCE(SUM(CASE WHEN g.level = 'patuh' THEN 1 ELSE 0 END), 0) AS patuh, \
             COALESCE(SUM(CASE WHEN g.level = 'berisiko' THEN 1 ELSE 0 END), 0) AS berisiko, \
             COALESCE(SUM(CASE WHEN g.level = 'tidak_patuh' THEN 1 ELSE 0 END), 0) AS tidak_patuh \
             FROM levelled g{grouping}"
        ));
    }
    if branches.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "WITH levelled AS ({inner}) SELECT * FROM ({}) u ORDER BY u.grp, u.k",
        branches.join(" UNION ALL ")
    );
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &sql, values)).await?;
    let mut out: Vec<(GroupBy, Vec<GroupRow>)> = bys.iter().map(|b| (*b, Vec::new())).collect();
    for r in rows {
        let grp: i32 = r.try_get("", "grp")?;
        let row = GroupRow {
            key: r.try_get("", "k")?,
            stores: r.try_get("", "stores")?,
            patuh: r.try_get("", "patuh")?,
            berisiko: r.try_get("", "berisiko")?,
            tidak_patuh: r.try_get("", "tidak_patuh")?,
        };
        if let Some(slot) = usize::try_from(grp).ok().and_then(|g| out.get_mut(g)) {
            slot.1.push(row);
        }
    }
    Ok(out)
}
