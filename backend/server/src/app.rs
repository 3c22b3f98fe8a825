//! `Application::build(config)` connects, migrates, binds (port 0 in tests) and serves until
//! stopped. `main` stays thin.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use etalase_db::{DatabaseConnection, connect, migrate};
use etalase_domain::ports::{BlobStore, Clock, SystemClock};
use etalase_domain::search::SearchIndex;
use etalase_media::{LocalBlobStore, S3BlobStore};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::auth::password::HashPool;
use crate::config::Config;
use crate::state::AppState;

pub struct Application {
    listener: TcpListener,
    port: u16,
    router: Router,
    state: AppState,
}

/// Opens the database and brings its schema up to date.
pub async fn open_database(config: &Config) -> anyhow::Result<DatabaseConnection> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!("tidak bisa membuat folder data {}", config.data_dir.display())
        })?;
    }
    let url = config.database_url();
    let db = connect(&url)
        .await
        .with_context(|| format!("tidak bisa membuka basis data {}", redact(&url)))?;
    migrate(&db).await.context("migrasi basis data gagal")?;
    Ok(db)
}

/// The database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..s], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// The blob store the configuration selects.
pub fn blob_store_for(config: &Config) -> Arc<dyn BlobStore> {
    match &config.s3 {
        Some(s3) => Arc::new(S3BlobStore::new(&s3.to_media())),
        None => Arc::new(LocalBlobStore::new(config.blob_dir())),
    }
}

/// Shared state for command-line work that never searches (`seed-demo`, `user create`, …):
/// writes still reach the search outbox, which the server's relay drains.
pub fn state_for(config: Config, db: DatabaseConnection, clock: Arc<dyn Clock>) -> AppState {
    let blobs = blob_store_for(&config);
    state_with(config, db, clock, blobs, Arc::new(crate::service::search_sync::OfflineIndex))
}

/// Builds the shared state with a given blob store and search index.
pub fn state_with(
    config: Config,
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    blobs: Arc<dyn BlobStore>,
    search: Arc<dyn SearchIndex>,
) -> AppState {
    // The photo pipeline's encode threads share the same budget as the photos in flight.
    etalase_media::photo::threads().set_capacity(config.photo_concurrency.max(1));
    AppState::new(crate::state::Shared {
        search,
        relay_wake: Arc::new(tokio::sync::Notify::new()),
        relay_pass: Arc::new(tokio::sync::Mutex::new(())),
        background: Arc::default(),
        metrics: Arc::default(),
        instance: format!("{}-{:08x}", std::process::id(), rand::random::<u32>()).into(),
        db,
        blobs,
        clock,
        password_checks: Arc::new(HashPool::new(2, config.hash_queue)),
        new_passwords: Arc::new(HashPool::new(1, (config.hash_queue / 4).max(1))),
        photo_permits: Arc::new(Semaphore::new(config.photo_concurrency.max(1))),
        config: Arc::new(config),
    })
}

pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .merge(crate::api::router(&state.config))
        .merge(crate::pages::router(&state))
        .route("/metrics", axum::routing::get(crate::observe::metrics))
        .route_layer(axum::middleware::from_fn(crate::observe::label_route))
        .fallback(crate::pages::guard::fallback)
        .layer(axum::extract::DefaultBodyLimit::max(crate::extract::BODY_LIMIT_BYTES));
    // One outer layer (`observe`) also sets the security headers and turns axum's bare 405
    // under `/api/` into problem+json: it was five layers, each a future more to poll on every
    // wake of every request.
    crate::panic_guard::guard(routes)
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::observe::observe))
        .with_state(state)
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let blobs = blob_store_for(&config);
        Self::build_with_parts(config, clock, blobs).await
    }

    /// Builds with a given clock and blob store (tests inject failing stores).
    pub async fn build_with_parts(
        config: Config,
        clock: Arc<dyn Clock>,
        blobs: Arc<dyn BlobStore>,
    ) -> anyhow::Result<Self> {
        let search = crate::service::search_sync::open_search(&config).await?;
        Self::build_with_search(config, clock, blobs, search).await
    }

    /// Builds with every port given (tests wrap the search index to take it down).
    pub async fn build_with_search(
        config: Config,
        clock: Arc<dyn Clock>,
        blobs: Arc<dyn BlobStore>,
        search: Arc<dyn SearchIndex>,
    ) -> anyhow::Result<Self> {
        let db = open_database(&config).await?;
        let bind = config.bind.clone();
        let state = state_with(config, db, clock, blobs, search);
        let listener = TcpListener::bind(&bind)
            .await
            .with_context(|| format!("tidak bisa mendengarkan di {bind}"))?;
        let port = listener.local_addr()?.port();
        Ok(Self { listener, port, router: router(state.clone()), state })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        crate::service::media_gc::spawn_periodic(self.state.clone());
        crate::service::agreements::spawn_periodic(self.state.clone());
        crate::service::standards::spawn_periodic(self.state.clone());
        crate::service::compliance::spawn_periodic(self.state.clone());
        crate::service::search_sync::spawn_initial_build(self.state.clone());
        if self.state.config.search_relay {
            crate::service::search_sync::spawn_relay(self.state.clone());
        }
        // Answers go out as they are written: without TCP_NODELAY the last part of an answer
        // larger than a segment can wait for the client's delayed ACK.
        let listener = axum::serve::ListenerExt::tap_io(self.listener, |tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "TCP_NODELAY tidak bisa dipasang");
            }
        });
        axum::serve(listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://etalase:rahasia@db:5432/etalase"),
            "postgres://etalase:***@db:5432/etalase"
        );
        assert_eq!(redact("sqlite://data/etalase.db"), "sqlite://data/etalase.db");
    }
}
