//! Accounts and access: password hashing, sessions (cookie for pages, bearer for the API),
//! CSRF tokens, the login throttle and the extractors that identify the caller.

pub mod extract;
pub mod password;
pub mod session;
pub mod throttle;

pub use extract::{ApiUser, ClientAddr, CurrentUser, MaybeUser};
