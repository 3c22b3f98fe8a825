//! What the calendar does by itself: an accepted agreement becomes active on its start date;
//! an active or suspended one ends on its end date.

use super::state::AgreementStatus;
use chrono::NaiveDate;
use serde::Serialize;

/// One automatic step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SystemStep {
    /// Accepted → active (start date reached).
    Activate,
    /// Active or suspended → ended (end date reached).
    Expire,
}

impl SystemStep {
    /// Stable code, used as the event's action.
    pub fn as_str(self) -> &'static str {
        match self {
            SystemStep::Activate => "activate",
            SystemStep::Expire => "expire",
        }
    }
}

/// The steps due today, in order, with the status each leads to. An accepted agreement
/// whose end date already passed is activated and then ended (two events).
pub fn due_steps(
    status: AgreementStatus,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> Vec<(SystemStep, AgreementStatus)> {
    let mut out = Vec::new();
    let mut s = status;
    if s == AgreementStatus::Accepted && start <= today {
        out.push((SystemStep::Activate, AgreementStatus::Active));
        s = AgreementStatus::Active;
    }
    if matches!(s, AgreementStatus::Active | AgreementStatus::Suspended) && end <= today {
        out.push((SystemStep::Expire, AgreementStatus::Ended));
    }
    out
}
