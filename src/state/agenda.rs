//! What can be done to an appointment from a list — staff confirm, refuse, mark a visit held or
//! missed; a patient cancels — as mutations with an optimistic update: the row changes status
//! at once, and changes back (with an error toast) if the server says no. Used by the agenda's
//! and "my appointments" buttons and by the accept/reject buttons of a new-request toast.

use std::rc::Rc;

use nova_contract::{Appointment, AppointmentStatus, ErrorDetails, NoticeKind, Role};

use super::prefs::Prefs;
use super::toasts::Toasts;
use crate::api::query::{Mutation, MutationOptions, QueryClient};
use crate::api::{endpoints, queries, ApiClient};

/// One step in an appointment's life, as a button takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Confirm,
    /// Staff turning a request down.
    Refuse,
    /// The patient calling it off.
    Cancel,
    Complete,
    NoShow,
}

impl Action {
    pub fn status(self) -> AppointmentStatus {
        match self {
            Self::Confirm => AppointmentStatus::Confirmed,
            Self::Refuse | Self::Cancel => AppointmentStatus::Cancelled,
            Self::Complete => AppointmentStatus::Completed,
            Self::NoShow => AppointmentStatus::NoShow,
        }
    }
}

/// The buttons a viewer gets on an appointment, by its status and whether it has started: staff
/// confirm a request, and mark a visit held or missed once it has started; a patient may
/// cancel until then. The server checks the same rules; this only keeps buttons that could
/// not work off the screen.
pub fn actions(viewer: Role, status: AppointmentStatus, started: bool) -> &'static [Action] {
    use AppointmentStatus::{Confirmed, Pending};
    match (viewer, status) {
        (Role::Patient, Pending | Confirmed) if !started => &[Action::Cancel],
        (Role::Patient, _) => &[],
        (_, Pending) => &[Action::Confirm],
        (_, Confirmed) if started => &[Action::Complete, Action::NoShow],
        _ => &[],
    }
}

/// Whether the viewer may move the appointment to another time from a list: the patient, or the
/// practice's staff (a patient calling to change the time), until it starts. The server lets
/// staff move a visit that has started too; no screen offers that.
pub fn movable(viewer: Role, status: AppointmentStatus, started: bool) -> bool {
    matches!(viewer, Role::Patient | Role::Practitioner | Role::Admin)
        && !started
        && matches!(
            status,
            AppointmentStatus::Pending | AppointmentStatus::Confirmed
        )
}

async fn send(api: &ApiClient, id: &str, action: Action) -> Result<Appointment, ErrorDetails> {
    match action {
        Action::Confirm => endpoints::confirm(api, id, None).await,
        Action::Refuse => endpoints::cancel(api, id, Some("refused by the practice"), None).await,
        Action::Cancel => endpoints::cancel(api, id, None, None).await,
        Action::Complete => endpoints::close_visit(api, id, true, None).await,
        Action::NoShow => endpoints::close_visit(api, id, false, None).await,
    }
}

/// Takes an action on the appointment whose id is given.
pub fn act(api: ApiClient, client: QueryClient) -> Mutation<(String, Action), Appointment> {
    Mutation::new(
        client,
        move |(id, action): (String, Action)| {
            let api = api.clone();
            async move { send(&api, &id, action).await }
        },
        MutationOptions {
            optimistic: Some(Rc::new(
                move |q: &QueryClient, (id, action): &(String, Action)| {
                    let before = q.snapshot(&queries::appointments());
                    queries::set_status(q, id, action.status());
                    before
                },
            )),
            // The server's version wins (it may carry more than the status).
            on_success: Some(Rc::new(
                |q: &QueryClient, _: &(String, Action), a: &Appointment| {
                    queries::patch_appointment(q, a);
                },
            )),
            // Rolled back already; refetch in case the row changed for another reason.
            on_error: Some(Rc::new(
                |q: &QueryClient, _: &(String, Action), _: &ErrorDetails| {
                    q.invalidate(&queries::appointments());
                },
            )),
            // A cancelled time is free again.
            invalidate: vec![queries::slots()],
        },
    )
}

/// Runs a staff decision on a request in the background; a refusal from the server becomes an
/// error toast.
pub fn decide(
    api: &ApiClient,
    client: &QueryClient,
    toasts: Toasts,
    prefs: Prefs,
    id: String,
    accept: bool,
) {
    let mutation = act(api.clone(), client.clone());
    let action = if accept {
        Action::Confirm
    } else {
        Action::Refuse
    };
    leptos::task::spawn_local(async move {
        if let Err(e) = mutation.run((id, action)).await {
            toasts.push(NoticeKind::Error, prefs.t().error(e.code), None);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use AppointmentStatus::*;

    #[test]
    fn each_viewer_gets_only_the_buttons_that_can_work() {
        // A patient cancels what is still to come, and nothing else.
        assert_eq!(actions(Role::Patient, Pending, false), [Action::Cancel]);
        assert_eq!(actions(Role::Patient, Confirmed, false), [Action::Cancel]);
        assert!(actions(Role::Patient, Confirmed, true).is_empty());
        assert!(actions(Role::Patient, Cancelled, false).is_empty());
        // Staff confirm requests, and close visits only once they have started.
        for staff in [Role::Practitioner, Role::Admin] {
            assert_eq!(actions(staff, Pending, false), [Action::Confirm]);
            assert!(actions(staff, Confirmed, false).is_empty());
            assert_eq!(
                actions(staff, Confirmed, true),
                [Action::Complete, Action::NoShow]
            );
            assert!(actions(staff, Completed, true).is_empty());
            assert!(actions(staff, NoShow, true).is_empty());
        }
    }

    #[test]
    fn patients_and_staff_move_what_is_still_to_come() {
        assert!(movable(Role::Patient, Pending, false));
        assert!(movable(Role::Patient, Confirmed, false));
        assert!(!movable(Role::Patient, Confirmed, true));
        assert!(!movable(Role::Patient, Cancelled, false));
        assert!(movable(Role::Practitioner, Confirmed, false));
        assert!(movable(Role::Admin, Pending, false));
        assert!(!movable(Role::Practitioner, Confirmed, true));
        assert!(!movable(Role::Manager, Confirmed, false));
    }

    #[test]
    fn each_action_names_the_status_it_leads_to() {
        assert_eq!(Action::Confirm.status(), Confirmed);
        assert_eq!(Action::Refuse.status(), Cancelled);
        assert_eq!(Action::Cancel.status(), Cancelled);
        assert_eq!(Action::Complete.status(), Completed);
        assert_eq!(Action::NoShow.status(), NoShow);
    }
}
