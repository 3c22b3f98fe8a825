//! Agreement states, actions, sides and the transition table.

use crate::code_enum::code_enum;
use crate::roles::Role;
use crate::transition::TransitionError;

code_enum! {
    /// Status of a placement agreement.
    pub enum AgreementStatus : "status perjanjian" {
        /// Offered by one side, waiting for the other.
        Proposed => ("proposed", "Diajukan"),
        /// The other side answered with changed terms.
        Countered => ("countered", "Ditawar balik"),
        /// Both agreed; waiting for the start date.
        Accepted => ("accepted", "Disepakati"),
        /// On the shelf.
        Active => ("active", "Berjalan"),
        /// Paused by the store (with a reason).
        Suspended => ("suspended", "Ditangguhkan"),
        /// Reached its end date.
        Ended => ("ended", "Selesai"),
        /// Ended early by one side (with a reason).
        Terminated => ("terminated", "Diakhiri lebih awal"),
        /// Refused by the other side.
        Rejected => ("rejected", "Ditolak"),
        /// Taken back by the side that offered it.
        Withdrawn => ("withdrawn", "Ditarik"),
    }
}

code_enum! {
    /// Something a person does to an agreement.
    pub enum AgreementAction : "tindakan perjanjian" {
        /// Agree to the offer on the table.
        Accept => ("accept", "Setujui"),
        /// Answer with changed terms.
        Counter => ("counter", "Tawar balik"),
        /// Refuse the offer.
        Reject => ("reject", "Tolak"),
        /// Take one's own offer back.
        Withdraw => ("withdraw", "Tarik"),
        /// Pause an active agreement (store only, with a reason).
        Suspend => ("suspend", "Tangguhkan"),
        /// Resume a suspended agreement (store only).
        Resume => ("resume", "Lanjutkan"),
        /// End an accepted, active or suspended agreement.
        End => ("end", "Akhiri"),
    }
}

code_enum! {
    /// The two parties of an agreement.
    pub enum Side : "pihak" {
        /// The store (its manager or its chain's office).
        Store => ("store", "Toko"),
        /// The UMKM producer.
        Producer => ("producer", "UMKM"),
    }
}

impl Side {
    /// The side a role acts for; `None` for the Dinas and admins, who only read (and for
    /// government buyers, who take no part in placements).
    pub fn of_role(role: Role) -> Option<Side> {
        match role {
            Role::Umkm => Some(Side::Producer),
            Role::Store | Role::Chain => Some(Side::Store),
            Role::Dinas | Role::Admin | Role::Buyer => None,
        }
    }

    /// The other party.
    pub fn other(self) -> Side {
        match self {
            Side::Store => Side::Producer,
            Side::Producer => Side::Store,
        }
    }
}

impl AgreementStatus {
    /// True while the offer is being negotiated.
    pub fn is_open(self) -> bool {
        matches!(self, AgreementStatus::Proposed | AgreementStatus::Countered)
    }

    /// True while the product holds (or will hold) a place on the shelf.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            AgreementStatus::Accepted | AgreementStatus::Active | AgreementStatus::Suspended
        )
    }

    /// True when nothing can happen any more.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            AgreementStatus::Ended
                | AgreementStatus::Terminated
                | AgreementStatus::Rejected
                | AgreementStatus::Withdrawn
        )
    }

    /// Applies `action` by `role`. `offer_by` is the side whose offer is on the table (the
    /// proposer, or the last to counter); `before_end` tells whether today is before the end
    /// date (ending then is a termination). Roles that never act and acts reserved to one side
    /// are `Forbidden`; acts that do not fit the status are `Invalid`.
    pub fn apply(
        self,
        action: AgreementAction,
        role: Role,
        offer_by: Side,
        before_end: bool,
    ) -> Result<AgreementStatus, TransitionError> {
        use AgreementAction as A;
        use AgreementStatus as S;
        let forbidden = TransitionError::Forbidden { role, action: action.as_str() };
        let Some(side) = Side::of_role(role) else {
            return Err(forbidden);
        };
        if matches!(action, A::Suspend | A::Resume) && side != Side::Store {
            return Err(forbidden);
        }
        let invalid = TransitionError::Invalid { from: self.as_str(), action: action.as_str() };
        match (self, action) {
            (S::Proposed | S::Countered, A::Accept | A::Counter | A::Reject) => {
                if side == offer_by {
                    return Err(forbidden);
                }
                Ok(match action {
                    A::Accept => S::Accepted,
                    A::Counter => S::Countered,
                    _ => S::Rejected,
                })
            }
            (S::Proposed | S::Countered, A::Withdraw) => {
                if side != offer_by {
                    return Err(forbidden);
                }
                Ok(S::Withdrawn)
            }
            (S::Active, A::Suspend) => Ok(S::Suspended),
            (S::Suspended, A::Resume) => Ok(S::Active),
            (S::Accepted | S::Active | S::Suspended, A::End) => {
                Ok(if before_end { S::Terminated } else { S::Ended })
            }
            _ => Err(invalid),
        }
    }

    /// True when this action needs a written reason (reject, suspend, early end).
    pub fn needs_reason(action: AgreementAction, before_end: bool) -> bool {
        matches!(action, AgreementAction::Reject | AgreementAction::Suspend)
            || (action == AgreementAction::End && before_end)
    }

    /// The actions `role` may take now (for buttons).
    pub fn available_actions(
        self,
        role: Role,
        offer_by: Side,
        before_end: bool,
    ) -> Vec<AgreementAction> {
        AgreementAction::all()
            .iter()
            .copied()
            .filter(|a| self.apply(*a, role, offer_by, before_end).is_ok())
            .collect()
    }
}
