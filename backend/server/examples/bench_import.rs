//! `make bench-import`: the Dinas imports through the same functions as the page, the API and
//! `etalase import` — N businesses (default 50,000) then N products (one each), each saved,
//! then the same file again (idempotent: every row unchanged), on SQLite (a scratch folder) and
//! on PostgreSQL (a scratch database `etalase_bench_import`, created and dropped; skipped when
//! the server cannot be reached). The save time includes reading the file, checking every
//! row, the one transaction (rows, audit, outbox) and the re-evaluation of the products after
//! the commit. Writes `OUT_DIR/report.md`; goal: each import of N rows well under a minute.
//! Then, the import's outbox rows delivered (kept a day, as the relay keeps them), the time of
//! a search relay pass with nothing due (each instance runs one a second): no goal, reported in
//! ms.
//!
//! Usage: bench_import OUT_DIR [ROWS]   (PG admin URL from ETALASE_BENCH_PG_URL, default
//! postgres://postgres@127.0.0.1:55432/postgres)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use etalase_domain::bench::{Figure, to_csv};
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use etalase_db::repo::users::{self, NewUser};
use etalase_domain::ports::SystemClock;
use etalase_domain::roles::Role;
use etalase_server::Config;
use etalase_server::app::{open_database, state_for};
use etalase_server::service::imports::{self, ImportKind, Quiet};
use sea_orm::{ConnectionTrait, Database};

const DB: &str = "etalase_bench_import";
const GOAL_S: f64 = 60.0;

fn businesses(n: usize) -> String {
    let kel = etalase_domain::wilayah::kota_serang().kelurahan();
    let mut out = String::from(
        "id_eksternal,nama_usaha,nama_pemilik,nib,skala,tingkat_risiko,alamat,kecamatan,kelurahan,whatsapp\n",
    );
    let risks = ["rendah", "Menengah Rendah", "menengah tinggi", "Tinggi"];
    for i in 0..n {
        let k = &kel[i % kel.len()];
        // Names written as lists write them: with prefixes, in lower case, or as codes.
        let name = match i % 4 {
            0 => format!("Kel. {}", k.name),
            1 => k.name.to_lowercase(),
            2 => k.code.clone(),
            _ => k.name.clone(),
        };
        let nib = if i % 10 == 9 { String::new() } else { format!("91{:011}", i) };
        let _ = writeln!(
            out,
            "BENCH-{i},Usaha Bench {i},Pemilik {i},{nib},mikro,{},Jl. Bench No. {i},{},{name},0812{:08}",
            risks[i % 4],
            k.kecamatan_name,
            i
        );
    }
    out
}

fn products(n: usize) -> String {
    let mut out = String::from(
        "usaha,kode_produk,nama_produk,kategori,isi_bersih,satuan,harga_grosir,harga_eceran,kapasitas_per_bulan,no_pirt\n",
    );
    let cats = ["Makanan ringan", "makanan-ringan", "Kue & roti", "Kopi & teh"];
    for i in 0..n {
        let business = if i % 10 == 9 { format!("BENCH-{i}") } else { format!("91{:011}", i) };
        let pirt = if i % 2 == 0 { "2013673010234-29" } else { "" };
        let _ = writeln!(
            out,
            "{business},P-{i},Produk Bench {i},{},250,gram,Rp {}.000,{}.000,500,{pirt}",
            cats[i % 4],
            10 + i % 20,
            15 + i % 20
        );
    }
    out
}

struct Timing {
    what: String,
    seconds: f64,
    detail: String,
    /// The import's one minute; none for the relay's pass (reported in ms).
    goal: Option<f64>,
}

async fn run(backend: &str, config: Config, rows: usize) -> anyhow::Result<Vec<Timing>> {
    let db = open_database(&config).await?;
    let state = state_for(config, db, Arc::new(SystemClock));
    let officer = users::create(
        &state.db,
        NewUser {
            email: "bench@dinas.etalase.id",
            password_hash: "x",
            role: Role::Dinas,
            display_name: "Bench",
        },
        state.clock.now(),
    )
    .await?;
    let mut limits = state.config.import_limits();
    limits.max_rows = rows + 1;
    limits.max_bytes = 64 * 1024 * 1024;
    limits.max_uncompressed = 256 * 1024 * 1024;
    let mut out = Vec::new();
    for (kind, file) in
        [(ImportKind::Businesses, businesses(rows)), (ImportKind::Products, products(rows))]
    {
        for pass in ["pertama", "ulang (sama)"] {
            let t0 = Instant::now();
            let saved =
                imports::save(&state, officer.id, kind, file.clone().into_bytes(), limits, &Quiet)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?
                    .map_err(|r| {
                        anyhow::anyhow!("refused: {:?}", &r.errors[..r.errors.len().min(5)])
                    })?;
            let seconds = t0.elapsed().as_secs_f64();
            println!("{backend} {} {pass}: {seconds:.1} s", kind.label());
            out.push(Timing {
                what: format!("{backend}: {} {} baris, {pass}", kind.label(), rows),
                seconds,
                detail: format!(
                    "{} baru, {} diubah, {} tetap; {:.1} MB",
                    saved.new,
                    saved.updated,
                    saved.unchanged,
                    file.len() as f64 / 1e6
                ),
                goal: Some(GOAL_S),
            });
        }
    }
    // A dry run (preview) of the product file, as `--dry-run` does.
    let t0 = Instant::now();
    let p = imports::preview(&state, ImportKind::Products, products(rows).into_bytes(), limits)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    out.push(Timing {
        what: format!("{backend}: pratinjau (--dry-run) produk {rows} baris"),
        seconds: t0.elapsed().as_secs_f64(),
        detail: format!("{} tetap", p.unchanged),
        goal: Some(GOAL_S),
    });
    out.extend(idle_relay(&state, backend).await?);
    Ok(out)
}

/// After the import: its outbox rows delivered (as the relay marks them; they are kept a day),
/// then 200 relay passes with nothing due, as every instance runs one a second. On PostgreSQL
/// twice: at once, with the 100,000 rows' old versions still in the table and its statistics
/// from before (the planner reads every row), and after `VACUUM ANALYZE`, the state autovacuum
/// brings the table to within minutes.
async fn idle_relay(
    state: &etalase_server::state::AppState,
    backend: &str,
) -> anyhow::Result<Vec<Timing>> {
    use etalase_db::entities::outbox;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
    outbox::Entity::update_many()
        .col_expr(outbox::Column::DoneAt, Expr::value(Some(state.clock.now())))
        .filter(outbox::Column::DoneAt.is_null())
        .exec(&state.db)
        .await?;
    let kept = outbox::Entity::find().count(&state.db).await?;
    let mut out = vec![
        idle_passes(
            state,
            format!("{backend}: giliran relay tanpa antrean, {kept} baris terkirim disimpan"),
        )
        .await?,
    ];
    if backend == "PostgreSQL" {
        state.db.execute_unprepared("VACUUM ANALYZE search_outbox").await?;
        out.push(
            idle_passes(state, format!("{backend}: giliran relay tanpa antrean, {kept} baris terkirim disimpan, setelah VACUUM ANALYZE")).await?,
        );
    }
    Ok(out)
}

/// 200 relay passes with nothing due: the median, and the p99 in the detail.
async fn idle_passes(
    state: &etalase_server::state::AppState,
    what: String,
) -> anyhow::Result<Timing> {
    let mut passes = Vec::new();
    for _ in 0..200 {
        let t0 = Instant::now();
        let n = etalase_server::service::search_sync::relay_once(state, "bench").await?;
        passes.push(t0.elapsed().as_secs_f64());
        anyhow::ensure!(n == 0, "a pass found {n} rows due");
    }
    passes.sort_by(f64::total_cmp);
    let (p50, p99) = (passes[100], passes[198]);
    println!("{what}: p50 {:.3} ms, p99 {:.3} ms", p50 * 1e3, p99 * 1e3);
    Ok(Timing {
        what,
        seconds: p50,
        detail: format!("median {:.3} ms, p99 {:.3} ms (200 giliran)", p50 * 1e3, p99 * 1e3),
        goal: None,
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let out_dir = std::path::PathBuf::from(
        args.get(1).cloned().unwrap_or_else(|| "target/bench-import".into()),
    );
    let rows: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(50_000);
    std::fs::create_dir_all(&out_dir)?;
    let mut timings = Vec::new();

    let dir = out_dir.join("sqlite-data");
    let _ = std::fs::remove_dir_all(&dir);
    let config = Config { data_dir: dir.clone(), database_url: None, ..Config::default() };
    timings.extend(run("SQLite", config, rows).await?);

    let admin_url = std::env::var("ETALASE_BENCH_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:55432/postgres".into());
    match Database::connect(&admin_url).await {
        Ok(admin) => {
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {DB}")).await?;
            admin.execute_unprepared(&format!("CREATE DATABASE {DB}")).await?;
            let url = format!(
                "{}/{DB}",
                admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(a, _)| a)
            );
            let config = Config {
                data_dir: out_dir.join("pg-data"),
                database_url: Some(url),
                ..Config::default()
            };
            let r = run("PostgreSQL", config, rows).await;
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {DB} WITH (FORCE)")).await?;
            timings.extend(r?);
        }
        Err(e) => println!("PostgreSQL dilewati: {e}"),
    }

    let mut md = format!(
        "# bench-import\n\n{rows} baris per berkas; tujuan: tiap impor jauh di bawah {GOAL_S:.0} s. Satu kali jalan, mesin 2 inti.\n\n| langkah | detik | hasil | tujuan |\n|---|---:|---|---|\n"
    );
    for t in &timings {
        let _ = match t.goal {
            Some(goal) => {
                let ok = if t.seconds <= goal { "ya" } else { "TIDAK" };
                writeln!(md, "| {} | {:.1} | {} | {ok} |", t.what, t.seconds, t.detail)
            }
            None => writeln!(md, "| {} | {:.5} | {} | — |", t.what, t.seconds, t.detail),
        };
    }
    std::fs::write(out_dir.join("report.md"), &md)?;
    let figures: Vec<Figure> = timings
        .iter()
        .map(|t| match t.goal {
            Some(goal) => Figure::lower(&t.what, format!("{rows} rows"), t.seconds, "s").goal(goal),
            None => Figure::lower(&t.what, format!("{rows} rows"), t.seconds * 1e3, "ms"),
        })
        .collect();
    std::fs::write(out_dir.join("figures.csv"), to_csv("import", &figures))?;
    let _ = std::fs::remove_dir_all(&dir);
    print!("{md}");
    Ok(())
}
