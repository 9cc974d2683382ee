//! The patient's home: book a visit, and see the visits already booked (and cancel or move
//! them: moving one turns the booking card into "choose a new time" for it).

mod booking;
mod my_appointments;

use leptos::prelude::*;
use nova_contract::Appointment;

pub(crate) use booking::BookingPanel;
use my_appointments::MyAppointments;

/// Booking on the left, "my appointments" on the right (stacked on phones).
#[component]
pub fn PatientHome() -> impl IntoView {
    let moving = RwSignal::new(None::<Appointment>);
    view! {
        <main class="page two-columns wide-left">
            <BookingPanel moving=moving />
            <MyAppointments moving=moving />
        </main>
    }
}
