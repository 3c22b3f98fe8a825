//! Configuration, layered: built-in defaults → optional `etalase.toml` → `ETALASE_*` (and
//! `DATABASE_URL`) environment variables → command-line flags.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the SQLite file and local blobs live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; default: SQLite file `etalase.db` in `data_dir`.
    pub database_url: Option<String>,
    /// Address to listen on.
    pub bind: String,
    /// Threads that answer requests (the async runtime's workers); unset: half the cores, at
    /// least 1. CPU work (the embedded engine's searches, photos, imports, password checks)
    /// runs on threads of its own beside them, so the other half is theirs (and a database or
    /// Meilisearch on the same machine gets a core no request thread competes for).
    pub workers: Option<usize>,
    /// Lifetime of a browser session, hours.
    pub web_session_hours: i64,
    /// Lifetime of an API bearer token, hours.
    pub api_token_hours: i64,
    /// Mark session cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Largest certificate document accepted, bytes.
    pub max_document_bytes: usize,
    /// Login attempts allowed per account (and ×4 per client address) before waits begin; an
    /// account then waits 2, 4, 8 … seconds between attempts, at most `login_backoff_max_secs`;
    /// an address waits until `login_window_secs` after its first attempt.
    pub login_max_failures: u32,
    pub login_window_secs: u64,
    pub login_backoff_max_secs: u64,
    /// Self-registrations allowed per client address per hour.
    pub register_per_hour: u32,
    /// Behind a reverse proxy: the header carrying the client's address (e.g.
    /// `X-Forwarded-For`; its last address is used). Unset: the socket peer.
    pub trusted_proxy_header: Option<String>,
    /// Password checks (logins) waiting or running at once before new ones get 503; new
    /// passwords (registration, changes) have their own, smaller queue.
    pub hash_queue: usize,
    /// Allow a shared PostgreSQL database with this instance's own search index or blob folder
    /// (one instance only: a second one would answer from a different index or lose photos).
    pub allow_local_state: bool,
    /// Bearer token Prometheus sends to `GET /metrics`; unset: admins and callers on this
    /// machine only.
    pub metrics_token: Option<String>,
    /// Imports (CSV/XLSX): largest file, largest uncompressed XLSX content, data rows, columns.
    pub import_max_bytes: usize,
    pub import_max_uncompressed_bytes: u64,
    pub import_max_rows: usize,
    pub import_max_columns: u32,
    /// Digits after MD/ML in a BPOM number.
    pub bpom_digits: usize,
    /// Photo uploads: largest file, longest side, most pixels.
    pub photo_max_bytes: usize,
    pub photo_max_dimension: u32,
    pub photo_max_pixels: u64,
    /// Photos decoded at once (each may take ~150 MB while decoding).
    pub photo_concurrency: usize,
    pub max_photos_per_product: usize,
    /// Blobs no row uses are removed after this many minutes (the periodic sweep).
    pub blob_gc_grace_minutes: i64,
    pub blob_gc_interval_minutes: u64,
    /// S3-compatible blob store; local files under `data_dir/blobs` when absent.
    pub s3: Option<S3Settings>,
    /// `[matching]`: weights of the store–product matching score.
    pub matching: etalase_domain::matching::MatchWeights,
    /// Meilisearch (`MEILI_URL`); the embedded engine under `data_dir/search` when absent.
    pub meili_url: Option<String>,
    pub meili_master_key: Option<String>,
    /// Index name in Meilisearch.
    pub search_index: String,
    /// How often the search relay looks for work when nothing wakes it, milliseconds.
    pub search_relay_interval_ms: u64,
    /// Whether this instance runs the search relay (default true; with several instances any
    /// number may, rows are claimed with a lease). Tests turn it off to drain by hand.
    pub search_relay: bool,
}

/// What one spreadsheet import may hold (from `import_max_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    pub max_bytes: usize,
    pub max_uncompressed: u64,
    pub max_rows: usize,
    pub max_columns: u32,
}

/// `[s3]` in `etalase.toml`, or `S3_*` environment variables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3Settings {
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
    pub path_style: bool,
    pub prefix: String,
}

impl S3Settings {
    pub fn to_media(&self) -> etalase_media::S3Config {
        etalase_media::S3Config {
            endpoint: self.endpoint.clone(),
            region: if self.region.is_empty() { "us-east-1".into() } else { self.region.clone() },
            bucket: self.bucket.clone(),
            access_key: self.access_key.clone(),
            secret_key: self.secret_key.clone(),
            path_style: self.path_style,
            prefix: self.prefix.clone(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./data"),
            database_url: None,
            bind: "127.0.0.1:8080".to_string(),
            workers: None,
            web_session_hours: 12,
            api_token_hours: 24 * 30,
            secure_cookies: false,
            max_document_bytes: 5 * 1024 * 1024,
            login_max_failures: 5,
            login_window_secs: 15 * 60,
            login_backoff_max_secs: 5 * 60,
            register_per_hour: 10,
            trusted_proxy_header: None,
            hash_queue: 64,
            metrics_token: None,
            allow_local_state: false,
            import_max_bytes: 8 * 1024 * 1024,
            import_max_uncompressed_bytes: 32 * 1024 * 1024,
            import_max_rows: 5_000,
            import_max_columns: 40,
            bpom_digits: 12,
            photo_max_bytes: 15 * 1000 * 1000,
            photo_max_dimension: 10_000,
            photo_max_pixels: 40_000_000,
            photo_concurrency: 2,
            max_photos_per_product: 8,
            blob_gc_grace_minutes: 60,
            blob_gc_interval_minutes: 60,
            s3: None,
            matching: etalase_domain::matching::MatchWeights::default(),
            meili_url: None,
            meili_master_key: None,
            search_index: "products".into(),
            search_relay_interval_ms: 1000,
            search_relay: true,
        }
    }
}

/// Values given on the command line; `None` leaves the lower layers in force.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub bind: Option<String>,
}

impl Config {
    /// Builds the configuration from every layer.
    pub fn load(o: &Overrides) -> anyhow::Result<Config> {
        let file = o
            .config_file
            .clone()
            .or_else(|| std::env::var_os("ETALASE_CONFIG").map(PathBuf::from))
            .or_else(|| Some(PathBuf::from("etalase.toml")).filter(|p| p.exists()));
        let mut c = match file {
            Some(path) => Self::from_file(&path)?,
            None => Config::default(),
        };
        c.apply_env(|k| std::env::var(k).ok())?;
        if let Some(d) = &o.data_dir {
            c.data_dir = d.clone();
        }
        if let Some(u) = &o.database_url {
            c.database_url = Some(u.clone());
        }
        if let Some(b) = &o.bind {
            c.bind = b.clone();
        }
        Ok(c)
    }

    pub fn from_file(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("tidak bisa membaca berkas konfigurasi {}", path.display()))?;
        toml::from_str(&text)
            .with_context(|| format!("berkas konfigurasi {} tidak sah", path.display()))
    }

    /// Applies `ETALASE_*` variables (and `DATABASE_URL`) read through `get`.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        fn num<T: std::str::FromStr>(name: &str, v: String) -> anyhow::Result<T> {
            v.trim().parse().map_err(|_| {
                anyhow::anyhow!("variabel lingkungan {name} harus berupa angka, bukan {v:?}")
            })
        }
        if let Some(v) = get("ETALASE_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = get("DATABASE_URL").or_else(|| get("ETALASE_DATABASE_URL")) {
            self.database_url = Some(v);
        }
        if let Some(v) = get("ETALASE_BIND") {
            self.bind = v;
        }
        if let Some(v) = get("ETALASE_WORKERS") {
            let n: usize = num("ETALASE_WORKERS", v)?;
            anyhow::ensure!(n >= 1, "variabel lingkungan ETALASE_WORKERS harus minimal 1");
            self.workers = Some(n);
        }
        if let Some(v) = get("ETALASE_WEB_SESSION_HOURS") {
            self.web_session_hours = num("ETALASE_WEB_SESSION_HOURS", v)?;
        }
        if let Some(v) = get("ETALASE_API_TOKEN_HOURS") {
            self.api_token_hours = num("ETALASE_API_TOKEN_HOURS", v)?;
        }
        if let Some(v) = get("ETALASE_SECURE_COOKIES") {
            self.secure_cookies = matches!(v.trim(), "1" | "true" | "yes");
        }
        if let Some(v) = get("ETALASE_MAX_DOCUMENT_BYTES") {
            self.max_document_bytes = num("ETALASE_MAX_DOCUMENT_BYTES", v)?;
        }
        if let Some(v) = get("ETALASE_LOGIN_MAX_FAILURES") {
            self.login_max_failures = num("ETALASE_LOGIN_MAX_FAILURES", v)?;
        }
        if let Some(v) = get("ETALASE_LOGIN_WINDOW_SECS") {
            self.login_window_secs = num("ETALASE_LOGIN_WINDOW_SECS", v)?;
        }
        if let Some(v) = get("ETALASE_LOGIN_BACKOFF_MAX_SECS") {
            self.login_backoff_max_secs = num("ETALASE_LOGIN_BACKOFF_MAX_SECS", v)?;
        }
        if let Some(v) = get("ETALASE_REGISTER_PER_HOUR") {
            self.register_per_hour = num("ETALASE_REGISTER_PER_HOUR", v)?;
        }
        if let Some(v) = get("ETALASE_TRUSTED_PROXY_HEADER") {
            self.trusted_proxy_header = Some(v).filter(|v| !v.trim().is_empty());
        }
        if let Some(v) = get("ETALASE_ALLOW_LOCAL_STATE") {
            self.allow_local_state = matches!(v.trim(), "1" | "true" | "yes");
        }
        if let Some(v) = get("ETALASE_METRICS_TOKEN") {
            self.metrics_token = Some(v).filter(|v| !v.trim().is_empty());
        }
        if let Some(v) = get("ETALASE_HASH_QUEUE") {
            self.hash_queue = num("ETALASE_HASH_QUEUE", v)?;
        }
        if let Some(v) = get("ETALASE_IMPORT_MAX_BYTES") {
            self.import_max_bytes = num("ETALASE_IMPORT_MAX_BYTES", v)?;
        }
        if let Some(v) = get("ETALASE_IMPORT_MAX_UNCOMPRESSED_BYTES") {
            self.import_max_uncompressed_bytes = num("ETALASE_IMPORT_MAX_UNCOMPRESSED_BYTES", v)?;
        }
        if let Some(v) = get("ETALASE_IMPORT_MAX_ROWS") {
            self.import_max_rows = num("ETALASE_IMPORT_MAX_ROWS", v)?;
        }
        if let Some(v) = get("ETALASE_IMPORT_MAX_COLUMNS") {
            self.import_max_columns = num("ETALASE_IMPORT_MAX_COLUMNS", v)?;
        }
        if let Some(v) = get("ETALASE_BPOM_DIGITS") {
            self.bpom_digits = num("ETALASE_BPOM_DIGITS", v)?;
        }
        if let Some(v) = get("ETALASE_PHOTO_MAX_BYTES") {
            self.photo_max_bytes = num("ETALASE_PHOTO_MAX_BYTES", v)?;
        }
        if let Some(v) = get("ETALASE_PHOTO_CONCURRENCY") {
            self.photo_concurrency = num("ETALASE_PHOTO_CONCURRENCY", v)?;
        }
        if let Some(v) = get("MEILI_URL").filter(|v| !v.trim().is_empty()) {
            self.meili_url = Some(v);
        }
        if let Some(v) = get("MEILI_MASTER_KEY").filter(|v| !v.trim().is_empty()) {
            self.meili_master_key = Some(v);
        }
        if let Some(v) = get("ETALASE_SEARCH_INDEX") {
            self.search_index = v;
        }
        if let Some(endpoint) = get("S3_ENDPOINT") {
            let mut s3 = self.s3.clone().unwrap_or_default();
            s3.endpoint = endpoint;
            s3.bucket = get("S3_BUCKET").unwrap_or(s3.bucket);
            s3.region = get("S3_REGION").unwrap_or(s3.region);
            s3.access_key = get("S3_ACCESS_KEY_ID").unwrap_or(s3.access_key);
            s3.secret_key = get("S3_SECRET_ACCESS_KEY").unwrap_or(s3.secret_key);
            s3.prefix = get("S3_PREFIX").unwrap_or(s3.prefix);
            s3.path_style = get("S3_PATH_STYLE")
                .map(|v| !matches!(v.trim(), "0" | "false" | "no"))
                .unwrap_or(true);
            if s3.bucket.is_empty() {
                anyhow::bail!("S3_ENDPOINT diisi tetapi S3_BUCKET kosong");
            }
            self.s3 = Some(s3);
        }
        Ok(())
    }

    /// Refuses a configuration that would make several instances diverge silently: a shared
    /// PostgreSQL database with the embedded search engine or local blob files (each instance
    /// would keep its own), unless `allow_local_state` says there is only one instance.
    pub fn check_deployment(&self) -> anyhow::Result<()> {
        let shared_db = self.database_url().starts_with("postgres");
        if !shared_db || self.allow_local_state {
            return Ok(());
        }
        let mut local = Vec::new();
        if self.meili_url.is_none() {
            local.push("pencarian tertanam (MEILI_URL kosong)");
        }
        if self.s3.is_none() {
            local.push("berkas foto lokal (S3_ENDPOINT kosong)");
        }
        if local.is_empty() {
            return Ok(());
        }
        anyhow::bail!(
            "Basis data PostgreSQL dipakai bersama, tetapi {} hanya ada di instans ini: instans \
             lain akan menjawab berbeda. Atur MEILI_URL dan S3_ENDPOINT, atau bila hanya ada satu \
             instans set ETALASE_ALLOW_LOCAL_STATE=1.",
            local.join(" dan ")
        )
    }

    /// The database URL in force (SQLite under `data_dir` unless one is configured).
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(u) => u.clone(),
            None => format!("sqlite://{}", self.data_dir.join("etalase.db").display()),
        }
    }

    /// The async runtime's worker threads: `workers` if set (at least 1), else half of
    /// `cores`, at least 1.
    pub fn worker_threads(&self, cores: usize) -> usize {
        self.workers.unwrap_or(cores / 2).max(1)
    }

    /// The runtime the server runs on, with `worker_threads` of this machine's cores.
    pub fn runtime(&self) -> std::io::Result<tokio::runtime::Runtime> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(self.worker_threads(cores()))
            .enable_all()
            .build()
    }

    pub fn blob_dir(&self) -> PathBuf {
        self.data_dir.join("blobs")
    }

    pub fn search_dir(&self) -> PathBuf {
        self.data_dir.join("search")
    }

    pub fn import_limits(&self) -> ImportLimits {
        ImportLimits {
            max_bytes: self.import_max_bytes,
            max_uncompressed: self.import_max_uncompressed_bytes,
            max_rows: self.import_max_rows,
            max_columns: self.import_max_columns,
        }
    }

    /// Largest body of a photo upload (every photo a product may hold, plus form overhead).
    pub fn photo_upload_bytes(&self) -> usize {
        self.photo_max_bytes.saturating_mul(self.max_photos_per_product + 1).saturating_add(1 << 20)
    }

    /// Largest body of a certificate upload (its document plus form fields).
    pub fn document_upload_bytes(&self) -> usize {
        self.max_document_bytes.saturating_add(64 * 1024)
    }

    pub fn photo_limits(&self) -> etalase_media::photo::PhotoLimits {
        etalase_media::photo::PhotoLimits {
            max_bytes: self.photo_max_bytes,
            max_dimension: self.photo_max_dimension,
            max_pixels: self.photo_max_pixels,
        }
    }
}

/// This machine's cores (1 if it cannot tell).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests;
