//! Owns placement agreements (perjanjian penempatan): their states, who may move them
//! (only the side that did not make the offer on the table may accept, counter or reject;
//! the offering side may withdraw; the store suspends and resumes; either side ends), the
//! terms and their checks against Permendag 23/2021, and what the calendar advances by itself.
//!
//! Dates: an accepted agreement becomes active on its start date; an active (or suspended)
//! one ends on its end date (status `ended` from that day on).

mod advance;
mod event;
mod permendag;
mod state;
mod terms;

pub use advance::{SystemStep, due_steps};
pub use event::{Actor, EventAction};
pub use permendag::{
    BINDING, ChainFeeTotal, LISTING_FEE_CHAIN_MAX, Limit, OutletFee, chain_flag, chain_listing_fee,
    own_breaches,
};
pub use state::{AgreementAction, AgreementStatus, Side};
pub use terms::{
    ItemInput, LISTING_FEE_MAX, Scheme, TERM_FEE_MAX_PERCENT, TermsFlag, TermsInput, ValidTerms,
};

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
