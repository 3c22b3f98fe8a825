//! The maintained compliance table (`store_compliance`): each store's figures and level for one
//! date under one policy, recorded in `store_compliance_state`. It is written by the same SQL as
//! the live aggregation (`aggregate::levelled_sql`, the rule of `level_of`): rebuilt whole when
//! the date or the policy changes, refreshed per store inside the transaction that changes the
//! store's agreements or inspections, and compared with the live aggregation by the drift
//! check. Readers ([`levelled`]) use it only when it was computed for exactly the date and
//! thresholds they ask for; otherwise they aggregate live, so a stale table is slow, never wrong.

use chrono::{DateTime, NaiveDate, Utc};
use etalase_domain::compliance::{Figures, Level, Policy, level_of};
use sea_orm::{ConnectionTrait, DbErr, Value};

use super::aggregate::{ComplianceFilter, Thresholds, filter_where, levelled_sql, stmt};

/// The maintained columns, in the order of the live aggregation's output.
const COLS: &str =
    "agreements, products, producers, agreements_later, products_later, producers_later, level";

/// For which thresholds and date the table holds its rows; `None` before the first rebuild.
pub async fn state(db: &impl ConnectionTrait) -> Result<Option<(Thresholds, NaiveDate)>, DbErr> {
    let sql = "SELECT policy_id, as_of, horizon, min_agreements, min_products, min_producers \
               FROM store_compliance_state WHERE id = 1";
    let Some(r) = db.query_one_raw(stmt(db.get_database_backend(), sql, vec![])).await? else {
        return Ok(None);
    };
    let t = Thresholds {
        policy_id: r.try_get("", "policy_id")?,
        min_agreements: r.try_get("", "min_agreements")?,
        min_products: r.try_get("", "min_products")?,
        min_producers: r.try_get("", "min_producers")?,
        horizon: r.try_get("", "horizon")?,
    };
    Ok(Some((t, r.try_get("", "as_of")?)))
}

/// The level of a store with no agreement counting (a store added since the last refresh).
fn level_without_agreements(t: &Thresholds, date: NaiveDate) -> Level {
    let p = Policy {
        id: t.policy_id,
        min_agreements: t.min_agreements,
        min_products: t.min_products,
        min_producers: t.min_producers,
        effective_from: date,
    };
    level_of(&p, &Figures::default(), &Figures::default())
}

/// The per-store rows of `f` read from the table (same columns as the live aggregation).
fn maintained_sql(t: &Thresholds, date: NaiveDate, f: &ComplianceFilter) -> (String, Vec<Value>) {
    let mut values: Vec<Value> = vec![level_without_agreements(t, date).into()];
    let wh = filter_where(f, &mut values);
    let sql = format!(
        "SELECT s.id AS store_id, s.code AS code, s.name AS name, s.chain_id AS chain_id, \
         s.kecamatan_code AS kecamatan_code, s.kelurahan_code AS kelurahan_code, s.lat AS lat, s.lon AS lon, \
         COALESCE(c.agreements, 0) AS agreements, COALESCE(c.products, 0) AS products, \
         COALESCE(c.producers, 0) AS producers, COALESCE(c.agreements_later, 0) AS agreements_later, \
         COALESCE(c.products_later, 0) AS products_later, COALESCE(c.producers_later, 0) AS producers_later, \
         COALESCE(c.level, ?) AS level \
         FROM stores s LEFT JOIN store_compliance c ON c.store_id = s.id WHERE 1 = 1{wh}"
    );
    (sql, values)
}

/// The per-store rows with their level on `date` under `t`: from the maintained table when it
/// holds exactly that date and those thresholds, else aggregated live.
pub(crate) async fn levelled(
    db: &impl ConnectionTrait,
    t: &Thresholds,
    date: NaiveDate,
    f: &ComplianceFilter,
) -> Result<(String, Vec<Value>), DbErr> {
    if state(db).await? == Some((*t, date)) {
        Ok(maintained_sql(t, date, f))
    } else {
        Ok(levelled_sql(t, date, f))
    }
}

/// Recomputes every store's row for `date` under `t` and records them as the table's state;
/// returns the rows written. Run it in a transaction.
pub async fn rebuild(
    db: &impl ConnectionTrait,
    t: &Thresholds,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(stmt(backend, "DELETE FROM store_compliance", vec![])).await?;
    let (live, values) = levelled_sql(t, date, &ComplianceFilter::default());
    let sql = format!(
        "INSERT INTO store_compliance (store_id, {COLS}) SELECT g.store_id, {} FROM ({live}) g",
        prefixed("g")
    );
    let n = db.execute_raw(stmt(backend, &sql, values)).await?.rows_affected();
    db.execute_raw(stmt(backend, "DELETE FROM store_compliance_state", vec![])).await?;
    let sql = "INSERT INTO store_compliance_state (id, policy_id, as_of, horizon, min_agreements, \
               min_products, min_producers, rebuilt_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)";
    let values: Vec<Value> = vec![
        t.policy_id.into(),
        date.into(),
        t.horizon.into(),
        t.min_agreements.into(),
        t.min_products.into(),
        t.min_producers.into(),
        now.into(),
    ];
    db.execute_raw(stmt(backend, sql, values)).await?;
    Ok(n)
}

/// Forgets the table's state (no policy in force): readers aggregate live.
pub async fn forget(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(stmt(backend, "DELETE FROM store_compliance_state", vec![])).await?;
    db.execute_raw(stmt(backend, "DELETE FROM store_compliance", vec![])).await?;
    Ok(())
}

fn prefixed(alias: &str) -> String {
    COLS.split(", ").map(|c| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

/// Recomputes one store's row under the table's state (nothing before the first rebuild); call
/// it in the transaction that changes the store's agreements or inspections.
pub async fn refresh_store(db: &impl ConnectionTrait, store_id: i64) -> Result<bool, DbErr> {
    let Some((t, date)) = state(db).await? else { return Ok(false) };
    let f = ComplianceFilter { store_id: Some(store_id), ..Default::default() };
    let (live, values) = levelled_sql(&t, date, &f);
    let updates =
        COLS.split(", ").map(|c| format!("{c} = excluded.{c}")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "INSERT INTO store_compliance (store_id, {COLS}) SELECT g.store_id, {} FROM ({live}) g \
         WHERE 1 = 1 ON CONFLICT (store_id) DO UPDATE SET {updates}",
        prefixed("g")
    );
    db.execute_raw(stmt(db.get_database_backend(), &sql, values)).await?;
    Ok(true)
}

/// Stores whose maintained row differs from the live aggregation under the table's state
/// (missing rows included), ascending; `None` before the first rebuild.
pub async fn drifted(db: &impl ConnectionTrait) -> Result<Option<Vec<i64>>, DbErr> {
    let Some((t, date)) = state(db).await? else { return Ok(None) };
    let (live, values) = levelled_sql(&t, date, &ComplianceFilter::default());
    let differs =
        COLS.split(", ").map(|c| format!("c.{c} <> l.{c}")).collect::<Vec<_>>().join(" OR ");
    let sql = format!(
        "SELECT l.store_id AS store_id FROM ({live}) l LEFT JOIN store_compliance c ON c.store_id = l.store_id \
         WHERE c.store_id IS NULL OR {differs} ORDER BY l.store_id"
    );
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &sql, values)).await?;
    rows.iter().map(|r| r.try_get("", "store_id")).collect::<Result<Vec<i64>, _>>().map(Some)
}
