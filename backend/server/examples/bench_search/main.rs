//! `make bench-search`: generates 100,000 realistic products, indexes them (timed), serves the
//! API and measures a realistic mix of searches through HTTP with `wrk` at 1, 16 and 64
//! concurrent clients (p50, p99, requests per second). With `MEILI_URL` set, the same queries
//! go straight to Meilisearch too and the report shows API over direct.
//!
//! Usage: bench_search OUT_DIR [PRODUCTS]. The Meilisearch half runs in a process of its own
//! (this program again, `bench_search --meili-half OUT_DIR PRODUCTS DATA_DIR`), so its server is a
//! fresh one, as `etalase serve` is, and not the one that just served the embedded half.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use etalase_db::entities::{certificate, producer, product, user};
use etalase_domain::bench::Figure;
use etalase_domain::ports::{Clock, SystemClock};
use etalase_domain::{
    BusinessScale, CertificateKind, ListingStatus, ProducerStatus, RiskLevel, Role,
};
use etalase_server::{Application, Config};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveValue::NotSet, EntityTrait, Set};

mod meili;
mod proxy;
mod relay;
mod varied;
mod wrk;

pub(crate) use wrk::{WRK_SECONDS, write_mix, wrk};

/// Distinct searches in the varied mix (more than a 10 s run sends at 1M products).
const VARIED: usize = 20_000;

pub(crate) const QUERIES: [&str; 16] = [
    "q=kripik%20pedes",
    "q=sambel",
    "q=emping",
    "q=kopi%20bubuk&halal=true",
    "q=empng",
    "q=bandeng&kecamatan=36.73.02",
    "category=minuman&sort=price_asc",
    "q=kue&near=-6.12,106.15&radius_km=5",
    "near=-6.11,106.17&sort=distance",
    "q=madu&price_max=100000",
    "q=batik&sort=newest",
    "kecamatan=36.73.06&category=makanan-ringan",
    "q=keripik%20singkong&page=2",
    "q=teh&cert=pirt",
    "q=dodol",
    "halal=true&sort=price_desc",
];

/// The demo catalogue's product templates (names, variants, descriptions, sizes).
fn catalogue_templates() -> anyhow::Result<Vec<serde_json::Value>> {
    let catalog: serde_json::Value =
        serde_json::from_str(include_str!("../../../../assets/data/demo/catalog.json"))?;
    Ok(catalog["templates"].as_array().cloned().unwrap_or_default())
}

async fn generate(
    db: &sea_orm::DatabaseConnection,
    n: usize,
    templates: &[serde_json::Value],
) -> anyhow::Result<()> {
    let w = etalase_domain::wilayah::kota_serang();
    let kel = w.kelurahan();
    let mut rng = StdRng::seed_from_u64(2023);
    let now = SystemClock.now();
    let txn = etalase_db::begin_write(db).await?;
    let producers = 2000;
    for i in 0..producers {
        let u = user::ActiveModel {
            id: NotSet,
            email: Set(format!("bench{i}@bench.etalase.id")),
            password_hash: Set("x".into()),
            role: Set(Role::Umkm),
            display_name: Set(format!("Bench {i}")),
            disabled: Set(false),
            created_at: Set(now),
            chain_id: Set(None),
            store_id: Set(None),
            inbox_seen_at: Set(None),
        };
        user::Entity::insert(u).exec(&txn).await?;
        let k = &kel[i % kel.len()];
        producer::Entity::insert(producer::ActiveModel {
            id: NotSet,
            owner_user_id: Set(Some((i + 1) as i64)),
            name: Set(format!("Usaha Bench {i}")),
            owner_name: Set("Bench".into()),
            nib: Set(Some(format!("9991{:09}", i))),
            scale: Set(BusinessScale::Mikro),
            capital_range: Set(None),
            sales_range: Set(None),
            risk_level: Set(RiskLevel::Rendah),
            address: Set("Jl. Bench".into()),
            kelurahan_code: Set(k.code.clone()),
            kecamatan_code: Set(k.kecamatan_code.clone()),
            lat: Set(k.lat + rng.gen_range(-0.003..0.003)),
            lon: Set(k.lon + rng.gen_range(-0.003..0.003)),
            phone: Set(None),
            whatsapp: Set(None),
            status: Set(ProducerStatus::Verified),
            status_reason: Set(None),
            reviewed_by: Set(None),
            reviewed_at: Set(None),
            version: Set(1),
            external_id: Set(None),
            companion_user_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec(&txn)
        .await?;
    }
    let mut batch = Vec::new();
    let mut certs = Vec::new();
    for i in 0..n {
        let t = templates.choose(&mut rng).cloned().unwrap_or_default();
        let variant = t["variants"]
            .as_array()
            .and_then(|v| v.choose(&mut rng))
            .and_then(|v| v.as_str())
            .map(|v| format!(" {v}"))
            .unwrap_or_default();
        let size =
            t["sizes"].as_array().and_then(|v| v.choose(&mut rng)).cloned().unwrap_or_default();
        batch.push(product::ActiveModel {
            id: NotSet,
            producer_id: Set(rng.gen_range(1..=producers as i64)),
            name: Set(format!("{}{variant}", t["name"].as_str().unwrap_or("Produk"))),
            category: Set(t["category"].as_str().unwrap_or("makanan-ringan").into()),
            description: Set(t["description"].as_str().unwrap_or("").into()),
            brand: Set(None),
            gtin: Set(None),
            net_content: Set(size["net_content"].as_i64()),
            net_unit: Set(size["net_unit"].as_str().map(str::parse).transpose()?),
            pack_size: Set(Some(1)),
            packaging: Set(None),
            shelf_life_days: Set(t["shelf_life_days"].as_i64()),
            storage: Set(t["storage"].as_str().unwrap_or("ambient").parse()?),
            wholesale_price: Set(None),
            retail_price: Set(size["retail_price"]
                .as_i64()
                .map(|p| p + rng.gen_range(0..20) * 500)),
            min_order: Set(Some(10)),
            monthly_capacity: Set(Some(500)),
            status: Set(ListingStatus::Published),
            status_reason: Set(None),
            version: Set(1),
            external_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            submitted_at: Set(Some(now)),
            published_at: Set(Some(now - chrono::Duration::minutes(rng.gen_range(0..500_000)))),
        });
        if rng.gen_bool(0.5) {
            certs.push(certificate::ActiveModel {
                id: NotSet,
                product_id: Set((i + 1) as i64),
                kind: Set(if rng.gen_bool(0.6) {
                    CertificateKind::Halal
                } else {
                    CertificateKind::Pirt
                }),
                number: Set("bench".into()),
                issuer: Set(None),
                issued_on: Set(None),
                expires_on: Set(Some(
                    chrono::NaiveDate::from_ymd_opt(2030, 12, 31).unwrap_or_default(),
                )),
                document_key: Set(None),
                document_type: Set(None),
                document_name: Set(None),
                created_at: Set(now),
                checked_by: Set(None),
                checked_at: Set(Some(now)),
            });
        }
        if batch.len() == 500 {
            product::Entity::insert_many(std::mem::take(&mut batch)).exec(&txn).await?;
            // Certificates only after the products they point at.
            if !certs.is_empty() {
                certificate::Entity::insert_many(std::mem::take(&mut certs)).exec(&txn).await?;
            }
        }
    }
    if !batch.is_empty() {
        product::Entity::insert_many(batch).exec(&txn).await?;
    }
    if !certs.is_empty() {
        certificate::Entity::insert_many(certs).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The runtime `etalase serve` builds (`Config::runtime`: `ETALASE_WORKERS` request threads,
/// else half the cores), so the server measured here runs as the deployed one does.
fn main() -> anyhow::Result<()> {
    serve_config()?.runtime()?.block_on(bench())
}

/// What `etalase serve` would read from the environment (for its request threads).
fn serve_config() -> anyhow::Result<Config> {
    let mut serve = Config::default();
    serve.apply_env(|k| std::env::var(k).ok())?;
    Ok(serve)
}

async fn bench() -> anyhow::Result<()> {
    if std::env::args().nth(1).as_deref() == Some(meili::CHILD) {
        return meili::child().await;
    }
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "target/bench-search".into()));
    let n: usize = args.next().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out)?;
    let out = out.canonicalize()?;
    let config = Config {
        data_dir: out.join("data"),
        bind: "127.0.0.1:0".into(),
        search_relay_interval_ms: 60_000,
        ..Config::default()
    };
    let t0 = Instant::now();
    let db = etalase_server::app::open_database(&config).await?;
    let templates = catalogue_templates()?;
    generate(&db, n, &templates).await?;
    let gen_s = t0.elapsed().as_secs_f64();
    let app = Application::build_with_clock(config.clone(), Arc::new(SystemClock)).await?;
    let state = app.state().clone();
    let t1 = Instant::now();
    let docs = etalase_server::service::search_sync::reindex(&state)
        .await
        .map_err(|e| anyhow::anyhow!(e.problem().detail))?;
    let index_s = t1.elapsed().as_secs_f64();
    let port = app.port();
    tokio::spawn(app.run_until_stopped());
    let base = format!("http://127.0.0.1:{port}/api/v1/search/products");
    let script = out.join("mix.lua");
    write_mix(&script, &QUERIES)?;
    let mut r = String::new();
    writeln!(r, "# bench-search\n")?;
    writeln!(
        r,
        "{n} products generated in {gen_s:.1} s; {docs} documents indexed by the embedded engine in {index_s:.1} s ({:.0} docs/s).\n",
        docs as f64 / index_s.max(0.001)
    )?;
    writeln!(r, "Query mix ({} queries, round robin): {}\n", QUERIES.len(), QUERIES.join(" · "))?;
    let cores = etalase_server::config::cores();
    let threads = serve_config()?.worker_threads(cores);
    writeln!(
        r,
        "The server under test runs in this process, with {threads} request thread(s) on {cores} cores as `etalase serve` has.\n"
    )?;
    // One round of the mix first: each segment's sorted orders, facet bit sets and grid are
    // made on first use (once per segment, not per search), and would otherwise land in the
    // 1-client figures.
    let _ = wrk(&base, 1, &script);
    writeln!(r, "Each figure after one 10 s warm-up run of the mix at 1 client.\n")?;
    writeln!(r, "| clients | p50 | p99 | requests/s |\n|---|---|---|---|")?;
    let size = format!("{n} products");
    let mut figures = vec![Figure::lower("embedded indexing", &size, index_s, "s")];
    for c in [1, 16, 64] {
        match wrk(&base, c, &script) {
            Some((p50, p99, rps)) => {
                writeln!(r, "| {c} | {p50:.1} ms | {p99:.1} ms | {rps:.0} |")?;
                let p99_goal = if n > 200_000 { 50.0 } else { 15.0 };
                let (mut f99, mut frps) = (
                    Figure::lower(format!("search p99, {c} clients"), &size, p99, "ms"),
                    Figure::higher(format!("search req/s, {c} clients"), &size, rps, "req/s"),
                );
                if c == 16 {
                    f99 = f99.goal(p99_goal);
                    frps = if n > 200_000 { frps } else { frps.goal(2000.0) };
                }
                figures.extend([
                    Figure::lower(format!("search p50, {c} clients"), &size, p50, "ms"),
                    f99,
                    frps,
                ]);
            }
            None => writeln!(r, "| {c} | wrk not available (install Debian's wrk) | | |")?,
        }
    }
    // The varied mix: distinct searches, each sent at most once or twice in the run.
    let varied = varied::queries(&templates, VARIED);
    let varied_script = out.join("varied.lua");
    write_mix(&varied_script, &varied.iter().map(String::as_str).collect::<Vec<_>>())?;
    if let Some((p50, p99, rps)) = wrk(&base, 16, &varied_script) {
        writeln!(r, "| 16, varied mix | {p50:.1} ms | {p99:.1} ms | {rps:.0} |")?;
        figures.extend([
            Figure::lower("search p50, 16 clients, varied mix", &size, p50, "ms"),
            Figure::lower("search p99, 16 clients, varied mix", &size, p99, "ms"),
            Figure::higher("search req/s, 16 clients, varied mix", &size, rps, "req/s"),
        ]);
    }
    writeln!(
        r,
        "\nVaried mix: {} distinct searches (single words, word pairs, prefixes, one typo, some filtered) made from the catalogue's words, shuffled, sent in turn (each at most once or twice in the run); the words themselves repeat.",
        varied.len()
    )?;
    writeln!(
        r,
        "\nGoal: p99 ≤ 15 ms and ≥ 2,000 req/s at 16 clients on 100k products, p99 ≤ 50 ms at 1M (embedded engine, this 2-core machine)."
    )?;
    relay::relay_half(&mut r, &mut figures, &state, ("embedded engine", &size, n as i64), 0)
        .await?;
    match std::env::var("MEILI_URL") {
        // The Meilisearch goals are at 100k; indexing a million into it here would take
        // most of an hour.
        Ok(_) if n > 200_000 => writeln!(
            r,
            "\nMeilisearch comparison skipped above 200,000 products (its goals are at 100k)."
        )?,
        Ok(_) => {
            // Its own copy of the database: the embedded instance's relay keeps running and
            // would take the Meilisearch instance's outbox rows.
            let copy = out.join("data-meili");
            std::fs::create_dir_all(&copy)?;
            let file = copy.join("etalase.db");
            sea_orm::ConnectionTrait::execute_unprepared(
                &state.db,
                &format!("VACUUM INTO '{}'", file.display()),
            )
            .await?;
            meili::in_own_process(&mut r, (&out, n), &copy)?
        }
        Err(_) => writeln!(r, "\nMeilisearch comparison skipped: MEILI_URL not set.")?,
    }
    std::fs::write(out.join("report.md"), &r)?;
    std::fs::write(out.join("figures.csv"), etalase_domain::bench::to_csv("search", &figures))?;
    print!("{r}");
    println!("\n(report written to {})", out.join("report.md").display());
    Ok(())
}
