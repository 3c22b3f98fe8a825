//! Use cases shared by the JSON API and the HTML pages: each takes the caller, checks access
//! (object-level: a UMKM touches only its own records), validates through `etalase-domain`
//! and stores through `etalase-db`. Nothing here imports `api` or `pages`.
//!
//! Inside: `access` (who may see and change what), `upload` and `files` (reading and storing
//! uploaded files), `catalog` (products, certificates, photos and the one write path every
//! listing change takes), `search_sync` (outbox relay, reindex, drift), `standards`, the retail
//! side (`retail`, `matching`, `agreements`), `compliance`, `producers` and `users`.

pub mod access;
pub mod accounts;
pub mod agreements;
pub mod business_history;
pub mod catalog;
pub mod compliance;
pub mod ekatalog;
pub mod files;
pub mod imports;
pub mod input;
pub mod kelurahan_map;
pub mod matching;
pub mod media_gc;
pub mod patch;
pub mod pendampingan;
pub mod periodic;
pub mod placement_plan;
pub mod procurement;
pub mod producers;
pub mod retail;
pub mod risk_map;
pub mod search_sync;
pub mod standards;
pub mod store_side;
pub mod upload;
pub mod users;

use etalase_db::repo::PageReq;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// `?page=&per_page=` of list endpoints.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// 1-based page number (default 1).
    #[serde(default, deserialize_with = "crate::service::input::page_number")]
    pub page: Option<u64>,
    /// Rows per page, 1–100 (default 20).
    pub per_page: Option<u64>,
}

impl PageQuery {
    pub fn req(&self) -> PageReq {
        PageReq::new(self.page.unwrap_or(1), self.per_page.unwrap_or(20))
    }
}

/// A page of results.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paginated<T> {
    pub items: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    pub total_pages: u64,
}

impl<T> Paginated<T> {
    pub fn new(items: Vec<T>, page: u64, per_page: u64, total: u64) -> Self {
        let total_pages = total.div_ceil(per_page.max(1));
        Self { items, page, per_page, total, total_pages }
    }
}

/// Trims; an empty string is absent.
pub fn clean(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}
