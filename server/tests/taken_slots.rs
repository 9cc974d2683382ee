//! A booking for a slot that is already taken is refused before the write transaction (the
//! store's fast path for lost races); it must answer exactly what the transaction would have:
//! a taken email first, then the taken slot, and write nothing either way.

mod common;

use common::*;

#[tokio::test]
async fn a_taken_slot_reports_a_taken_email_first_then_the_conflict() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let patient = app.login(PATIENT).await;
    let slot = app.next_free_slot(&martin.token, &martin.user_id, 30).await;
    app.post(
        "/api/appointments",
        patient.bearer(),
        &booking(&martin.user_id, slot.start, 30),
    )
    .await
    .ok(201);
    let before = app.total(&martin.token, "").await;

    let body = booking_for_new_patient(&martin.user_id, slot.start, 30, PATIENT2);
    app.post("/api/appointments", martin.bearer(), &body)
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("patientData.email");

    let body = booking_for_new_patient(&martin.user_id, slot.start, 30, "late@example.test");
    app.post("/api/appointments", martin.bearer(), &body)
        .await
        .err(409, "SLOT_CONFLICT");
    assert!(
        app.ctx
            .store
            .user_by_email("late@example.test")
            .await
            .unwrap()
            .is_none(),
        "a refused booking creates no patient"
    );
    assert_eq!(app.total(&martin.token, "").await, before, "no appointment");
}

#[tokio::test]
async fn a_half_overlap_of_a_taken_slot_conflicts_and_the_free_neighbour_books() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let day = weekday_on_or_after(paris_today() + chrono::Duration::days(1));
    let start = paris(day, 15, 0);
    app.post(
        "/api/appointments",
        patient.bearer(),
        &booking(&martin.user_id, start, 30),
    )
    .await
    .ok(201);
    // 14:30-15:15 reaches 15 minutes into it; 14:30-15:00 ends where it starts.
    app.post(
        "/api/appointments",
        patient2.bearer(),
        &booking(&martin.user_id, paris(day, 14, 30), 45),
    )
    .await
    .err(409, "SLOT_CONFLICT");
    app.post(
        "/api/appointments",
        patient2.bearer(),
        &booking(&martin.user_id, paris(day, 14, 30), 30),
    )
    .await
    .ok(201);
}
