//! Background work and time in tests: instead of sleeping until the search relay or a standard
//! re-evaluation job gets there, a test drains them; and the clocks a test may read.

use chrono::{DateTime, Utc};
use etalase_domain::ports::{Clock, SystemClock};
use etalase_server::service::search_sync;

use super::TestApp;

impl TestApp {
    /// Runs the search relay now until the outbox has no due row (the index then answers with
    /// every change committed so far).
    pub async fn drain_search(&self) {
        search_sync::drain(&self.state).await.expect("the search relay drains the outbox");
    }

    /// Waits for every background job the app started (standard re-evaluations) to finish.
    pub async fn drain_jobs(&self) {
        self.state.background.drain().await;
    }

    /// Finishes all background work: jobs first (they enqueue search updates), then the relay.
    pub async fn settle(&self) {
        self.drain_jobs().await;
        self.drain_search().await;
    }

    /// Moves the app's (test) clock forward.
    pub fn advance(&self, by: chrono::Duration) {
        self.clock.set(self.clock.now() + by);
    }

    /// The app's (test) clock's time.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// The real time, for comparisons with a blob store's modification times (the media sweep).
pub fn wall_clock_now() -> DateTime<Utc> {
    SystemClock.now()
}
