//! Browser tests in headless Chromium (Debian's chromium + chromium-driver). Screenshots of
//! each page land in `target/screenshots/` for a person to look at.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod catalog_flow;
mod compliance_flow;
#[path = "../api/helpers/mod.rs"]
mod helpers;
mod import_flow;
mod lists_flow;
mod notice_flow;
mod plan_flow;
mod procurement_flow;
mod review_flow;
mod session_flow;
mod store_flow;
mod webdriver;
