//! The Meilisearch half of bench-search (with `MEILI_URL`).

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use etalase_domain::bench::Figure;
use etalase_domain::ports::SystemClock;
use etalase_server::{Application, Config};

use super::{QUERIES, WRK_SECONDS, wrk};

/// The first argument that makes this program the Meilisearch half's own process.
pub(super) const CHILD: &str = "--meili-half";

/// Runs the Meilisearch half in a new process of this program, on the database copy in
/// `data_dir`; its report (`OUT/meili/report.md`) is appended to `r` and its figures stay in
/// `OUT/meili/figures.csv` (where `make bench`'s summary finds them).
pub(super) fn in_own_process(
    r: &mut String,
    (out, n): (&Path, usize),
    data_dir: &Path,
) -> anyhow::Result<()> {
    let dir = out.join("meili");
    let status = tokio::task::block_in_place(|| {
        std::process::Command::new(std::env::current_exe()?)
            .arg(CHILD)
            .arg(&dir)
            .arg(n.to_string())
            .arg(data_dir)
            .status()
    })?;
    anyhow::ensure!(status.success(), "the Meilisearch half failed: {status}");
    r.push_str(&std::fs::read_to_string(dir.join("report.md"))?);
    Ok(())
}

/// The Meilisearch half's process: `--meili-half OUT_DIR PRODUCTS DATA_DIR`.
pub(super) async fn child() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let [out, n, data_dir] = args.as_slice() else {
        anyhow::bail!("usage: bench_search {CHILD} OUT_DIR PRODUCTS DATA_DIR");
    };
    let url = std::env::var("MEILI_URL")?;
    let out = Path::new(out);
    std::fs::create_dir_all(out)?;
    let n: usize = n.parse()?;
    let config = Config {
        data_dir: data_dir.into(),
        bind: "127.0.0.1:0".into(),
        search_relay_interval_ms: 60_000,
        ..Config::default()
    };
    let (mut r, mut figures) = (String::new(), Vec::new());
    meili_half(&mut r, &mut figures, (&config, n), &url, out).await?;
    std::fs::write(out.join("report.md"), &r)?;
    std::fs::write(out.join("figures.csv"), etalase_domain::bench::to_csv("search", &figures))?;
    Ok(())
}

/// With `MEILI_URL`: the same data in Meilisearch, the same mix through the API and straight to
/// Meilisearch, and the ratio.
pub(super) async fn meili_half(
    r: &mut String,
    figures: &mut Vec<Figure>,
    (base_config, n): (&Config, usize),
    url: &str,
    out: &Path,
) -> anyhow::Result<()> {
    let size = format!("{n} products");
    let key = std::env::var("MEILI_MASTER_KEY").ok();
    let uid = format!("bench_products_{}", std::process::id());
    let config = Config {
        meili_url: Some(url.to_string()),
        meili_master_key: key.clone(),
        search_index: uid.clone(),
        ..base_config.clone()
    };
    let app = Application::build_with_clock(config, Arc::new(SystemClock)).await?;
    let state = app.state().clone();
    let t = Instant::now();
    let docs = etalase_server::service::search_sync::reindex(&state)
        .await
        .map_err(|e| anyhow::anyhow!(e.problem().detail))?;
    let index_s = t.elapsed().as_secs_f64();
    writeln!(r, "\nMeilisearch ({url}): {docs} documents indexed in {index_s:.1} s.\n")?;
    figures.push(Figure::lower("Meilisearch indexing", &size, index_s, "s").goal(60.0));
    let port = app.port();
    tokio::spawn(app.run_until_stopped());
    let api_script = out.join("mix.lua");
    super::write_mix(&api_script, &QUERIES)?;
    let direct_script = out.join("meili.lua");
    let bodies: Vec<String> = QUERIES
        .iter()
        .map(|qs| {
            let p: etalase_server::service::catalog::search::SearchParams =
                serde_urlencoded::from_str(qs).unwrap_or_default();
            let q = etalase_server::service::catalog::search::to_query(&p, None)
                .map_err(|e| anyhow::anyhow!(e.problem().detail))?;
            // The very body the adapter sends for this query.
            let body = etalase_search::meili::multi_search_body(&uid, &q)?;
            Ok(format!("[==[{body}]==]"))
        })
        .collect::<anyhow::Result<_>>()?;
    let auth = key
        .map(|k| format!("wrk.headers[\"Authorization\"] = \"Bearer {k}\"\n"))
        .unwrap_or_default();
    std::fs::write(
        &direct_script,
        format!(
            "local bodies = {{{}}}\nlocal i = 0\nwrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n{auth}request = function()\n  i = i + 1\n  return wrk.format(\"POST\", \"/multi-search\", nil, bodies[(i % #bodies) + 1])\nend\n",
            bodies.join(", ")
        ),
    )?;
    writeln!(
        r,
        "| clients | API p50 / p99 / rps | direct p50 / p99 / rps | API ÷ direct (p50, p99) |\n|---|---|---|---|"
    )?;
    let api_url = format!("http://127.0.0.1:{port}/api/v1/search/products");
    // Meilisearch has just built the index: a warm-up run of each at 1 client first, as the
    // embedded half has (without it the first run, through the API, paid the cold start).
    let _ = wrk(&api_url, 1, &api_script);
    let _ = wrk(url, 1, &direct_script);
    let (mut cpu_note, mut proxy_note, mut round_note) =
        (String::new(), String::new(), String::new());
    let ms_per_tick = ms_per_clock_tick();
    // The hop alone: nginx in the API's place, at 16 clients.
    let proxy = super::proxy::Proxy::start(url, &out.join("nginx"));
    let mut via_proxy = Vec::new();
    for c in [1, 16, 64] {
        // API, direct, direct, API: this machine's speed drifts over minutes, and the order
        // cancels a steady drift. At 16 clients (the goal's row) the four runs are repeated
        // `ROUNDS_AT_16` times: one round's ratio moves by ±3–5% from round to round here.
        // Each side's figure is the mean of its runs.
        let rounds = if c == 16 { ROUNDS_AT_16 } else { 1 };
        let (mut api, mut direct) = (Vec::new(), Vec::new());
        // This process's CPU ticks during the API runs and during the direct runs (where the
        // server under test is idle: what this process does in the background).
        let (mut ticks, mut idle_ticks) = (Some(0.0), Some(0.0));
        for _ in 0..rounds {
            let sides: &[&str] = match &proxy {
                Some(_) if c == 16 => &["api", "direct", "proxy", "proxy", "direct", "api"],
                _ => &["api", "direct", "direct", "api"],
            };
            for side in sides {
                if let (&"proxy", Some(p)) = (side, &proxy) {
                    via_proxy.push(wrk(&p.url, c, &direct_script));
                    continue;
                }
                let before = process_cpu_ticks();
                let sum = if *side == "api" {
                    api.push(wrk(&api_url, c, &api_script));
                    &mut ticks
                } else {
                    direct.push(wrk(url, c, &direct_script));
                    &mut idle_ticks
                };
                *sum = match (*sum, before, process_cpu_ticks()) {
                    (Some(t), Some(b), Some(a)) => Some(t + a - b),
                    _ => None,
                };
            }
        }
        match (mean(&api), mean(&direct)) {
            (Some(a), Some(d)) if c == 16 => {
                // This process's CPU while it served the API runs (it runs only the server
                // under test), per search; against the machine's CPU per
                // search in the direct runs (all cores ÷ req/s), which bounds Meilisearch's.
                if let (Some(ticks), Some(idle)) = (ticks, idle_ticks) {
                    let searches = a.2 * api.len() as f64 * WRK_SECONDS;
                    let ours = ticks * ms_per_tick / searches.max(1.0);
                    let idle_ms = idle * ms_per_tick / (direct.len() as f64 * WRK_SECONDS);
                    let cores = etalase_server::config::cores();
                    let machine = cores as f64 * 1000.0 / d.2.max(0.001);
                    figures.push(Figure::lower(
                        "API's own CPU per search, 16 clients",
                        &size,
                        ours,
                        "ms",
                    ));
                    cpu_note = format!(
                        "\nThe API's own CPU per search at 16 clients: {ours:.2} ms (this process serves \
                         only the API), {:.1}% of the \
                         machine's CPU per search in the direct runs ({cores} cores ÷ {:.0} req/s \
                         = {machine:.1} ms, which bounds Meilisearch's own). While the direct \
                         runs went, this process (server idle) used {idle_ms:.1} ms of CPU a \
                         second.\n",
                        100.0 * ours / machine,
                        d.2
                    );
                }
                if let Some(x) = mean(&via_proxy) {
                    let (p50, p99) = ratios(x, d);
                    figures.push(Figure::lower(
                        "nginx proxy ÷ Meilisearch p50, 16 clients",
                        &size,
                        p50,
                        "×",
                    ));
                    figures.push(Figure::lower(
                        "nginx proxy ÷ Meilisearch p99, 16 clients",
                        &size,
                        p99,
                        "×",
                    ));
                    let (ap50, ap99) = ratios(a, d);
                    proxy_note = format!(
                        "\nThe hop alone, at 16 clients: a do-nothing reverse proxy (nginx, one \
                         worker, no log, kept-alive connections) in the API's place, sent the \
                         direct runs' bodies, in the same rounds (API, direct, proxy, proxy, \
                         direct, API): {:.1} / {:.1} ms / {:.0} req/s, {p50:.2} / {p99:.2} × \
                         direct. The API's {ap50:.2} / {ap99:.2} × is that hop plus its own work \
                         (reading the query, the marks, the answer's JSON).\n",
                        x.0, x.1, x.2
                    );
                }
                let (p50, p99) = ratios(a, d);
                round_note = per_round(&api, &direct);
                figures.push(
                    Figure::lower("API ÷ Meilisearch p50, 16 clients", &size, p50, "×").goal(1.05),
                );
                figures.push(
                    Figure::lower("API ÷ Meilisearch p99, 16 clients", &size, p99, "×").goal(1.05),
                );
                table_row(r, c, a, d)?
            }
            (Some(a), Some(d)) => table_row(r, c, a, d)?,
            _ => writeln!(r, "| {c} | wrk failed | | |")?,
        }
    }
    r.push_str(&round_note);
    r.push_str(&cpu_note);
    if proxy.is_none() {
        proxy_note =
            "\n(nginx is not installed: no do-nothing proxy to compare the hop with.)\n".into();
    }
    r.push_str(&proxy_note);
    drop(proxy);
    writeln!(
        r,
        "\nAfter a 10 s warm-up of each at 1 client; per client count the runs went API, direct, \
         direct, API ({ROUNDS_AT_16} times over at 16 clients, with two proxy runs in the middle \
         when nginx is there), and each figure is the mean of its side's runs.\n\n\
         Goal: the API adds ≤ 5% over direct Meilisearch."
    )?;
    let products = n as i64;
    super::relay::relay_half(r, figures, &state, ("Meilisearch", &size, products), 1_000_000)
        .await?;
    if let Ok(idx) = etalase_search::MeiliIndex::new(
        url,
        std::env::var("MEILI_MASTER_KEY").ok().as_deref(),
        &uid,
        etalase_search::Settings::products()?,
    )
    .await
    {
        let _ = idx.delete_index().await;
    }
    Ok(())
}

type Wrk = (f64, f64, f64);

/// ABBA rounds at 16 clients: five, since one round's ratio moves by up to ±5% here (two
/// direct runs back to back have differed by 8%); the mean of five moves about half as much.
const ROUNDS_AT_16: usize = 5;

/// CPU time (user + system) this process has used, in clock ticks (Linux: `/proc/self/stat`).
fn process_cpu_ticks() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (in parentheses): state is the 3rd field, utime the 14th.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some(fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?)
}

/// Milliseconds per clock tick (`getconf CLK_TCK`; 100 ticks a second if it cannot tell).
fn ms_per_clock_tick() -> f64 {
    let per_second = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse::<f64>().ok())
        .unwrap_or(100.0);
    1000.0 / per_second
}

/// Each round's API ÷ direct at 16 clients (its two API runs over its two direct runs), so the
/// report shows how far one round's figure moves from the next on this machine.
fn per_round(api: &[Option<Wrk>], direct: &[Option<Wrk>]) -> String {
    let rounds: Vec<(f64, f64)> = api
        .chunks(2)
        .zip(direct.chunks(2))
        .filter_map(|(a, d)| Some(ratios(mean(a)?, mean(d)?)))
        .collect();
    if rounds.len() < 2 {
        return String::new();
    }
    let list = |f: fn(&(f64, f64)) -> f64| {
        rounds.iter().map(|r| format!("{:.2}", f(r))).collect::<Vec<_>>().join(", ")
    };
    format!(
        "\nAPI ÷ direct at 16 clients, round by round (each round's two API runs over its two \
         direct runs), p50: {}; p99: {}.\n",
        list(|r| r.0),
        list(|r| r.1)
    )
}

/// API ÷ direct for p50 and p99.
fn ratios(a: Wrk, d: Wrk) -> (f64, f64) {
    (a.0 / d.0.max(0.001), a.1 / d.1.max(0.001))
}

/// The mean of runs, each figure apart (none if any failed).
fn mean(runs: &[Option<Wrk>]) -> Option<Wrk> {
    let runs: Vec<Wrk> = runs.iter().copied().collect::<Option<_>>()?;
    let n = runs.len().max(1) as f64;
    let sum = |f: fn(&Wrk) -> f64| runs.iter().map(f).sum::<f64>() / n;
    Some((sum(|w| w.0), sum(|w| w.1), sum(|w| w.2)))
}

fn table_row(r: &mut String, c: u32, a: Wrk, d: Wrk) -> std::fmt::Result {
    let (p50, p99) = ratios(a, d);
    writeln!(
        r,
        "| {c} | {:.1} / {:.1} ms / {:.0} | {:.1} / {:.1} ms / {:.0} | {:.2} / {:.2} |",
        a.0, a.1, a.2, d.0, d.1, d.2, p50, p99
    )
}
