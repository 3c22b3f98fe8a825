//! Owns the product listing lifecycle: draft → submitted → published, or rejected (with a
//! reason, stored elsewhere), or archived; who may move a listing between those states.

pub use crate::transition::TransitionError;

use crate::code_enum::code_enum;
use crate::roles::Role;

code_enum! {
    /// Status of a product listing.
    pub enum ListingStatus : "status produk" {
        /// Being written by the owner; not visible to others.
        Draft => ("draft", "Draf"),
        /// Waiting for a Dinas officer's review.
        Submitted => ("submitted", "Menunggu tinjauan"),
        /// Visible in the public catalog and to stores.
        Published => ("published", "Tayang"),
        /// Refused by the Dinas; the owner may edit and submit again.
        Rejected => ("rejected", "Ditolak"),
        /// Withdrawn for good.
        Archived => ("archived", "Diarsipkan"),
    }
}

code_enum! {
    /// Something done to a listing's status.
    pub enum ListingAction : "tindakan" {
        /// Owner sends a draft (or a rejected listing) for review.
        Submit => ("submit", "Ajukan"),
        /// Dinas approves a submitted listing.
        Publish => ("publish", "Tayangkan"),
        /// Dinas refuses a submitted listing or takes down a published one.
        Reject => ("reject", "Tolak"),
        /// Owner or Dinas withdraws the listing.
        Archive => ("archive", "Arsipkan"),
        /// Owner pulls a published listing back to draft to edit it.
        Revise => ("revise", "Ajukan perubahan"),
    }
}

impl ListingAction {
    /// True when `role` may ever perform this action.
    pub fn allowed_for(self, role: Role) -> bool {
        match self {
            ListingAction::Submit | ListingAction::Revise => role == Role::Umkm,
            ListingAction::Publish | ListingAction::Reject => role == Role::Dinas,
            ListingAction::Archive => matches!(role, Role::Umkm | Role::Dinas),
        }
    }
}

impl ListingStatus {
    /// Applies `action` by `role`: the role is checked first (`Forbidden`), then the status
    /// (`Invalid`).
    pub fn apply(
        self,
        action: ListingAction,
        role: Role,
    ) -> Result<ListingStatus, TransitionError> {
        use ListingAction as A;
        use ListingStatus as S;
        if !action.allowed_for(role) {
            return Err(TransitionError::Forbidden { role, action: action.as_str() });
        }
        match (self, action) {
            (S::Draft | S::Rejected, A::Submit) => Ok(S::Submitted),
            (S::Submitted, A::Publish) => Ok(S::Published),
            (S::Submitted | S::Published, A::Reject) => Ok(S::Rejected),
            (S::Draft | S::Rejected | S::Published | S::Submitted, A::Archive) => Ok(S::Archived),
            (S::Published, A::Revise) => Ok(S::Draft),
            _ => Err(TransitionError::Invalid { from: self.as_str(), action: action.as_str() }),
        }
    }

    /// True when the owner may edit the product (draft or rejected).
    pub fn is_editable(self) -> bool {
        matches!(self, ListingStatus::Draft | ListingStatus::Rejected)
    }

    /// True when the listing is visible in the public catalog.
    pub fn is_public(self) -> bool {
        self == ListingStatus::Published
    }

    /// The actions `role` may perform now (for buttons).
    pub fn available_actions(self, role: Role) -> Vec<ListingAction> {
        ListingAction::all().iter().copied().filter(|a| self.apply(*a, role).is_ok()).collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use ListingAction as A;
    use ListingStatus as S;

    /// Every allowed (from, action, role) and its target; everything else is refused.
    const ALLOWED: &[(S, A, Role, S)] = &[
        (S::Draft, A::Submit, Role::Umkm, S::Submitted),
        (S::Rejected, A::Submit, Role::Umkm, S::Submitted),
        (S::Submitted, A::Publish, Role::Dinas, S::Published),
        (S::Submitted, A::Reject, Role::Dinas, S::Rejected),
        (S::Published, A::Reject, Role::Dinas, S::Rejected),
        (S::Draft, A::Archive, Role::Umkm, S::Archived),
        (S::Draft, A::Archive, Role::Dinas, S::Archived),
        (S::Rejected, A::Archive, Role::Umkm, S::Archived),
        (S::Rejected, A::Archive, Role::Dinas, S::Archived),
        (S::Published, A::Archive, Role::Umkm, S::Archived),
        (S::Published, A::Archive, Role::Dinas, S::Archived),
        (S::Submitted, A::Archive, Role::Umkm, S::Archived),
        (S::Submitted, A::Archive, Role::Dinas, S::Archived),
        (S::Published, A::Revise, Role::Umkm, S::Draft),
    ];

    /// Roles that may perform each action at all.
    fn roles_for(action: A) -> &'static [Role] {
        match action {
            A::Submit | A::Revise => &[Role::Umkm],
            A::Publish | A::Reject => &[Role::Dinas],
            A::Archive => &[Role::Umkm, Role::Dinas],
        }
    }

    #[test]
    fn every_status_action_role_combination() {
        let mut allowed_seen = 0;
        let mut total = 0;
        for &from in S::all() {
            for &action in A::all() {
                for &role in Role::all() {
                    total += 1;
                    let got = from.apply(action, role);
                    let row = ALLOWED.iter().find(|r| (r.0, r.1, r.2) == (from, action, role));
                    let want = match row {
                        Some(r) => {
                            allowed_seen += 1;
                            Ok(r.3)
                        }
                        None if !roles_for(action).contains(&role) => {
                            Err(TransitionError::Forbidden { role, action: action.as_str() })
                        }
                        None => Err(TransitionError::Invalid {
                            from: from.as_str(),
                            action: action.as_str(),
                        }),
                    };
                    assert_eq!(got, want, "{from} + {action} oleh {role}");
                }
            }
        }
        assert_eq!(total, 5 * 5 * 6, "statuses × actions × roles");
        assert_eq!(allowed_seen, ALLOWED.len());
    }

    #[test]
    fn editability_visibility_and_buttons() {
        let editable: Vec<S> = S::all().iter().copied().filter(|s| s.is_editable()).collect();
        assert_eq!(editable, [S::Draft, S::Rejected]);
        assert!(S::Published.is_public() && !S::Submitted.is_public());
        assert_eq!(S::Published.available_actions(Role::Umkm), [A::Archive, A::Revise]);
        assert_eq!(
            S::Submitted.available_actions(Role::Dinas),
            [A::Publish, A::Reject, A::Archive]
        );
        assert!(S::Archived.available_actions(Role::Admin).is_empty());
        let e = S::Draft.apply(A::Publish, Role::Dinas).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Tindakan \"Tayangkan\" tidak dapat dilakukan pada status \"Draf\"."
        );
    }

    #[test]
    fn codes_and_labels() {
        crate::code_enum::assert_serde_codes::<S>();
        crate::code_enum::assert_serde_codes::<A>();
        let labels: Vec<&str> = S::all().iter().map(|s| s.label()).collect();
        assert_eq!(labels, ["Draf", "Menunggu tinjauan", "Tayang", "Ditolak", "Diarsipkan"]);
    }
}
