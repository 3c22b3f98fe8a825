//! Compliance: policies (versions), monthly snapshots (written in one INSERT … SELECT from the
//! aggregation, read back for trends), inspections with their items, and notices. The
//! dashboard aggregation itself is in `compliance::aggregate`.

pub mod aggregate;
pub mod maintained;

pub use aggregate::{
    ComplianceFilter, GroupBy, GroupRow, StoreRow, Thresholds, producers_placed, store_rows,
    summaries, summary,
};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, Value,
};

use crate::entities::{
    compliance_policy as policy, compliance_snapshot as snapshot, inspection, inspection_item,
    notice,
};
use aggregate::stmt;

pub async fn insert_policy(
    db: &impl ConnectionTrait,
    am: policy::ActiveModel,
) -> Result<policy::Model, DbErr> {
    am.insert(db).await
}

/// Every policy version, newest effective date first.
pub async fn policies(db: &impl ConnectionTrait) -> Result<Vec<policy::Model>, DbErr> {
    policy::Entity::find()
        .order_by_desc(policy::Column::EffectiveFrom)
        .order_by_desc(policy::Column::Id)
        .all(db)
        .await
}

/// Number of snapshot rows of `month` (`YYYY-MM`).
pub async fn snapshot_count(db: &impl ConnectionTrait, month: &str) -> Result<u64, DbErr> {
    snapshot::Entity::find().filter(snapshot::Column::Month.eq(month)).count(db).await
}

/// Removes the snapshot rows of `month`.
pub async fn delete_snapshots(db: &impl ConnectionTrait, month: &str) -> Result<u64, DbErr> {
    Ok(snapshot::Entity::delete_many()
        .filter(snapshot::Column::Month.eq(month))
        .exec(db)
        .await?
        .rows_affected)
}

/// Writes one snapshot row per store for `month`, as evaluated on `date` under `policy`, in
/// a single INSERT … SELECT; returns the rows written.
pub async fn insert_snapshots(
    db: &impl ConnectionTrait,
    month: &str,
    policy: &Thresholds,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let (inner, values) =
        maintained::levelled(db, policy, date, &ComplianceFilter::default()).await?;
    let sql = format!(
        "INSERT INTO compliance_snapshots (month, store_id, chain_id, kecamatan_code, kelurahan_code, level, agreements, products, producers, policy_id, created_at) \
         SELECT ?, g.store_id, g.chain_id, g.kecamatan_code, g.kelurahan_code, g.level, g.agreements, g.products, g.producers, ?, ? FROM ({inner}) g"
    );
    let mut all: Vec<Value> = vec![month.into(), policy.policy_id.into(), now.into()];
    all.extend(values);
    Ok(db.execute_raw(stmt(db.get_database_backend(), &sql, all)).await?.rows_affected())
}

pub async fn insert_snapshot(
    db: &impl ConnectionTrait,
    am: snapshot::ActiveModel,
) -> Result<snapshot::Model, DbErr> {
    am.insert(db).await
}

/// Snapshot rows of one store, oldest month first.
pub async fn snapshots_of_store(
    db: &impl ConnectionTrait,
    store_id: i64,
) -> Result<Vec<snapshot::Model>, DbErr> {
    snapshot::Entity::find()
        .filter(snapshot::Column::StoreId.eq(store_id))
        .order_by_asc(snapshot::Column::Month)
        .all(db)
        .await
}

/// One month's counts for one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendRow {
    pub month: String,
    pub group: GroupRow,
}

/// Counts per month (and per group) from the snapshots of `from..=to` (`YYYY-MM`).
pub async fn trend(
    db: &impl ConnectionTrait,
    from: &str,
    to: &str,
    chain_id: Option<i64>,
    by: GroupBy,
) -> Result<Vec<TrendRow>, DbErr> {
    let key = match by {
        GroupBy::All => "'all'",
        GroupBy::Chain => "COALESCE(CAST(chain_id AS TEXT), '')",
        GroupBy::Kecamatan => "kecamatan_code",
        GroupBy::Kelurahan => "kelurahan_code",
    };
    let grouping = if by == GroupBy::All { String::new() } else { format!(", {key}") };
    let mut values: Vec<Value> = vec![from.into(), to.into()];
    let mut wh = String::new();
    if let Some(c) = chain_id {
        wh.push_str(" AND chain_id = ?");
        values.push(c.into());
    }
    let sql = format!(
        "SELECT month, {key} AS k, COUNT(*) AS stores, \
         SUM(CASE WHEN level = 'patuh' THEN 1 ELSE 0 END) AS patuh, \
         SUM(CASE WHEN level = 'berisiko' THEN 1 ELSE 0 END) AS berisiko, \
         SUM(CASE WHEN level = 'tidak_patuh' THEN 1 ELSE 0 END) AS tidak_patuh \
         FROM compliance_snapshots WHERE month >= ? AND month <= ?{wh} GROUP BY month{grouping} ORDER BY month{grouping}"
    );
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &sql, values)).await?;
    rows.iter()
        .map(|r| {
            Ok(TrendRow {
                month: r.try_get("", "month")?,
                group: GroupRow {
                    key: r.try_get("", "k")?,
                    stores: r.try_get("", "stores")?,
                    patuh: r.try_get("", "patuh")?,
                    berisiko: r.try_get("", "berisiko")?,
                    tidak_patuh: r.try_get("", "tidak_patuh")?,
                },
            })
        })
        .collect()
}

/// Stores an inspection and its items (`(product_id, seen)`).
pub async fn insert_inspection(
    db: &impl ConnectionTrait,
    am: inspection::ActiveModel,
    items: &[(i64, bool)],
) -> Result<inspection::Model, DbErr> {
    let m = am.insert(db).await?;
    for &(product_id, seen) in items {
        inspection_item::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            inspection_id: Set(m.id),
            product_id: Set(product_id),
            seen: Set(seen),
        }
        .insert(db)
        .await?;
    }
    Ok(m)
}

/// Inspections of a store (newest first) with their items.
pub async fn inspections_of(
    db: &impl ConnectionTrait,
    store_id: i64,
) -> Result<Vec<(inspection::Model, Vec<inspection_item::Model>)>, DbErr> {
    let ins = inspection::Entity::find()
        .filter(inspection::Column::StoreId.eq(store_id))
        .order_by_desc(inspection::Column::InspectedOn)
        .order_by_desc(inspection::Column::Id)
        .all(db)
        .await?;
    let items = inspection_item::Entity::find()
        .filter(
            inspection_item::Column::InspectionId
                .is_in(ins.iter().map(|i| i.id).collect::<Vec<_>>()),
        )
        .order_by_asc(inspection_item::Column::Id)
        .all(db)
        .await?;
    Ok(ins
        .into_iter()
        .map(|i| {
            let its = items.iter().filter(|x| x.inspection_id == i.id).cloned().collect();
            (i, its)
        })
        .collect())
}

pub async fn insert_notice(
    db: &impl ConnectionTrait,
    am: notice::ActiveModel,
) -> Result<notice::Model, DbErr> {
    am.insert(db).await
}

pub async fn find_notice(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<notice::Model>, DbErr> {
    notice::Entity::find_by_id(id).one(db).await
}

/// Notices, newest first; of one chain's stores or one store when given.
pub async fn notices(
    db: &impl ConnectionTrait,
    chain_id: Option<i64>,
    store_id: Option<i64>,
) -> Result<Vec<notice::Model>, DbErr> {
    let mut q = notice::Entity::find();
    if let Some(c) = chain_id {
        q = q.filter(notice::Column::ChainId.eq(c));
    }
    if let Some(s) = store_id {
        q = q.filter(notice::Column::StoreId.eq(s));
    }
    q.order_by_desc(notice::Column::IssuedOn).order_by_desc(notice::Column::Id).all(db).await
}
