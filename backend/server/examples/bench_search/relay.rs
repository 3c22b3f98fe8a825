//! The search relay in steady state: product names changed in the database, each with its
//! outbox row in the same transaction (as the catalog writes them), and the time from commit
//! until a search finds the product under its new name. Two runs per engine: a steady rate
//! (lag p50 / p99 / max) and a burst of changes committed at once (changes per second from the
//! first commit until the last one is searchable, then every one checked).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use etalase_db::entities::product;
use etalase_domain::bench::Figure;
use etalase_domain::search::SearchQuery;
use etalase_server::state::AppState;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The word change number `n` puts in a product's name: `q` and six letters, far apart from
/// one another (so a search for one finds it, not its neighbours by typo) and short enough for
/// one typo only, which keeps the checking searches light (they look at `q…` words only).
fn token(n: usize) -> String {
    let mut x = (n as u64).wrapping_mul(2_654_435_761) % 308_915_776; // 26^6
    let mut w = String::from("q");
    for _ in 0..6 {
        w.push(char::from(b'a' + (x % 26) as u8));
        x /= 26;
    }
    w
}

/// Renames products to carry their change's `token` and enqueues them, in one transaction;
/// wakes the relay.
async fn change(state: &AppState, changes: &[(i64, usize)]) -> anyhow::Result<()> {
    let now = state.clock.now();
    let txn = etalase_db::begin_write(&state.db).await?;
    for (id, n) in changes {
        product::Entity::update_many()
            .col_expr(product::Column::Name, Expr::value(format!("Produk Relay {}", token(*n))))
            .col_expr(product::Column::UpdatedAt, Expr::value(now))
            .filter(product::Column::Id.eq(*id))
            .exec(&txn)
            .await?;
    }
    let ids: Vec<i64> = changes.iter().map(|(id, _)| *id).collect();
    etalase_db::repo::outbox::enqueue(&txn, &ids, now, false).await?;
    txn.commit().await?;
    state.relay_wake.notify_one();
    Ok(())
}

/// Whether a search for the word of change `token_no` finds product `id`.
async fn visible(state: &AppState, id: i64, token_no: usize) -> anyhow::Result<bool> {
    let r = state
        .search
        .search(&SearchQuery::text(token(token_no)))
        .await
        .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    Ok(r.hits.iter().any(|h| h.doc.id == id))
}

/// Waits until product `id` is found under `token` (gives up after 120 s).
async fn wait_visible(state: &AppState, id: i64, token: usize) -> anyhow::Result<Duration> {
    let t = Instant::now();
    while !visible(state, id, token).await? {
        if t.elapsed() > Duration::from_secs(120) {
            anyhow::bail!("product {id} not searchable under {} after 120 s", self::token(token));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Ok(t.elapsed())
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted.get(((sorted.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(f64::NAN)
}

/// Measures the relay of `state` (its relay must be running); `first` is the first token, so
/// runs against several engines never reuse one.
pub(crate) async fn relay_half(
    r: &mut String,
    figures: &mut Vec<Figure>,
    state: &AppState,
    (engine, size, products): (&str, &str, i64),
    first: usize,
) -> anyhow::Result<()> {
    // Steady: 50 changes per second for 10 s, one product each; the lag of each.
    let (rate, seconds) = (50usize, 10usize);
    let mut lags = Vec::new();
    let mut pending = std::collections::VecDeque::new();
    let started = Instant::now();
    let mut token = first;
    let mut tick = tokio::time::interval(Duration::from_millis(1000 / rate as u64));
    for _ in 0..rate * seconds {
        tick.tick().await;
        let id = 1 + (token as i64 * 7919) % products;
        change(state, &[(id, token)]).await?;
        pending.push_back((id, token, Instant::now()));
        token += 1;
        // Settle what is already searchable (oldest first) without holding the writer back.
        while let Some((id, t, at)) = pending.front().copied() {
            if !visible(state, id, t).await? {
                break;
            }
            lags.push(at.elapsed().as_secs_f64() * 1000.0);
            pending.pop_front();
        }
    }
    for (id, t, at) in pending {
        wait_visible(state, id, t).await?;
        lags.push(at.elapsed().as_secs_f64() * 1000.0);
    }
    let steady_s = started.elapsed().as_secs_f64();
    lags.sort_by(f64::total_cmp);
    let (p50, p99, max) = (pct(&lags, 0.5), pct(&lags, 0.99), pct(&lags, 1.0));

    // Burst: 2,000 changes in 20 commits of 100, then the time until all are searchable.
    let burst = 2_000usize;
    let t = Instant::now();
    let mut all = Vec::new();
    for chunk in 0..burst / 100 {
        let changes: Vec<(i64, usize)> = (0..100)
            .map(|k| {
                let tok = token + chunk * 100 + k;
                (1 + (tok as i64 * 104_729) % products, tok)
            })
            .collect();
        change(state, &changes).await?;
        all.extend(changes);
    }
    // A product changed twice in the burst shows its last name only.
    let mut last = std::collections::HashMap::new();
    for (id, tok) in &all {
        last.insert(*id, *tok);
    }
    let (last_id, last_tok) = all.last().copied().unwrap_or((1, token));
    wait_visible(state, last_id, last_tok).await?;
    let mut missing = 0;
    for (id, tok) in &last {
        if !visible(state, *id, *tok).await? {
            missing += 1;
            wait_visible(state, *id, *tok).await?;
        }
    }
    let burst_s = t.elapsed().as_secs_f64();
    let per_s = burst as f64 / burst_s;
    writeln!(
        r,
        "\nRelay ({engine}): {} changes at {rate}/s over {steady_s:.1} s, commit → searchable: p50 {p50:.0} ms, p99 {p99:.0} ms, max {max:.0} ms. Burst of {burst} changes in 20 commits: all searchable after {burst_s:.2} s ({per_s:.0} changes/s; {missing} not yet searchable when the last one was).",
        rate * seconds
    )?;
    figures.push(Figure::lower(format!("relay lag p99, {engine}"), size, p99, "ms"));
    figures.push(Figure::lower(format!("relay lag p50, {engine}"), size, p50, "ms"));
    figures.push(Figure::higher(format!("relay throughput, {engine}"), size, per_s, "changes/s"));
    Ok(())
}
