//! Staff decisions on a request — confirm or refuse — as mutations with an optimistic update:
//! the row changes status at once, and changes back (with an error toast) if the server says no.
//! Used by the agenda's buttons and by the accept/reject buttons of a new-request toast.

use std::rc::Rc;

use nova_contract::{Appointment, AppointmentStatus, ErrorDetails, NoticeKind};

use super::prefs::Prefs;
use super::toasts::Toasts;
use crate::api::query::{Mutation, MutationOptions, QueryClient};
use crate::api::{endpoints, queries, ApiClient};

/// Confirms (`accept`) or refuses a pending appointment.
pub fn decision(
    api: ApiClient,
    client: QueryClient,
    accept: bool,
) -> Mutation<String, Appointment> {
    let status = if accept {
        AppointmentStatus::Confirmed
    } else {
        AppointmentStatus::Cancelled
    };
    Mutation::new(
        client,
        move |id: String| {
            let api = api.clone();
            async move {
                if accept {
                    endpoints::confirm(&api, &id, None).await
                } else {
                    endpoints::cancel(&api, &id, Some("refused by the practice"), None).await
                }
            }
        },
        MutationOptions {
            optimistic: Some(Rc::new(move |q: &QueryClient, id: &String| {
                let before = q.snapshot(&queries::appointments());
                queries::set_status(q, id, status);
                before
            })),
            // The server's version wins (it may carry more than the status).
            on_success: Some(Rc::new(|q: &QueryClient, _: &String, a: &Appointment| {
                queries::patch_appointment(q, a);
            })),
            // Rolled back already; refetch in case the row changed for another reason.
            on_error: Some(Rc::new(|q: &QueryClient, _: &String, _: &ErrorDetails| {
                q.invalidate(&queries::appointments());
            })),
            invalidate: Vec::new(),
        },
    )
}

/// Runs a decision in the background; a refusal from the server becomes an error toast.
pub fn decide(
    api: &ApiClient,
    client: &QueryClient,
    toasts: Toasts,
    prefs: Prefs,
    id: String,
    accept: bool,
) {
    let mutation = decision(api.clone(), client.clone(), accept);
    leptos::task::spawn_local(async move {
        if let Err(e) = mutation.run(id).await {
            toasts.push(NoticeKind::Error, prefs.t().error(e.code), None);
        }
    });
}
