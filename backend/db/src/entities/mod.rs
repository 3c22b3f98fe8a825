//! sea-orm entities: one file per table. Enum-like columns are stored as the domain's
//! snake_case codes (text), money as `i64` rupiah, times as UTC.

pub mod agreement;
pub mod agreement_event;
pub mod agreement_item;
pub mod audit;
pub mod certificate;
pub mod chain;
pub mod compliance_policy;
pub mod compliance_snapshot;
pub mod evaluation;
pub mod import_upload;
pub mod inspection;
pub mod inspection_item;
pub mod inspection_photo;
pub mod job;
pub mod notice;
pub mod outbox;
pub mod photo;
pub mod placement_plan;
pub mod procurement_budget;
pub mod procurement_buyer;
pub mod procurement_buyer_user;
pub mod procurement_purchase;
pub mod producer;
pub mod product;
pub mod session;
pub mod shortlist;
pub mod standard;
pub mod standard_version;
pub mod store;
pub mod task_run;
pub mod throttle_bucket;
pub mod user;
