//! The search contract: one set of fixtures (33 Kota Serang products), the same queries and
//! the same expected hits, totals and facet counts, run against the embedded engine always and
//! against Meilisearch when `MEILI_URL` (and optionally `MEILI_MASTER_KEY`) is set — each test
//! with its own temp dir / index uid. Without `MEILI_URL` the Meilisearch half is skipped with
//! a note, not failed. Expected sets come from the fixtures, not from either engine.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

#[path = "contract/filters.rs"]
mod filters;
#[path = "contract/order.rs"]
mod order;
#[path = "contract/text.rs"]
mod text;
#[path = "contract/writes.rs"]
mod writes;
