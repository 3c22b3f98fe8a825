//! `spawn_app()` and `TestApp`: each test gets its own server on a free port, its own database
//! (a SQLite file, or a fresh PostgreSQL database when `ETALASE_TEST_DB=postgres`), its own
//! blob folder and a clock it can move. Everything is removed when the `TestApp` is dropped.
//! The rest lives beside it: `requests` (callers, requests and the common arrangements),
//! `bodies` (valid request bodies), `asserts` (problem+json and status checks) and `background`
//! (draining the search relay and jobs instead of sleeping, the clocks).

#![allow(dead_code)]

mod asserts;
mod background;
mod bodies;
mod lists;
mod requests;

// The browser tests include this module too and use only part of it.
#[allow(unused_imports)]
pub use {asserts::*, background::*, bodies::*, lists::*, requests::*};

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use etalase_domain::ports::Clock;
use etalase_server::state::AppState;
use etalase_server::{Application, Config};
use reqwest::Client;

/// A clock the test can set.
pub struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    pub fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = t;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct TestApp {
    pub address: String,
    pub state: AppState,
    pub clock: Arc<TestClock>,
    pub client: Client,
    data_dir: PathBuf,
    pg_db: Option<(String, String)>,
}

pub(crate) fn unique() -> String {
    use rand::Rng;
    format!("{}_{:08x}", std::process::id(), rand::thread_rng().r#gen::<u32>())
}

pub fn pg_admin_url() -> String {
    std::env::var("ETALASE_TEST_PG_URL").unwrap_or_else(|_| {
        let port = std::env::var("ETALASE_TEST_PG_PORT").unwrap_or_else(|_| "55432".into());
        format!("postgres://postgres@127.0.0.1:{port}/postgres")
    })
}

pub fn on_postgres() -> bool {
    std::env::var("ETALASE_TEST_DB").is_ok_and(|v| v == "postgres")
}

async fn create_pg_database(name: &str) -> String {
    use sea_orm::ConnectionTrait;
    let admin = pg_admin_url();
    let conn = sea_orm::Database::connect(&admin)
        .await
        .expect("PostgreSQL for tests is not running (make services)");
    conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create test database");
    conn.close().await.ok();
    let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin);
    format!("{base}/{name}")
}

/// Jakarta noon on 1 June 2026 — a fixed "today" for tests.
pub fn test_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 5, 0, 0).single().expect("valid time")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}, None).await
}

/// Like `spawn_app`, with changes to the configuration and, optionally, another blob store.
pub async fn spawn_app_with(
    tweak: impl FnOnce(&mut Config),
    blobs: Option<Arc<dyn etalase_domain::ports::BlobStore>>,
) -> TestApp {
    spawn_app_full(tweak, blobs, None).await
}

/// Wraps the test app's search index (e.g. to take it down).
pub type WrapIndex = Box<
    dyn FnOnce(
        Arc<dyn etalase_domain::search::SearchIndex>,
    ) -> Arc<dyn etalase_domain::search::SearchIndex>,
>;

/// Like `spawn_app_with`, and `search` wraps the configured index (to take it down in tests).
pub async fn spawn_app_full(
    tweak: impl FnOnce(&mut Config),
    blobs: Option<Arc<dyn etalase_domain::ports::BlobStore>>,
    search: Option<WrapIndex>,
) -> TestApp {
    let id = unique();
    let data_dir = std::env::temp_dir().join(format!("etalase-test-{id}"));
    let pg_db = if on_postgres() {
        let name = format!("etalase_t_{id}");
        let url = create_pg_database(&name).await;
        Some((name, url))
    } else {
        None
    };
    let mut config = Config {
        data_dir: data_dir.clone(),
        database_url: pg_db.as_ref().map(|(_, u)| u.clone()),
        bind: "127.0.0.1:0".into(),
        max_document_bytes: 256 * 1024,
        ..Config::default()
    };
    tweak(&mut config);
    let clock = Arc::new(TestClock(Mutex::new(test_now())));
    let blobs = blobs.unwrap_or_else(|| etalase_server::app::blob_store_for(&config));
    let index = etalase_server::service::search_sync::open_search(&config)
        .await
        .expect("search index opens");
    let index = match search {
        Some(wrap) => wrap(index),
        None => index,
    };
    let app = Application::build_with_search(config, clock.clone(), blobs, index)
        .await
        .expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    let client = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp { address, state, clock, client, data_dir, pg_db }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
        if let Some((name, _)) = self.pg_db.take() {
            let admin = pg_admin_url();
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build()
                else {
                    return;
                };
                rt.block_on(async {
                    use sea_orm::ConnectionTrait;
                    if let Ok(conn) = sea_orm::Database::connect(&admin).await {
                        let _ = conn
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                        let _ = conn.close().await;
                    }
                });
            })
            .join();
        }
    }
}
