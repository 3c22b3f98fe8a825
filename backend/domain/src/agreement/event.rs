//! What an agreement's history records: the action (a person's act, the first proposal or a
//! step of the calendar) and who did it (a side, or the system).

use super::advance::SystemStep;
use super::state::{AgreementAction, Side};
use crate::code_enum::code_enum;

code_enum! {
    /// The action an agreement event records.
    pub enum EventAction : "peristiwa perjanjian" {
        /// The first offer.
        Propose => ("propose", "Mengajukan"),
        Accept => ("accept", "Setujui"),
        Counter => ("counter", "Tawar balik"),
        Reject => ("reject", "Tolak"),
        Withdraw => ("withdraw", "Tarik"),
        Suspend => ("suspend", "Tangguhkan"),
        Resume => ("resume", "Lanjutkan"),
        End => ("end", "Akhiri"),
        /// The calendar: accepted → active on the start date.
        Activate => ("activate", "Mulai berjalan (otomatis)"),
        /// The calendar: active or suspended → ended on the end date.
        Expire => ("expire", "Selesai (otomatis)"),
    }
}

impl From<AgreementAction> for EventAction {
    fn from(a: AgreementAction) -> Self {
        match a {
            AgreementAction::Accept => EventAction::Accept,
            AgreementAction::Counter => EventAction::Counter,
            AgreementAction::Reject => EventAction::Reject,
            AgreementAction::Withdraw => EventAction::Withdraw,
            AgreementAction::Suspend => EventAction::Suspend,
            AgreementAction::Resume => EventAction::Resume,
            AgreementAction::End => EventAction::End,
        }
    }
}

impl From<SystemStep> for EventAction {
    fn from(s: SystemStep) -> Self {
        match s {
            SystemStep::Activate => EventAction::Activate,
            SystemStep::Expire => EventAction::Expire,
        }
    }
}

code_enum! {
    /// Who did what an agreement event records.
    pub enum Actor : "pelaku" {
        Store => ("store", "Toko"),
        Producer => ("producer", "UMKM"),
        /// The calendar.
        System => ("system", "Sistem"),
    }
}

impl From<Side> for Actor {
    fn from(s: Side) -> Self {
        match s {
            Side::Store => Actor::Store,
            Side::Producer => Actor::Producer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_match_the_actions_and_sides() {
        crate::code_enum::assert_serde_codes::<EventAction>();
        crate::code_enum::assert_serde_codes::<Actor>();
        for a in AgreementAction::all() {
            let e = EventAction::from(*a);
            assert_eq!((e.as_str(), e.label()), (a.as_str(), a.label()));
        }
        for s in Side::all() {
            let a = Actor::from(*s);
            assert_eq!((a.as_str(), a.label()), (s.as_str(), s.label()));
        }
        for s in [SystemStep::Activate, SystemStep::Expire] {
            assert_eq!(EventAction::from(s).as_str(), s.as_str());
        }
    }
}
