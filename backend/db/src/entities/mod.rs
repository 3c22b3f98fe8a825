//! sea-orm entities: one file per table. Enum-like columns are stored as the domain's
//! snake_case codes (text), money as `i64` rupiah, times as UTC.

pub mod audit;
pub mod certificate;
pub mod chain;
pub mod photo;
pub mod producer;
pub mod product;
pub mod session;
pub mod store;
pub mod user;
