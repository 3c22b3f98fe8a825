//! API tests against the running app, on SQLite by default and on PostgreSQL with
//! `ETALASE_TEST_DB=postgres` (what `make test` does second).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod smoke;

mod auth;
mod catalog;
mod certificates;
mod lifecycle;
mod openapi;
mod producers;
mod products;
mod users;
mod validation;
mod photos;
mod photos_hostile;
mod search;
mod standards;
mod eligibility;
mod agreements;
mod inbox;
mod matching;
mod stores;
mod retail_pages;
mod compliance;
mod compliance_world;
mod compliance_pages;
mod compliance_photos;
