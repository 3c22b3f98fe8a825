//! What operators see: a request id on every response and log line (`X-Request-Id`, taken from
//! the request when it carries a sane one), one log line per request (text or, with
//! `ETALASE_LOG_FORMAT=json`, JSON), and `GET /metrics` in Prometheus text format: requests and
//! latency per route, login throttle refusals, relay errors, photo pipeline time, and — read
//! from the database at scrape time, so every instance reports the shared truth — the search
//! outbox's depth and lag and the running jobs.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

use crate::auth::MaybeUser;
use crate::state::AppState;

/// Latency buckets, seconds.
const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Default, Clone)]
struct Histogram {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

impl Histogram {
    fn observe(&mut self, secs: f64) {
        self.count += 1;
        self.sum += secs;
        for (b, limit) in self.buckets.iter_mut().zip(BUCKETS) {
            if secs <= limit {
                *b += 1;
            }
        }
    }
}

/// Counters of this process.
#[derive(Default)]
pub struct Metrics {
    /// (method, route, status) → latency histogram.
    requests: Mutex<BTreeMap<(String, String, u16), Histogram>>,
    pub throttled: AtomicU64,
    pub relay_errors: AtomicU64,
    photos: Mutex<Histogram>,
}

impl Metrics {
    pub fn photo_processed(&self, secs: f64) {
        self.photos.lock().unwrap_or_else(|e| e.into_inner()).observe(secs);
    }

    fn request(&self, method: &str, route: &str, status: u16, secs: f64) {
        let mut map = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        map.entry((method.to_string(), route.to_string(), status)).or_default().observe(secs);
    }
}

/// The route a request matched, passed from the inner layer to the outer one.
#[derive(Clone)]
struct RouteLabel(MatchedPath);

/// Inner layer (`route_layer`): notes the matched route on the response.
pub async fn label_route(matched: Option<MatchedPath>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if let Some(m) = matched {
        res.extensions_mut().insert(RouteLabel(m));
    }
    res
}

fn request_id(req: &Request) -> String {
    req.headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_string)
        .unwrap_or_else(|| format!("{:016x}", rand::random::<u64>()))
}

/// Headers every answer carries (unless its handler set them).
const SECURITY_HEADERS: [(&str, &str); 3] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "same-origin"),
];

/// Outer layer: request id, one log line, the per-route histogram, the security headers, and
/// problem+json for a wrong method under `/api/` (`crate::pages::guard::api_method`).
pub async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let id = request_id(&req);
    let method = req.method().clone();
    let span = tracing::info_span!("request", request_id = %id, method = %method, path = %req.uri().path());
    let started = Instant::now();
    let res = next.run(req).instrument(span.clone()).await;
    let mut res = crate::pages::guard::api_method(&method, res);
    let secs = started.elapsed().as_secs_f64();
    let status = res.status().as_u16();
    let route = res.extensions().get::<RouteLabel>().map_or("(tidak dikenal)", |r| r.0.as_str());
    state.metrics.request(method.as_str(), route, status, secs);
    span.in_scope(
        || tracing::info!(status, route = %route, ms = (secs * 1000.0).round() as u64, "request"),
    );
    let headers = res.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers
            .entry(header::HeaderName::from_static(name))
            .or_insert(HeaderValue::from_static(value));
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        headers.insert("x-request-id", v);
    }
    res
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn histogram(out: &mut String, name: &str, labels: &str, h: &Histogram) {
    let sep = if labels.is_empty() { "" } else { "," };
    for (limit, n) in BUCKETS.iter().zip(h.buckets) {
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{limit}\"}} {n}");
    }
    let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}", h.count);
    let _ = writeln!(out, "{name}_sum{{{labels}}} {}", h.sum);
    let _ = writeln!(out, "{name}_count{{{labels}}} {}", h.count);
}

/// The Prometheus text exposition.
pub async fn render(state: &AppState) -> String {
    let mut out = String::new();
    out.push_str(
        "# HELP etalase_http_request_duration_seconds Requests and their latency per route.\n",
    );
    out.push_str("# TYPE etalase_http_request_duration_seconds histogram\n");
    let requests = state.metrics.requests.lock().unwrap_or_else(|e| e.into_inner()).clone();
    for ((method, route, status), h) in &requests {
        let labels = format!(
            "method=\"{}\",route=\"{}\",status=\"{status}\"",
            escape(method),
            escape(route)
        );
        histogram(&mut out, "etalase_http_request_duration_seconds", &labels, h);
    }
    let counters = [
        (
            "etalase_login_throttled_total",
            "Logins and registrations refused by the throttle (429).",
            &state.metrics.throttled,
        ),
        (
            "etalase_search_relay_errors_total",
            "Search relay passes the index refused.",
            &state.metrics.relay_errors,
        ),
    ];
    let log_dropped = (
        "etalase_log_lines_dropped_total",
        "Log lines dropped because the log's reader fell behind.",
        crate::log_sink::dropped(),
    );
    let counters = counters.map(|(name, help, c)| (name, help, c.load(Ordering::Relaxed)));
    for (name, help, count) in counters.into_iter().chain([log_dropped]) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {count}");
    }
    out.push_str(
        "# HELP etalase_photo_pipeline_seconds Time to decode, check and resize one photo.\n",
    );
    out.push_str("# TYPE etalase_photo_pipeline_seconds histogram\n");
    let photos = state.metrics.photos.lock().unwrap_or_else(|e| e.into_inner()).clone();
    histogram(&mut out, "etalase_photo_pipeline_seconds", "", &photos);

    let db = &state.db;
    let depth = etalase_db::repo::outbox::pending(db).await.ok();
    let lag = match etalase_db::repo::outbox::oldest(db).await {
        Ok(Some(row)) => {
            Some((state.clock.now() - row.enqueued_at).num_milliseconds().max(0) as f64 / 1000.0)
        }
        Ok(None) => Some(0.0),
        Err(_) => None,
    };
    let running = etalase_db::repo::jobs::running_count(db).await.ok();
    let gauges = [
        (
            "etalase_search_outbox_depth",
            "Search outbox rows waiting (all instances).",
            depth.map(|d| d as f64),
        ),
        ("etalase_search_outbox_lag_seconds", "Age of the oldest waiting outbox row.", lag),
        (
            "etalase_jobs_running",
            "Background jobs running (all instances).",
            running.map(|r| r as f64),
        ),
    ];
    for (name, help, v) in gauges {
        if let Some(v) = v {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        }
    }
    out
}

/// `GET /metrics`: for an admin, for the configured `metrics_token` (bearer), or — when no
/// token is configured — for callers on this machine (a Prometheus next to the server).
pub async fn metrics(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    req: Request,
) -> Response {
    let peer = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let allowed = match state.config.metrics_token.as_deref().filter(|t| !t.is_empty()) {
        Some(token) => bearer == Some(token),
        None => peer.is_some_and(|p| p.0.ip().is_loopback()),
    } || user.is_some_and(|u| u.role == etalase_domain::roles::Role::Admin);
    if !allowed {
        return crate::error::AppError::Forbidden(
            "Metrik hanya untuk admin, token metrik, atau pemanggil di mesin ini.".into(),
        )
        .into_response();
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        render(&state).await,
    )
        .into_response()
}
