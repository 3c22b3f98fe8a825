//! API tests against the running app, on SQLite by default and on PostgreSQL with
//! `ETALASE_TEST_DB=postgres` (what `make test` does second).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod smoke;

mod accounts;
mod agreements;
mod auth;
mod business_scale;
mod catalog;
mod certificates;
mod compliance;
mod compliance_maintained;
mod compliance_pages;
mod compliance_photos;
mod compliance_world;
mod confirmations;
mod ekatalog;
mod eligibility;
mod get_forms;
mod hostile_import;
mod imports;
mod imports_page;
mod imports_stores;
mod inbox;
mod lifecycle;
mod matching;
mod matching_pool;
mod observe;
mod openapi;
mod pendampingan;
mod periodic;
mod permendag;
mod photos;
mod photos_hostile;
mod photos_s3;
mod placement_plan;
mod problems;
mod procurement;
mod procurement_access;
mod procurement_page;
mod producers;
mod products;
mod retail_pages;
mod risk_map;
mod search;
mod search_reindex;
mod session_pages;
mod standards;
mod store_actions;
mod stores;
mod trust_chain;
mod users;
mod validation;
mod write_path;
