//! Owns `TransitionError`, the refusal of a lifecycle transition, shared by every state
//! machine of the domain (UMKM verification, product listings). It stores stable codes;
//! its Indonesian message uses the labels of the known statuses and actions.

use crate::code_enum::CodeEnum;
use crate::lifecycle::{ListingAction, ListingStatus};
use crate::producer::{ProducerAction, ProducerStatus};
use crate::roles::Role;
use serde::Serialize;
use std::fmt;

/// Why a lifecycle action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TransitionError {
    /// The role may never perform this action.
    Forbidden {
        /// Who tried.
        role: Role,
        /// Code of the action (e.g. `publish`).
        action: &'static str,
    },
    /// The action does not apply to the current status.
    Invalid {
        /// Code of the current status (e.g. `draft`).
        from: &'static str,
        /// Code of the action.
        action: &'static str,
    },
}

impl TransitionError {
    /// Stable code for APIs: `forbidden` or `invalid_transition`.
    pub fn code(&self) -> &'static str {
        match self {
            TransitionError::Forbidden { .. } => "forbidden",
            TransitionError::Invalid { .. } => "invalid_transition",
        }
    }
}

/// Label of a known action code; the code itself otherwise.
fn action_label(code: &'static str) -> &'static str {
    label_of::<ListingAction>(code).or_else(|| label_of::<ProducerAction>(code)).unwrap_or(code)
}

/// Label of a known status code; the code itself otherwise.
fn status_label(code: &'static str) -> &'static str {
    label_of::<ListingStatus>(code).or_else(|| label_of::<ProducerStatus>(code)).unwrap_or(code)
}

fn label_of<T: CodeEnum>(code: &str) -> Option<&'static str> {
    T::from_code(code).map(|v| v.label())
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TransitionError::Forbidden { role, action } => write!(
                f,
                "Peran {} tidak berwenang melakukan tindakan \"{}\".",
                role.label(),
                action_label(action)
            ),
            TransitionError::Invalid { from, action } => write!(
                f,
                "Tindakan \"{}\" tidak dapat dilakukan pada status \"{}\".",
                action_label(action),
                status_label(from)
            ),
        }
    }
}

impl std::error::Error for TransitionError {}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn messages_use_indonesian_labels() {
        let e = TransitionError::Forbidden { role: Role::Store, action: "publish" };
        assert_eq!(
            e.to_string(),
            "Peran Manajer toko tidak berwenang melakukan tindakan \"Tayangkan\"."
        );
        assert_eq!(e.code(), "forbidden");
        let e = TransitionError::Invalid { from: "verified", action: "verify" };
        assert_eq!(
            e.to_string(),
            "Tindakan \"Verifikasi\" tidak dapat dilakukan pada status \"Terverifikasi\"."
        );
        assert_eq!(e.code(), "invalid_transition");
        let e = TransitionError::Invalid { from: "countered", action: "accept" };
        assert_eq!(
            e.to_string(),
            "Tindakan \"accept\" tidak dapat dilakukan pada status \"countered\"."
        );
        let json =
            serde_json::to_value(TransitionError::Invalid { from: "draft", action: "publish" })
                .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "invalid", "from": "draft", "action": "publish"})
        );
    }
}
