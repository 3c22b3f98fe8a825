//! Running wrk against the server under test, and writing its query-mix scripts.

use std::path::PathBuf;
use std::process::Command;

/// A wrk script sending GET `/api/v1/search/products?{query}` for each of `queries` in turn.
pub(crate) fn write_mix(script: &std::path::Path, queries: &[&str]) -> std::io::Result<()> {
    let paths: Vec<String> =
        queries.iter().map(|q| format!("\"/api/v1/search/products?{q}\"")).collect();
    std::fs::write(
        script,
        format!(
            "local paths = {{{}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n",
            paths.join(", ")
        ),
    )
}

/// Length of each wrk run.
pub(crate) const WRK_SECONDS: f64 = 10.0;

/// Runs wrk with the query mix; returns (p50 ms, p99 ms, requests/s). The server under test
/// runs in this process: wrk is waited for off the runtime's request threads
/// (`block_in_place`), so the server keeps all of them, as `etalase serve` has.
pub(crate) fn wrk(base: &str, clients: u32, script: &PathBuf) -> Option<(f64, f64, f64)> {
    tokio::task::block_in_place(|| run_wrk(base, clients, script))
}

fn run_wrk(base: &str, clients: u32, script: &PathBuf) -> Option<(f64, f64, f64)> {
    // wrk runs without its script (plain GETs of `base`) when the file is missing.
    if !script.is_file() {
        return None;
    }
    let threads = clients.min(2);
    let out = Command::new("wrk")
        .args([
            "-t",
            &threads.to_string(),
            "-c",
            &clients.to_string(),
            "-d",
            &format!("{WRK_SECONDS}s"),
            "--latency",
            "-s",
        ])
        .arg(script)
        .arg(base)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let ms = |label: &str| -> Option<f64> {
        let line = text.lines().find(|l| l.trim_start().starts_with(label))?;
        let v = line.split_whitespace().nth(1)?;
        if let Some(x) = v.strip_suffix("ms") {
            x.parse().ok()
        } else if let Some(x) = v.strip_suffix("us") {
            x.parse::<f64>().ok().map(|u| u / 1000.0)
        } else {
            v.strip_suffix('s').and_then(|x| x.parse::<f64>().ok()).map(|s| s * 1000.0)
        }
    };
    let rps = text
        .lines()
        .find(|l| l.starts_with("Requests/sec:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some((ms("50%")?, ms("99%")?, rps))
}
