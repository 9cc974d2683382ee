//! Which status changes an appointment may make, who may make them, and when.
//!
//! ```text
//! pending   --confirm-->    confirmed
//! pending   --cancel-->     cancelled        confirmed --cancel-->  cancelled
//! confirmed --complete-->   completed        (once it has started)
//! confirmed --no-show-->    no_show          (once it has started)
//! pending   --reschedule--> pending
//! confirmed --reschedule--> confirmed (staff) | pending (patient: the cabinet confirms again)
//! ```
//! `cancelled`, `completed`, `no_show` and `rescheduled` are final. A reschedule moves the same
//! appointment (same id); `rescheduled` is kept for data written by other systems.
//!
//! Who: the appointment's practitioner and admins may do everything; the appointment's patient
//! may cancel or reschedule it until it starts; managers only read.

use nova_contract::{AppointmentStatus as S, Role};

/// What someone asks to do to an appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Confirm,
    Cancel,
    Complete,
    NoShow,
    /// Move to another time, length or practitioner.
    Reschedule,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::Confirm,
        Action::Cancel,
        Action::Complete,
        Action::NoShow,
        Action::Reschedule,
    ];

    /// Whether a patient may take this action on their own appointment.
    fn open_to_patients(self) -> bool {
        matches!(self, Action::Cancel | Action::Reschedule)
    }

    /// Whether the role may take the action at all (ownership aside).
    pub fn allowed_for(self, role: Role) -> bool {
        match role {
            Role::Practitioner | Role::Admin => true,
            Role::Patient => self.open_to_patients(),
            Role::Manager => false,
        }
    }
}

/// Who asks: their role, and whether the appointment is theirs (its patient, or its
/// practitioner). Admins act on every appointment of their cabinet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    pub own: bool,
}

impl Actor {
    fn may(self, action: Action) -> bool {
        action.allowed_for(self.role) && (self.own || self.role == Role::Admin)
    }
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not this person's to do (403).
    Forbidden,
    /// The appointment's status does not allow it (409 `INVALID_TRANSITION`).
    WrongStatus,
    /// Completing or marking a no-show before the appointment has started (409).
    NotStarted,
    /// A patient cancelling or moving an appointment that has already started (409).
    AlreadyStarted,
}

/// The status the action leads to, or why it is refused: first who, then status, then time.
/// `started` is whether the appointment's start time has passed.
pub fn decide(current: S, action: Action, by: Actor, started: bool) -> Result<S, Refusal> {
    if !by.may(action) {
        return Err(Refusal::Forbidden);
    }
    let next = match (action, current) {
        (Action::Confirm, S::Pending) => S::Confirmed,
        (Action::Cancel, S::Pending | S::Confirmed) => S::Cancelled,
        (Action::Complete, S::Confirmed) => S::Completed,
        (Action::NoShow, S::Confirmed) => S::NoShow,
        (Action::Reschedule, S::Pending) => S::Pending,
        (Action::Reschedule, S::Confirmed) if by.role == Role::Patient => S::Pending,
        (Action::Reschedule, S::Confirmed) => S::Confirmed,
        _ => return Err(Refusal::WrongStatus),
    };
    match action {
        Action::Complete | Action::NoShow if !started => Err(Refusal::NotStarted),
        Action::Cancel | Action::Reschedule if started && by.role == Role::Patient => {
            Err(Refusal::AlreadyStarted)
        }
        _ => Ok(next),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUSES: [S; 6] = S::ALL;

    fn staff(role: Role) -> Actor {
        Actor { role, own: true }
    }

    /// The table the module doc draws, written out independently of `decide`: the status an
    /// allowed actor reaches, for every (status, action) pair, ignoring time.
    fn expected(current: S, action: Action, role: Role) -> Option<S> {
        use Action::*;
        match (current, action) {
            (S::Pending, Confirm) => Some(S::Confirmed),
            (S::Pending, Cancel) => Some(S::Cancelled),
            (S::Pending, Complete) => None,
            (S::Pending, NoShow) => None,
            (S::Pending, Reschedule) => Some(S::Pending),
            (S::Confirmed, Confirm) => None,
            (S::Confirmed, Cancel) => Some(S::Cancelled),
            (S::Confirmed, Complete) => Some(S::Completed),
            (S::Confirmed, NoShow) => Some(S::NoShow),
            (S::Confirmed, Reschedule) if role == Role::Patient => Some(S::Pending),
            (S::Confirmed, Reschedule) => Some(S::Confirmed),
            (S::Cancelled | S::Completed | S::NoShow | S::Rescheduled, _) => None,
        }
    }

    #[test]
    fn every_status_and_action_pair_for_staff() {
        for role in [Role::Practitioner, Role::Admin] {
            for current in STATUSES {
                for action in Action::ALL {
                    // Started for complete/no-show; not started for the others (no difference
                    // for staff, checked below).
                    let started = matches!(action, Action::Complete | Action::NoShow);
                    let got = decide(current, action, staff(role), started);
                    match expected(current, action, role) {
                        Some(next) => assert_eq!(got, Ok(next), "{role:?} {current:?} {action:?}"),
                        None => assert_eq!(
                            got,
                            Err(Refusal::WrongStatus),
                            "{role:?} {current:?} {action:?}"
                        ),
                    }
                }
            }
        }
    }

    #[test]
    fn every_status_and_action_pair_for_the_patient_of_the_appointment() {
        let patient = Actor {
            role: Role::Patient,
            own: true,
        };
        for current in STATUSES {
            for action in Action::ALL {
                let got = decide(current, action, patient, false);
                if !matches!(action, Action::Cancel | Action::Reschedule) {
                    assert_eq!(got, Err(Refusal::Forbidden), "{current:?} {action:?}");
                    continue;
                }
                match expected(current, action, Role::Patient) {
                    Some(next) => assert_eq!(got, Ok(next), "{current:?} {action:?}"),
                    None => assert_eq!(got, Err(Refusal::WrongStatus), "{current:?} {action:?}"),
                }
            }
        }
    }

    #[test]
    fn a_patient_moving_a_confirmed_visit_sends_it_back_for_confirmation() {
        let patient = Actor {
            role: Role::Patient,
            own: true,
        };
        assert_eq!(
            decide(S::Confirmed, Action::Reschedule, patient, false),
            Ok(S::Pending)
        );
        assert_eq!(
            decide(
                S::Confirmed,
                Action::Reschedule,
                staff(Role::Practitioner),
                false
            ),
            Ok(S::Confirmed)
        );
    }

    #[test]
    fn nobody_acts_on_someone_elses_appointment_except_admins() {
        for current in STATUSES {
            for action in Action::ALL {
                for role in [Role::Patient, Role::Practitioner, Role::Manager] {
                    let other = Actor { role, own: false };
                    assert_eq!(
                        decide(current, action, other, true),
                        Err(Refusal::Forbidden),
                        "{role:?} {current:?} {action:?}"
                    );
                }
                let admin = Actor {
                    role: Role::Admin,
                    own: false,
                };
                assert_ne!(
                    decide(current, action, admin, true),
                    Err(Refusal::Forbidden)
                );
            }
        }
    }

    #[test]
    fn managers_only_read() {
        for current in STATUSES {
            for action in Action::ALL {
                assert!(!action.allowed_for(Role::Manager));
                assert_eq!(
                    decide(current, action, staff(Role::Manager), true),
                    Err(Refusal::Forbidden)
                );
            }
        }
    }

    #[test]
    fn completion_and_no_show_wait_for_the_start() {
        for action in [Action::Complete, Action::NoShow] {
            for role in [Role::Practitioner, Role::Admin] {
                assert_eq!(
                    decide(S::Confirmed, action, staff(role), false),
                    Err(Refusal::NotStarted)
                );
            }
            // A wrong status is reported before the time.
            assert_eq!(
                decide(S::Pending, action, staff(Role::Admin), false),
                Err(Refusal::WrongStatus)
            );
        }
    }

    #[test]
    fn patients_cannot_cancel_or_move_once_started_but_staff_can() {
        let patient = Actor {
            role: Role::Patient,
            own: true,
        };
        for action in [Action::Cancel, Action::Reschedule] {
            for current in [S::Pending, S::Confirmed] {
                assert_eq!(
                    decide(current, action, patient, true),
                    Err(Refusal::AlreadyStarted)
                );
                assert!(decide(current, action, staff(Role::Practitioner), true).is_ok());
                assert!(decide(current, action, staff(Role::Admin), true).is_ok());
            }
        }
        // Confirmation does not depend on time.
        assert_eq!(
            decide(S::Pending, Action::Confirm, staff(Role::Practitioner), true),
            Ok(S::Confirmed)
        );
    }

    #[test]
    fn final_statuses_stay_final() {
        for current in [S::Cancelled, S::Completed, S::NoShow, S::Rescheduled] {
            for action in Action::ALL {
                for started in [false, true] {
                    assert_eq!(
                        decide(current, action, staff(Role::Admin), started),
                        Err(Refusal::WrongStatus)
                    );
                }
            }
        }
    }
}
