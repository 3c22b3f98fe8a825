//! The state every handler shares: database, blob store, clock, configuration and the
//! password-hashing pools. Cheap to clone (one `Arc`). Also `BackgroundTasks`: work started after a request that tests
//! (and shutdown) can wait for.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use etalase_db::DatabaseConnection;
use etalase_domain::ports::{BlobStore, Clock};
use etalase_domain::search::SearchIndex;
use tokio::sync::{Notify, Semaphore};

use crate::auth::password::HashPool;
use crate::config::Config;

/// The shared state: one allocation, so a clone (several per request: extractors, middleware)
/// is one reference count, not one per part.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }

    /// A copy with `edit` applied (tests: a second instance's state over the same parts).
    pub fn edited(&self, edit: impl FnOnce(&mut Shared)) -> AppState {
        let mut shared = (*self.0).clone();
        edit(&mut shared);
        AppState::new(shared)
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What `AppState` holds.
#[derive(Clone)]
pub struct Shared {
    pub db: DatabaseConnection,
    pub blobs: Arc<dyn BlobStore>,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    /// argon2 work (each ~19 MiB and tens of milliseconds): password checks at login, and new
    /// passwords, each with its own bounded queue.
    pub password_checks: Arc<HashPool>,
    pub new_passwords: Arc<HashPool>,
    /// Caps concurrent photo decoding (memory stays bounded under a burst of uploads).
    pub photo_permits: Arc<Semaphore>,
    /// The product search index (embedded engine or Meilisearch).
    pub search: Arc<dyn SearchIndex>,
    /// Wakes the search relay after a write.
    pub relay_wake: Arc<Notify>,
    /// One search relay pass at a time in this process (the background relay and `drain`).
    pub relay_pass: Arc<tokio::sync::Mutex<()>>,
    /// Jobs started in the background (standard re-evaluations), so they can be awaited.
    pub background: Arc<BackgroundTasks>,
    /// This instance's name in claims and leases (`pid-random`).
    pub instance: Arc<str>,
    /// Counters for `GET /metrics`.
    pub metrics: Arc<crate::observe::Metrics>,
}

/// Counts tasks started in the background and wakes whoever waits for them all to finish.
/// The tasks run detached (like `tokio::spawn`); only the count is kept.
#[derive(Debug, Default)]
pub struct BackgroundTasks {
    running: AtomicUsize,
    idle: Notify,
}

impl BackgroundTasks {
    /// Starts `task` on the runtime and counts it until it ends (or panics).
    pub fn spawn(self: &Arc<Self>, task: impl Future<Output = ()> + Send + 'static) {
        self.running.fetch_add(1, Ordering::SeqCst);
        let ended = Ended(self.clone());
        tokio::spawn(async move {
            let _ended = ended;
            task.await;
        });
    }

    /// Waits until no counted task is running (including tasks started while waiting).
    pub async fn drain(&self) {
        loop {
            let idle = self.idle.notified();
            tokio::pin!(idle);
            idle.as_mut().enable();
            if self.running.load(Ordering::SeqCst) == 0 {
                return;
            }
            idle.await;
        }
    }
}

/// Uncounts a task when dropped, whether it finished or panicked.
struct Ended(Arc<BackgroundTasks>);

impl Drop for Ended {
    fn drop(&mut self) {
        if self.0.running.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}
