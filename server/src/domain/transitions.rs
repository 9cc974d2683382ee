//! Which status changes an appointment may make, and who may make them.

use nova_contract::{AppointmentStatus as S, Role};

/// What someone asks to do to an appointment's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Confirm,
}

impl Action {
    /// The status the appointment must have for the action to apply, and the one it gets.
    pub fn transition(self) -> (S, S) {
        match self {
            Action::Confirm => (S::Pending, S::Confirmed),
        }
    }

    /// Whether the role may take the action at all (ownership is checked by the caller).
    pub fn allowed_for(self, role: Role) -> bool {
        match self {
            Action::Confirm => matches!(role, Role::Practitioner | Role::Admin),
        }
    }
}

/// The status after `action`, or `None` when the current status does not allow it.
pub fn apply(current: S, action: Action) -> Option<S> {
    let (from, to) = action.transition();
    (current == from).then_some(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pending_can_be_confirmed() {
        assert_eq!(apply(S::Pending, Action::Confirm), Some(S::Confirmed));
        for s in [
            S::Confirmed,
            S::Cancelled,
            S::Completed,
            S::NoShow,
            S::Rescheduled,
        ] {
            assert_eq!(apply(s, Action::Confirm), None, "{s:?}");
        }
    }

    #[test]
    fn patients_and_managers_cannot_confirm() {
        assert!(Action::Confirm.allowed_for(Role::Practitioner));
        assert!(Action::Confirm.allowed_for(Role::Admin));
        assert!(!Action::Confirm.allowed_for(Role::Patient));
        assert!(!Action::Confirm.allowed_for(Role::Manager));
    }
}
