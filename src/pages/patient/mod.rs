//! The patient's home: book a visit, and see the visits already booked.

mod booking;
mod my_appointments;

use leptos::prelude::*;

use booking::BookingPanel;
use my_appointments::MyAppointments;

/// Booking on the left, "my appointments" on the right (stacked on phones).
#[component]
pub fn PatientHome() -> impl IntoView {
    view! {
        <main class="page two-columns wide-left">
            <BookingPanel />
            <MyAppointments />
        </main>
    }
}
