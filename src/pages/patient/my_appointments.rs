//! The patient's upcoming appointments, refreshed live.

use leptos::prelude::*;
use nova_contract::Role;

use crate::api::endpoints;
use crate::components::appointment_item::AppointmentItem;
use crate::format;
use crate::state::auth::use_auth;
use crate::state::prefs::use_prefs;
use crate::state::realtime::use_realtime;

/// "My appointments": what is booked, and whether the practice has confirmed it.
#[component]
pub fn MyAppointments() -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let rt = use_realtime();
    let list = LocalResource::new(move || {
        let creds = auth.credentials();
        rt.appointments_changed.track();
        async move {
            let creds = creds?;
            let result = endpoints::appointments(&creds, format::today(), None, 50).await;
            if let Err(e) = &result {
                auth.check(e);
            }
            Some(result)
        }
    });
    view! {
        <section class="card" aria-labelledby="my-appointments">
            <h2 id="my-appointments">{move || prefs.t().my_appointments}</h2>
            {move || match list.get().flatten() {
                None => view! { <p class="muted">{prefs.t().loading}</p> }.into_any(),
                Some(Err(e)) => {
                    view! {
                        <div class="form-error" role="alert">
                            {prefs.t().error(e.code)}
                            <button class="link" on:click=move |_| list.refetch()>{prefs.t().retry}</button>
                        </div>
                    }
                        .into_any()
                }
                Some(Ok(page)) if page.items.is_empty() => {
                    view! { <p class="empty">{prefs.t().no_appointments}</p> }.into_any()
                }
                Some(Ok(page)) => {
                    view! {
                        <ul class="appointments">
                            {page
                                .items
                                .into_iter()
                                .map(|a| view! { <AppointmentItem appointment=a viewer=Role::Patient with_date=true /> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
