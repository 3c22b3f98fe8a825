//! The state every handler shares: database, blob store, clock, configuration and the login
//! throttle. Cheap to clone.

use std::sync::Arc;

use etalase_db::DatabaseConnection;
use etalase_domain::ports::{BlobStore, Clock};
use etalase_domain::search::SearchIndex;
use tokio::sync::{Notify, Semaphore};

use crate::auth::throttle::LoginThrottle;
use crate::config::Config;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub blobs: Arc<dyn BlobStore>,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    pub throttle: Arc<LoginThrottle>,
    /// Caps concurrent argon2 work (each hash takes ~19 MiB and tens of milliseconds).
    pub hash_permits: Arc<Semaphore>,
    /// Caps concurrent photo decoding (memory stays bounded under a burst of uploads).
    pub photo_permits: Arc<Semaphore>,
    /// The product search index (embedded engine or Meilisearch).
    pub search: Arc<dyn SearchIndex>,
    /// Wakes the search relay after a write.
    pub relay_wake: Arc<Notify>,
}
