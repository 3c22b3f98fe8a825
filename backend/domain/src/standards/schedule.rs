//! When stored evaluations go stale: which version of a standard is in force on a date, and
//! whether a certificate's expiry (or its 30-day warning) happened since a product was last
//! evaluated — "what needs re-evaluation today".

use chrono::{NaiveDate, TimeDelta};

use crate::certificate::EXPIRING_SOON_DAYS;

/// The version in force on `date`: the one with the latest `effective_from` not after
/// `date` (the later-published one on a tie). `versions` are `(id, effective_from)`.
pub fn version_in_force(versions: &[(i64, NaiveDate)], date: NaiveDate) -> Option<i64> {
    versions
        .iter()
        .filter(|(_, from)| *from <= date)
        .max_by_key(|(id, from)| (*from, *id))
        .map(|(id, _)| *id)
}

/// True when an evaluation made on `evaluated_on` may differ today because a certificate
/// expiring on one of `expiries` crossed a boundary in `(evaluated_on, today]`: its 30-day
/// warning began, or it expired (the day after its last valid day).
pub fn needs_reevaluation(
    evaluated_on: NaiveDate,
    today: NaiveDate,
    expiries: &[NaiveDate],
) -> bool {
    if today <= evaluated_on {
        return false;
    }
    expiries.iter().any(|e| {
        let warning_from = *e - TimeDelta::days(EXPIRING_SOON_DAYS);
        let expired_from = *e + TimeDelta::days(1);
        [warning_from, expired_from].iter().any(|b| *b > evaluated_on && *b <= today)
    })
}
