//! Repositories: the queries the server needs, as plain async functions over any
//! `ConnectionTrait` (a pool or a transaction), so a caller can group writes in one transaction.

pub mod accounts;
pub mod agreements;
pub mod audit;
pub mod certificates;
pub mod chains;
pub mod compliance;
pub mod evaluations;
pub mod inspection_photos;
pub mod jobs;
pub mod matching;
pub mod outbox;
pub mod photos;
pub mod procurement;
pub mod producers;
pub mod products;
pub mod sessions;
pub mod standards;
pub mod stores;
pub mod task_runs;
pub mod throttle;
pub mod users;
pub mod versioned;

/// A page of rows and the total that matched.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// Page request: 1-based page, 1..=100 rows a page.
#[derive(Debug, Clone, Copy)]
pub struct PageReq {
    pub page: u64,
    pub per_page: u64,
}

impl PageReq {
    pub fn new(page: u64, per_page: u64) -> Self {
        Self { page: page.max(1), per_page: per_page.clamp(1, 100) }
    }
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.per_page
    }
}

/// Result of an update guarded by an expected version (see [`versioned::update`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Versioned<T> {
    Updated(T),
    Stale,
    Missing,
}
