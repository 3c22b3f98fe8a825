//! A write transaction that reads first and writes later must not fail because another
//! connection wrote in between. On SQLite a deferred `BEGIN` reads from a snapshot and cannot
//! upgrade it once another connection has committed ("database is locked" at once, whatever the
//! busy timeout): `etalase_db::begin_write` takes the write lock at `BEGIN` instead, so the
//! other writer waits. A CI run lost a standard version to exactly this (a 500).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use etalase_db::DatabaseConnection;
use sea_orm::{ConnectionTrait, Statement};

async fn count(db: &DatabaseConnection) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM t",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test]
async fn a_read_then_write_transaction_survives_a_concurrent_writer() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("w.db").display());
    let db = etalase_db::connect(&url).await.unwrap();
    db.execute_unprepared("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)")
        .await
        .unwrap();
    db.execute_unprepared("INSERT INTO t (v) VALUES (1)").await.unwrap();

    let txn = etalase_db::begin_write(&db).await.unwrap();
    // Read first, as "next number = last + 1" does.
    let last = txn
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT MAX(v) AS m FROM t",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "m")
        .unwrap();
    // Another connection writes meanwhile; with a deferred BEGIN it would commit now.
    let other = db.clone();
    let writer = tokio::spawn(async move {
        other.execute_unprepared("INSERT INTO t (v) VALUES (100)").await.map(|_| ())
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Then write what the read decided.
    txn.execute_unprepared(&format!("INSERT INTO t (v) VALUES ({})", last + 1))
        .await
        .expect("the write after the read is not refused");
    txn.commit().await.unwrap();
    writer.await.unwrap().expect("the other writer waited and then wrote");
    assert_eq!(count(&db).await, 3);
}
