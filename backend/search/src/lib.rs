//! Etalase search: the two adapters of the domain's `SearchIndex` port, configured from one
//! settings file (`search-config/products.json`, embedded here as `PRODUCTS_SETTINGS_JSON`).
//!
//! - `EmbeddedIndex` — a tantivy index in a directory (the default, `./data/search/`).
//! - `MeiliIndex` — Meilisearch through `meilisearch-sdk` (`MEILI_URL`, `MEILI_MASTER_KEY`).
//!
//! Both give the same answers to the same queries (the contract tests in
//! `tests/contract.rs` run one suite against each). Module map: `settings` (the file),
//! `revision` (newer documents are never replaced by older ones), `plan`/`typo`/`text`/`marks` (query rules the embedded engine shares with Meilisearch's
//! behaviour), `embedded`, `meili`, `error`.

pub mod embedded;
pub mod error;
pub mod marks;
pub mod meili;
pub mod plan;
pub mod revision;
pub mod settings;
pub mod text;
pub mod typo;

pub use embedded::EmbeddedIndex;
pub use error::{Error, Result};
pub use meili::{MeiliIndex, MeiliOptions, filter_expression};

pub use settings::{PRODUCTS_SETTINGS_JSON, Settings};
