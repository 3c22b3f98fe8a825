//! The adapter's tuning: how long it waits for tasks and for a search.

use std::time::Duration;

/// Tuning of the adapter.
#[derive(Debug, Clone)]
pub struct MeiliOptions {
    /// How long to wait for one task (settings on a big index take a while).
    pub task_timeout: Duration,
    /// First pause between task polls (doubles up to 1 s).
    pub poll_interval: Duration,
    /// How long one search's request may take, from connecting to the last byte of the
    /// answer; longer and the search is abandoned as unavailable (a stalled engine does not
    /// hold the page or the caller's connection).
    pub search_timeout: Duration,
}

impl Default for MeiliOptions {
    fn default() -> Self {
        MeiliOptions {
            task_timeout: Duration::from_secs(60),
            poll_interval: Duration::from_millis(25),
            search_timeout: Duration::from_secs(10),
        }
    }
}
