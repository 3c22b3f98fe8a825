//! `make bench-compliance`: on PostgreSQL, for each size a scratch database
//! `etalase_bench_compliance` (created, migrated, dropped after) with that many stores in 3
//! chains across the 67 kelurahan, 20 agreements per store with 1–3 items each and a producer per
//! 2.5 stores, generated with set-based SQL (`generate_series`);
//! then the full dashboard query — totals, by chain, by kecamatan, by kelurahan (the map), the
//! store list and the empowerment figure, exactly the repository calls the dashboard makes —
//! timed several times. Writes `OUT_DIR/report.md` and `figures.csv`; goals ≤ 200 ms at 5,000
//! stores, ≤ 1 s at 40,000.
//!
//! Usage: bench_compliance OUT_DIR [RUNS] [STORES,STORES,…] (default 5000)   (PG admin URL from ETALASE_BENCH_PG_URL, default
//! postgres://postgres@127.0.0.1:55432/postgres)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeDelta};
use etalase_db::repo::compliance::{
    self as repo, ComplianceFilter, GroupBy, Thresholds, maintained,
};
use etalase_domain::bench::{Figure, to_csv};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

const DB: &str = "etalase_bench_compliance";

/// The goal at a size: ≤ 200 ms up to 5,000 stores, ≤ 1 s beyond.
fn goal_ms(stores: i64) -> u128 {
    if stores <= 5_000 { 200 } else { 1_000 }
}

/// Agreements and producers for a number of stores.
/// (20 per store up to 5,000 stores, 25 beyond: 40,000 stores hold 1,000,000 agreements.)
fn sizes_for(stores: i64) -> (i64, i64) {
    (stores * if stores > 5_000 { 25 } else { 20 }, (stores * 2 / 5).max(10))
}

async fn generate(db: &DatabaseConnection, stores: i64) -> anyhow::Result<()> {
    let (agreements, producers) = sizes_for(stores);
    let w = etalase_domain::wilayah::kota_serang();
    let kel: Vec<String> = w
        .kelurahan()
        .iter()
        .map(|k| format!("('{}','{}',{},{})", k.code, k.kecamatan_code, k.lat, k.lon))
        .collect();
    let now = "TIMESTAMPTZ '2026-06-01 05:00:00+00'";
    let sql = [
        format!("INSERT INTO chains (code, name, kind, created_at) VALUES ('SM','Serang Mart','national',{now}),('MS','Mitra Swalayan','national',{now}),('BM','Banten Mart Koperasi','local',{now})"),
        format!("CREATE TABLE bench_kel (n serial, code text, kec text, lat float8, lon float8); INSERT INTO bench_kel (code, kec, lat, lon) VALUES {}", kel.join(",")),
        format!(
            "INSERT INTO stores (chain_id, code, name, format, address, kelurahan_code, kecamatan_code, lat, lon, local_facings, version, created_at, updated_at)
             SELECT (SELECT id FROM chains ORDER BY id OFFSET (g % 3) LIMIT 1), 'B-' || g, 'Gerai ' || g, 'minimarket', 'Jl. Bench ' || g, k.code, k.kec,
                    k.lat + ((g % 17) - 8) * 0.0004, k.lon + ((g % 13) - 6) * 0.0004, 10, 1, {now}, {now}
             FROM generate_series(1, {stores}) g JOIN bench_kel k ON k.n = 1 + (g % (SELECT count(*) FROM bench_kel))"
        ),
        format!(
            "INSERT INTO users (email, password_hash, role, display_name, disabled, created_at)
             SELECT 'bench' || g || '@bench.etalase.id', 'x', 'umkm', 'UMKM ' || g, false, {now} FROM generate_series(1, {producers}) g"
        ),
        format!(
            "INSERT INTO producers (owner_user_id, name, owner_name, nib, scale, risk_level, address, kelurahan_code, kecamatan_code, lat, lon, status, version, created_at, updated_at)
             SELECT u.id, 'UMKM ' || u.id, 'Pemilik', '9' || lpad(u.id::text, 12, '0'), 'mikro', 'rendah', 'Jl. UMKM', '36.73.06.1001', '36.73.06', -6.12, 106.12, 'verified', 1, {now}, {now}
             FROM users u WHERE u.role = 'umkm'"
        ),
        format!(
            "INSERT INTO products (producer_id, name, category, description, storage, wholesale_price, retail_price, status, version, created_at, updated_at, published_at)
             SELECT p.id, 'Produk ' || p.id || '-' || s, 'makanan_ringan', 'Bench', 'ambient', 20000, 25000, 'published', 1, {now}, {now}, {now}
             FROM producers p CROSS JOIN generate_series(1, 3) s"
        ),
        // Agreements: spread over the stores and producers, most active, some ending within
        // 30 days of the bench date, some rejected or still proposed (stores hold 6–20).
        format!(
            "INSERT INTO agreements (store_id, producer_id, status, initiated_by, offer_by, scheme, payment_term_days, start_date, end_date, delivery_schedule, flags, version, created_at, updated_at)
             SELECT (SELECT min(id) FROM stores) + x.s, (SELECT min(id) FROM producers) + (x.s * 31 + x.k * 97) % {producers},
                    CASE WHEN x.k >= 6 + x.s % 15 THEN 'rejected' WHEN (x.k + x.s) % 10 = 0 THEN 'proposed' ELSE 'active' END, 'store', 'store', 'beli_putus', 30,
                    DATE '2026-01-01' + ((x.k * 11 + x.s) % 120), DATE '2026-06-01' + (((x.k * 7 + x.s) % 9) * 20 - 30), 'Senin', '[]', 1, {now}, {now}
             FROM (SELECT (g - 1) % {stores} AS s, (g - 1) / {stores} AS k FROM generate_series(1, {agreements}) g) x"
        ),
        "INSERT INTO agreement_items (agreement_id, product_id, price, facings)
         SELECT a.id, pr.id, 20000, 2 FROM agreements a
         JOIN LATERAL (SELECT id FROM products WHERE producer_id = a.producer_id ORDER BY id LIMIT 1 + a.id % 3) pr ON true"
            .to_string(),
        format!("INSERT INTO compliance_policies (min_agreements, min_products, min_producers, effective_from, created_at) VALUES (10, 16, 8, DATE '2026-01-01', {now})"),
        "ANALYZE".to_string(),
    ];
    for s in sql {
        db.execute_unprepared(&s).await?;
    }
    Ok(())
}

/// The dashboard's queries, as the page makes them (`service::compliance::overview` and
/// `store_list`): the summaries in one statement, the store list for the map and the table,
/// the empowerment figure; `parts` gets each one's time.
async fn dashboard(
    db: &DatabaseConnection,
    t: &Thresholds,
    date: NaiveDate,
    parts: &mut Vec<(String, Duration)>,
) -> anyhow::Result<(usize, i64)> {
    let f = ComplianceFilter::default();
    let s = Instant::now();
    let groups = repo::summaries(
        db,
        t,
        date,
        &f,
        &[GroupBy::All, GroupBy::Chain, GroupBy::Kecamatan, GroupBy::Kelurahan],
    )
    .await?;
    parts.push(("summaries (all, by chain, by kecamatan, by kelurahan)".into(), s.elapsed()));
    let stores = groups.first().and_then(|g| g.1.first()).map(|r| r.stores).unwrap_or(0) as usize;
    let s = Instant::now();
    let list = repo::store_rows(db, t, date, &f).await?;
    parts.push(("store list".into(), s.elapsed()));
    assert_eq!(list.len(), stores);
    let s = Instant::now();
    let placed = repo::producers_placed(db, date, None).await?;
    parts.push(("producers placed".into(), s.elapsed()));
    Ok((list.len(), placed))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out =
        std::path::PathBuf::from(args.next().unwrap_or_else(|| "target/bench-compliance".into()));
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(7);
    let sizes: Vec<i64> = args
        .next()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![5_000]);
    let admin_url = std::env::var("ETALASE_BENCH_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:55432/postgres".into());
    let admin = Database::connect(&admin_url).await?;
    let url = format!("{}/{DB}", admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url));
    let mut report = String::new();
    let mut figures = Vec::new();
    for stores in sizes {
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {DB}")).await?;
        admin.execute_unprepared(&format!("CREATE DATABASE {DB}")).await?;
        let result = run(&url, runs, stores).await;
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {DB} WITH (FORCE)")).await?;
        let m = result?;
        report.push_str(&m.report);
        let size = format!("{stores} stores × {} agreements", sizes_for(stores).0);
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        figures.push(
            Figure::lower("compliance dashboard, median", &size, ms(m.maintained), "ms")
                .goal(goal_ms(stores) as f64),
        );
        figures.push(Figure::lower(
            "dashboard, live aggregation (before)",
            &size,
            ms(m.live),
            "ms",
        ));
        figures.push(Figure::lower("compliance table rebuild", &size, ms(m.rebuild), "ms"));
        figures.push(Figure::lower("one store's refresh, p99", &size, ms(m.refresh_p99), "ms"));
        figures.push(Figure::lower("compliance drift check", &size, ms(m.drift), "ms"));
    }
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("report.md"), &report)?;
    std::fs::write(out.join("figures.csv"), to_csv("compliance", &figures))?;
    println!("{report}");
    Ok(())
}

/// Times `runs` dashboards; returns (min, median, parts of the last run).
async fn timed(
    db: &DatabaseConnection,
    t: &Thresholds,
    date: NaiveDate,
    runs: usize,
) -> anyhow::Result<(Duration, Duration, Vec<(String, Duration)>)> {
    dashboard(db, t, date, &mut Vec::new()).await?; // warm-up
    let mut times: Vec<Duration> = Vec::new();
    let mut parts = Vec::new();
    for _ in 0..runs {
        parts.clear();
        let s = Instant::now();
        dashboard(db, t, date, &mut parts).await?;
        times.push(s.elapsed());
    }
    times.sort();
    Ok((times[0], times[times.len() / 2], parts))
}

/// What one size measured.
struct Measured {
    report: String,
    maintained: Duration,
    live: Duration,
    rebuild: Duration,
    refresh_p99: Duration,
    drift: Duration,
}

async fn run(url: &str, runs: usize, stores: i64) -> anyhow::Result<Measured> {
    let db = etalase_db::connect(url).await?;
    etalase_db::migrate(&db).await?;
    let t0 = Instant::now();
    generate(&db, stores).await?;
    let generated = t0.elapsed();
    let date = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let t = Thresholds {
        policy_id: 1,
        min_agreements: 10,
        min_products: 16,
        min_producers: 8,
        horizon: date + TimeDelta::days(30),
    };
    let f = ComplianceFilter::default();
    // Live: the per-store aggregation over every agreement, per request.
    let (live_min, live, live_parts) = timed(&db, &t, date, runs).await?;
    let live_rows = repo::store_rows(&db, &t, date, &f).await?;
    // The maintained table: rebuilt once, then read.
    let s = Instant::now();
    let txn = etalase_db::begin_write(&db).await?;
    let written = maintained::rebuild(&txn, &t, date, chrono::DateTime::UNIX_EPOCH).await?;
    txn.commit().await?;
    let rebuild = s.elapsed();
    let (min, median, parts) = timed(&db, &t, date, runs).await?;
    assert_eq!(repo::store_rows(&db, &t, date, &f).await?, live_rows, "table = live aggregation");
    // Keeping it current: one store recomputed in its own transaction, as an agreement change does.
    let first: i64 = live_rows.first().map(|r| r.store_id).unwrap_or(1);
    let mut refresh: Vec<Duration> = Vec::new();
    for i in 0..200 {
        let s = Instant::now();
        let txn = etalase_db::begin_write(&db).await?;
        maintained::refresh_store(&txn, first + (i * 7919) % stores).await?;
        txn.commit().await?;
        refresh.push(s.elapsed());
    }
    refresh.sort();
    let refresh_p99 = refresh[refresh.len() * 99 / 100];
    let s = Instant::now();
    let drifted = maintained::drifted(&db).await?.unwrap_or_default();
    let drift = s.elapsed();
    assert!(drifted.is_empty(), "no drift right after a rebuild: {drifted:?}");
    let summary = repo::summary(&db, &t, date, &f, GroupBy::All).await?;
    let g = summary.first().cloned();
    db.close().await.ok();
    let mut r = String::new();
    writeln!(r, "# bench-compliance: {stores} stores\n")?;
    writeln!(
        r,
        "PostgreSQL, scratch database `{DB}` (dropped after). {stores} stores, {} agreements with 1–3 items, {} producers; generated in {:.1} s.\n",
        sizes_for(stores).0,
        sizes_for(stores).1,
        generated.as_secs_f64()
    )?;
    writeln!(
        r,
        "Full dashboard query (as `/kepatuhan` makes it) = the summaries (all, by chain, by kecamatan, by kelurahan) in one statement + the store list ({} rows) + producers placed.\n",
        live_rows.len()
    )?;
    if let Some(g) = g {
        writeln!(
            r,
            "Levels on {date}: {} patuh, {} berisiko, {} tidak patuh.\n",
            g.patuh, g.berisiko, g.tidak_patuh
        )?;
    }
    let goal = goal_ms(stores);
    writeln!(r, "| dashboard reads | runs | min | median | goal |\n|---|---|---|---|---|")?;
    for (what, mn, md) in
        [("maintained table", min, median), ("live aggregation (before)", live_min, live)]
    {
        writeln!(
            r,
            "| {what} | {runs} | {} ms | {} ms | ≤ {goal} ms ({}) |",
            mn.as_millis(),
            md.as_millis(),
            if md.as_millis() <= goal { "met" } else { "NOT met" }
        )?;
    }
    writeln!(
        r,
        "\nKeeping the table: full rebuild ({written} rows) {} ms; one store recomputed in its own transaction p50 {:.1} ms, p99 {:.1} ms (200 stores); drift check (live aggregation compared with the table) {} ms, 0 drifted.\n",
        rebuild.as_millis(),
        refresh[refresh.len() / 2].as_secs_f64() * 1e3,
        refresh_p99.as_secs_f64() * 1e3,
        drift.as_millis()
    )?;
    for (label, ps) in [("maintained table", &parts), ("live aggregation", &live_parts)] {
        writeln!(r, "Last run, per query ({label}):\n")?;
        for (what, d) in ps {
            writeln!(r, "- {what}: {} ms", d.as_millis())?;
        }
        writeln!(r)?;
    }
    Ok(Measured { report: r, maintained: median, live, rebuild, refresh_p99, drift })
}
