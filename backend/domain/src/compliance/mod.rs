//! Owns compliance with Pasal 10(1)(b): the Dinas' versioned compliance policy (kebijakan
//! kepatuhan: at least N active agreements covering at least M local products from at least
//! K distinct producers, effective from a date), and the pure evaluation of one store on one
//! date — `patuh`, `berisiko` (compliant now, but agreements ending within 30 days would take
//! it below the policy) or `tidak_patuh` — with its figures, what it lacks, and the agreements
//! an inspection found missing from the shelf twice in a row.
//!
//! An agreement counts on date D when it was on the shelf that day: status `active` (or
//! `ended`, for a past date) and `start_date <= D < end_date` (the calendar ends an agreement
//! on its end date). Suspended agreements do not count: their products are off the shelf.

mod rules;

pub use rules::{
    AgreementFacts, COUNTING_STATUSES, Figures, InspectionFacts, Level, Policy, RISK_WINDOW_DAYS,
    Shortfall, Status, counts_on, evaluate, flagged_agreements, level_of, policy_in_force,
};

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
