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
    /// Lifetime of a browser session, hours.
    pub web_session_hours: i64,
    /// Lifetime of an API bearer token, hours.
    pub api_token_hours: i64,
    /// Mark session cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Largest certificate document accepted, bytes.
    pub max_document_bytes: usize,
    /// Failed logins allowed per account (and ×4 per address) within `login_window_secs`.
    pub login_max_failures: u32,
    pub login_window_secs: u64,
    /// Digits after MD/ML in a BPOM number.
    pub bpom_digits: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./data"),
            database_url: None,
            bind: "127.0.0.1:8080".to_string(),
            web_session_hours: 12,
            api_token_hours: 24 * 30,
            secure_cookies: false,
            max_document_bytes: 5 * 1024 * 1024,
            login_max_failures: 5,
            login_window_secs: 15 * 60,
            bpom_digits: 12,
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
        toml::from_str(&text).with_context(|| format!("berkas konfigurasi {} tidak sah", path.display()))
    }

    /// Applies `ETALASE_*` variables (and `DATABASE_URL`) read through `get`.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        fn num<T: std::str::FromStr>(name: &str, v: String) -> anyhow::Result<T> {
            v.trim()
                .parse()
                .map_err(|_| anyhow::anyhow!("variabel lingkungan {name} harus berupa angka, bukan {v:?}"))
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
        if let Some(v) = get("ETALASE_BPOM_DIGITS") {
            self.bpom_digits = num("ETALASE_BPOM_DIGITS", v)?;
        }
        Ok(())
    }

    /// The database URL in force (SQLite under `data_dir` unless one is configured).
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(u) => u.clone(),
            None => format!("sqlite://{}", self.data_dir.join("etalase.db").display()),
        }
    }

    pub fn blob_dir(&self) -> PathBuf {
        self.data_dir.join("blobs")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order_file_then_env_then_flags() {
        let mut c: Config = toml::from_str("bind = \"0.0.0.0:9000\"\nweb_session_hours = 3\n").unwrap();
        assert_eq!(c.bind, "0.0.0.0:9000");
        assert_eq!(c.web_session_hours, 3);
        assert_eq!(c.api_token_hours, Config::default().api_token_hours);
        c.apply_env(|k| match k {
            "ETALASE_BIND" => Some("127.0.0.1:7000".into()),
            "DATABASE_URL" => Some("postgres://x@localhost/db".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.bind, "127.0.0.1:7000");
        assert_eq!(c.database_url(), "postgres://x@localhost/db");
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        assert!(toml::from_str::<Config>("bnid = \"x\"").is_err());
    }

    #[test]
    fn a_non_numeric_env_value_names_the_variable() {
        let mut c = Config::default();
        let err = c
            .apply_env(|k| (k == "ETALASE_WEB_SESSION_HOURS").then(|| "dua".to_string()))
            .unwrap_err();
        assert!(err.to_string().contains("ETALASE_WEB_SESSION_HOURS"));
    }

    #[test]
    fn default_database_is_sqlite_in_the_data_dir() {
        let c = Config { data_dir: PathBuf::from("/tmp/x"), ..Config::default() };
        assert_eq!(c.database_url(), "sqlite:///tmp/x/etalase.db");
    }
}
