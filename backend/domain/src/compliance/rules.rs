//! The compliance rules: which policy is in force, what counts, the level and the shortfalls.

use std::collections::BTreeSet;

use chrono::{NaiveDate, TimeDelta};
use serde::Serialize;

use crate::agreement::AgreementStatus;
use crate::code_enum::code_enum;

/// Agreements ending within this many days put a compliant store at risk.
pub const RISK_WINDOW_DAYS: i64 = 30;
/// Statuses of agreements that may count on a date (`ended` only for dates before the end).
pub const COUNTING_STATUSES: [AgreementStatus; 2] =
    [AgreementStatus::Active, AgreementStatus::Ended];

code_enum! {
    /// The compliance level of a store on a date.
    pub enum Level : "tingkat kepatuhan" {
        /// Meets the policy, and will still in 30 days with the agreements it has.
        Patuh => ("patuh", "Patuh"),
        /// Meets the policy today, but agreements ending within 30 days would take it below.
        Berisiko => ("berisiko", "Berisiko"),
        /// Below the policy.
        TidakPatuh => ("tidak_patuh", "Tidak patuh"),
    }
}

/// One version of the compliance policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub id: i64,
    pub min_agreements: i64,
    pub min_products: i64,
    pub min_producers: i64,
    pub effective_from: NaiveDate,
}

/// The version in force on `date`: the latest `effective_from` not after `date` (the later
/// one on a tie).
pub fn policy_in_force(policies: &[Policy], date: NaiveDate) -> Option<&Policy> {
    policies.iter().filter(|p| p.effective_from <= date).max_by_key(|p| (p.effective_from, p.id))
}

/// What the evaluation needs of one agreement of the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementFacts {
    pub id: i64,
    pub producer_id: i64,
    pub status: AgreementStatus,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub product_ids: Vec<i64>,
}

/// One inspection of the store: the products seen on the shelf and those not seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionFacts {
    pub date: NaiveDate,
    pub seen: Vec<i64>,
    pub not_seen: Vec<i64>,
}

/// The store's figures against the policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub agreements: i64,
    pub products: i64,
    pub producers: i64,
}

/// One thing the store lacks against the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    /// `agreements`, `products` or `producers`.
    pub kind: &'static str,
    pub required: i64,
    pub actual: i64,
    /// In Indonesian, e.g. "Kurang 2 perjanjian aktif (ada 1 dari minimal 3)".
    pub message: String,
}

/// The status of one store on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub level: Level,
    pub figures: Figures,
    /// Figures counting only agreements that are still running after the 30-day window.
    pub figures_in_30_days: Figures,
    /// Against the policy today (empty when compliant).
    pub shortfalls: Vec<Shortfall>,
    /// Counting agreements that end within 30 days.
    pub ending_soon: Vec<i64>,
    /// Counting agreements whose products were not seen on the last two inspections.
    pub flagged: Vec<i64>,
}

/// True when `a` was on the shelf on `date`.
pub fn counts_on(a: &AgreementFacts, date: NaiveDate) -> bool {
    COUNTING_STATUSES.contains(&a.status) && a.start_date <= date && date < a.end_date
}

fn figures<'a>(agreements: impl Iterator<Item = &'a AgreementFacts>) -> Figures {
    let (mut n, mut products, mut producers) = (0, BTreeSet::new(), BTreeSet::new());
    for a in agreements {
        n += 1;
        products.extend(a.product_ids.iter().copied());
        producers.insert(a.producer_id);
    }
    Figures { agreements: n, products: products.len() as i64, producers: producers.len() as i64 }
}

fn meets(p: &Policy, f: &Figures) -> bool {
    f.agreements >= p.min_agreements
        && f.products >= p.min_products
        && f.producers >= p.min_producers
}

/// The level from figures today and figures after the 30-day window (the SQL aggregation
/// in `etalase-db` computes the same rule with CASE expressions).
pub fn level_of(p: &Policy, now: &Figures, in_30_days: &Figures) -> Level {
    match (meets(p, now), meets(p, in_30_days)) {
        (false, _) => Level::TidakPatuh,
        (true, false) => Level::Berisiko,
        (true, true) => Level::Patuh,
    }
}

fn shortfalls(p: &Policy, f: &Figures) -> Vec<Shortfall> {
    [
        ("agreements", p.min_agreements, f.agreements, "perjanjian aktif"),
        ("products", p.min_products, f.products, "produk lokal"),
        ("producers", p.min_producers, f.producers, "UMKM berbeda"),
    ]
    .into_iter()
    .filter(|(_, req, act, _)| act < req)
    .map(|(kind, required, actual, what)| Shortfall {
        kind,
        required,
        actual,
        message: format!(
            "Kurang {} {what} (ada {actual} dari minimal {required}).",
            required - actual
        ),
    })
    .collect()
}

/// Agreements (among `agreements`) whose products were all not seen on the last two
/// inspections (on or before `date`) that recorded any of them.
pub fn flagged_agreements(
    agreements: &[AgreementFacts],
    inspections: &[InspectionFacts],
    date: NaiveDate,
) -> Vec<i64> {
    let mut ordered: Vec<&InspectionFacts> =
        inspections.iter().filter(|i| i.date <= date).collect();
    ordered.sort_by_key(|i| i.date);
    agreements
        .iter()
        .filter(|a| {
            let mine = |ids: &[i64]| ids.iter().any(|p| a.product_ids.contains(p));
            let relevant: Vec<&&InspectionFacts> = ordered
                .iter()
                .filter(|i| i.date >= a.start_date && (mine(&i.seen) || mine(&i.not_seen)))
                .collect();
            relevant.len() >= 2 && relevant.iter().rev().take(2).all(|i| !mine(&i.seen))
        })
        .map(|a| a.id)
        .collect()
}

/// Evaluates one store's agreements and inspections against `policy` on `date`.
pub fn evaluate(
    policy: &Policy,
    agreements: &[AgreementFacts],
    inspections: &[InspectionFacts],
    date: NaiveDate,
) -> Status {
    let counting: Vec<AgreementFacts> =
        agreements.iter().filter(|a| counts_on(a, date)).cloned().collect();
    let horizon = date + TimeDelta::days(RISK_WINDOW_DAYS);
    let now = figures(counting.iter());
    let later = figures(counting.iter().filter(|a| a.end_date > horizon));
    let ending_soon = counting.iter().filter(|a| a.end_date <= horizon).map(|a| a.id).collect();
    Status {
        level: level_of(policy, &now, &later),
        figures: now,
        figures_in_30_days: later,
        shortfalls: shortfalls(policy, &now),
        ending_soon,
        flagged: flagged_agreements(&counting, inspections, date),
    }
}
