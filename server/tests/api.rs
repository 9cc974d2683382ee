//! The REST API through the real router on a real (temporary) SQLite database with the demo
//! cabinets: envelopes, authentication, tenancy, slots, booking, lists and confirmation.

mod common;

use axum::http::Method;
use chrono::{Duration, Timelike, Weekday};
use chrono_tz::Europe::Paris;
use common::*;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Health and unknown paths

#[tokio::test]
async fn health_answers_ok_in_the_envelope() {
    let app = app().await;
    let reply = app.get("/api/health", None).await;
    let data = reply.ok(200);
    assert_eq!(data["status"], "ok");
    assert!(data["version"].as_str().is_some_and(|v| !v.is_empty()));
}

#[tokio::test]
async fn unknown_api_paths_are_a_json_404() {
    let app = app().await;
    app.get("/api/nothing-here", None)
        .await
        .err(404, "NOT_FOUND");
    app.post("/api/appointments/x/y/z", None, &json!({}))
        .await
        .err(404, "NOT_FOUND");
}

// ---------------------------------------------------------------------------------------------
// Login

#[tokio::test]
async fn login_returns_the_flattened_user_and_tokens() {
    let app = app().await;
    let reply = app
        .post(
            "/api/auth/login",
            None,
            &json!({"email": MARTIN, "password": PASSWORD}),
        )
        .await;
    let data = reply.ok(200);
    assert_eq!(data["email"], MARTIN);
    assert_eq!(data["role"], "practitioner");
    assert_eq!(data["cabinetId"], "cab-parc");
    assert_eq!(data["cabinetName"], "Cabinet Dentaire du Parc");
    assert_eq!(data["firstName"], "Claire");
    assert_eq!(data["lastName"], "Martin");
    assert!(data["id"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(data["lastLoginAt"].is_string(), "login stamps lastLoginAt");
    assert!(data["permissions"]
        .as_array()
        .unwrap()
        .contains(&json!("appointments:confirm")));
    assert_eq!(data["tokenType"], "Bearer");
    assert_eq!(data["expiresIn"], 900);
    let access = data["accessToken"].as_str().unwrap();
    assert_eq!(access.split('.').count(), 3, "a JWT");
    assert!(data["refreshToken"]
        .as_str()
        .is_some_and(|t| t.len() >= 32 && t != access));
    // Flattened: no nested user/tokens objects.
    assert!(data.get("user").is_none() && data.get("tokens").is_none());

    // The email is matched case-insensitively and trimmed; roles come from the account.
    let reply = app
        .post(
            "/api/auth/login",
            None,
            &json!({"email": "  Patient@Nova-RDV.test ", "password": PASSWORD}),
        )
        .await;
    let data = reply.ok(200);
    assert_eq!(data["role"], "patient");
    assert_eq!(data["cabinetId"], "cab-parc");
    let leroy = app.login(LEROY).await;
    assert_eq!(leroy.user["cabinetId"], "cab-lumiere");
}

#[tokio::test]
async fn wrong_password_and_unknown_email_are_the_same_401() {
    let app = app().await;
    let wrong = app
        .post(
            "/api/auth/login",
            None,
            &json!({"email": MARTIN, "password": "nova-demo!"}),
        )
        .await;
    wrong.err(401, "INVALID_CREDENTIALS");
    let unknown = app
        .post(
            "/api/auth/login",
            None,
            &json!({"email": "nobody@nova-rdv.test", "password": PASSWORD}),
        )
        .await;
    unknown.err(401, "INVALID_CREDENTIALS");
    assert_eq!(
        wrong.body, unknown.body,
        "the answer does not reveal which emails have accounts"
    );
    assert!(wrong.data().is_null());
}

#[tokio::test]
async fn login_input_errors_name_their_field() {
    let app = app().await;
    let reply = app
        .post_raw(
            "/api/auth/login",
            None,
            r#"{"email": "a@b.c", "password": "#,
        )
        .await;
    reply.err(400, "MALFORMED_JSON");

    app.post("/api/auth/login", None, &json!({"email": MARTIN}))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("password");

    let reply = app
        .post(
            "/api/auth/login",
            None,
            &json!({"email": MARTIN, "password": PASSWORD, "captcha": "x"}),
        )
        .await;
    reply.err(422, "VALIDATION_ERROR").field_is("captcha");
    assert!(reply.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("captcha"));

    app.post(
        "/api/auth/login",
        None,
        &json!({"email": "   ", "password": PASSWORD}),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("email");

    app.post(
        "/api/auth/login",
        None,
        &json!({"email": 7, "password": "x"}),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("email");
}

// ---------------------------------------------------------------------------------------------
// Tokens and tenancy

#[tokio::test]
async fn me_needs_a_valid_token() {
    let app = app().await;
    app.get("/api/auth/me", None).await.err(401, "UNAUTHORIZED");
    app.get("/api/auth/me", Some("not-a-token"))
        .await
        .err(401, "UNAUTHORIZED");
    // A well-formed JWT signed with another secret.
    let forged = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
                  eyJzdWIiOiJ4IiwiY2FiIjoiY2FiLXBhcmMiLCJyb2xlIjoiYWRtaW4iLCJleHAiOjk5OTk5OTk5OTksImlhdCI6MH0.\
                  c2lnbmF0dXJlLWRvZXMtbm90LW1hdGNo";
    app.get("/api/auth/me", Some(forged))
        .await
        .err(401, "UNAUTHORIZED");

    let patient = app.login(PATIENT).await;
    let me = app.get("/api/auth/me", patient.bearer()).await;
    let data = me.ok(200);
    assert_eq!(data["id"], patient.user_id.as_str());
    assert_eq!(data["email"], PATIENT);
    assert_eq!(data["role"], "patient");
    assert!(
        data.get("accessToken").is_none(),
        "me returns the user only"
    );
}

#[tokio::test]
async fn another_cabinets_tenant_header_is_forbidden() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let with_tenant = |tenant: &str| {
        let mut req = request(Method::GET, "/api/practitioners", martin.bearer(), None);
        req.headers_mut()
            .insert("x-tenant-id", tenant.parse().unwrap());
        req
    };
    app.send(with_tenant("cab-lumiere"))
        .await
        .err(403, "FORBIDDEN");
    // The caller's own cabinet is accepted.
    app.send(with_tenant("cab-parc")).await.ok(200);
}

#[tokio::test]
async fn a_patient_sees_only_their_cabinets_practitioners() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let reply = app.get("/api/practitioners", patient.bearer()).await;
    let list = reply.ok(200).as_array().unwrap();
    let mut names: Vec<&str> = list
        .iter()
        .map(|p| p["lastName"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["Bernard", "Martin"]);
    assert!(list.iter().all(|p| p["cabinetId"] == "cab-parc"));

    let lumiere = app.login(LUMIERE_PATIENT).await;
    let reply = app.get("/api/practitioners", lumiere.bearer()).await;
    let names: Vec<&str> = reply
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["lastName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Leroy"]);
}

// ---------------------------------------------------------------------------------------------
// Slots

#[tokio::test]
async fn slots_describe_bookable_times_and_show_booked_ones() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    // The demo books Dr Martin at 10:00 (20 min) on every weekday of the coming week.
    let day = weekday_on_or_after(paris_today() + Duration::days(1));
    let slots = app.slots(&patient.token, &martin_id, day, day, 30).await;
    // 09:00-12:00 and 14:00-18:00 in half hours.
    assert_eq!(slots.len(), 14, "{slots:#?}");
    for s in &slots {
        assert_eq!(s["date"], day.to_string());
        assert_eq!(s["practitionerId"], martin_id.as_str());
        assert_eq!(s["duration"], 30);
        let time = s["time"].as_str().unwrap();
        assert!(
            time.len() == 5 && time.as_bytes()[2] == b':',
            "HH:MM, got {time}"
        );
        let start: chrono::DateTime<chrono::Utc> =
            s["startTime"].as_str().unwrap().parse().unwrap();
        let local = start.with_timezone(&Paris);
        assert_eq!(local.date_naive(), day);
        assert_eq!(local.format("%H:%M").to_string(), time);
        assert!(s["available"].is_boolean());
    }
    let at = |t: &str| slots.iter().find(|s| s["time"] == t).unwrap();
    assert_eq!(at("09:00")["startTime"], rfc3339(paris(day, 9, 0)));
    assert_eq!(at("09:00")["available"], true);
    assert_eq!(at("10:00")["available"], false, "booked by the demo");
    assert_eq!(at("10:30")["available"], true, "the booking ends at 10:20");
    assert!(slots.iter().all(|s| s["time"] != "12:00"), "lunch");

    // Weekends have no slots.
    let saturday = next(Weekday::Sat, paris_today());
    assert!(app
        .slots(
            &patient.token,
            &martin_id,
            saturday,
            saturday + Duration::days(1),
            30
        )
        .await
        .is_empty());
}

#[tokio::test]
async fn slot_queries_are_validated() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    let today = paris_today();
    let get = |query: String| {
        let app = &app;
        let token = patient.token.clone();
        async move {
            app.get(&format!("/api/appointments/slots?{query}"), Some(&token))
                .await
        }
    };

    get(format!(
        "practitionerId={martin_id}&dateFrom={today}&dateTo={}",
        today - Duration::days(1)
    ))
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("dateTo");

    get(format!(
        "practitionerId={martin_id}&dateFrom={today}&dateTo={}",
        today + Duration::days(400)
    ))
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("dateTo");

    get(format!(
        "practitionerId={martin_id}&dateFrom={today}&dateTo={today}&duration=7"
    ))
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("duration");

    get(format!("dateFrom={today}&dateTo={today}"))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("practitionerId");

    get(format!(
        "practitionerId={martin_id}&dateFrom=demain&dateTo={today}"
    ))
    .await
    .err(422, "VALIDATION_ERROR");

    // Another cabinet's practitioner does not exist for this caller.
    let leroy = app.login(LEROY).await;
    get(format!(
        "practitionerId={}&dateFrom={today}&dateTo={today}",
        leroy.user_id
    ))
    .await
    .err(404, "NOT_FOUND");

    // Slots are for signed-in users.
    app.get(
        &format!(
            "/api/appointments/slots?practitionerId={martin_id}&dateFrom={today}&dateTo={today}"
        ),
        None,
    )
    .await
    .err(401, "UNAUTHORIZED");
}

// ---------------------------------------------------------------------------------------------
// Booking

#[tokio::test]
async fn a_patient_books_a_pending_appointment_and_the_slot_is_taken() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    let slot = app.next_free_slot(&patient.token, &martin_id, 30).await;
    let mut body = booking(&martin_id, slot.start, 30);
    body["notes"] = json!("Douleur molaire");
    body["type"] = json!("urgence");

    let reply = app.post("/api/appointments", patient.bearer(), &body).await;
    let created = reply.ok(201).clone();
    assert_eq!(created["status"], "pending");
    assert_eq!(created["patientId"], patient.user_id.as_str());
    assert_eq!(created["practitionerId"], martin_id.as_str());
    assert_eq!(created["cabinetId"], "cab-parc");
    assert_eq!(created["type"], "urgence");
    assert_eq!(created["notes"], "Douleur molaire");
    assert_eq!(created["duration"], 30);
    assert_eq!(created["startTime"], rfc3339(slot.start));
    assert_eq!(
        created["endTime"],
        rfc3339(slot.start + Duration::minutes(30))
    );
    assert_eq!(created["patient"]["lastName"], "Dubois");
    assert_eq!(created["practitioner"]["lastName"], "Martin");

    let after = app
        .slot_at(&patient.token, &martin_id, slot.start, 30)
        .await
        .expect("the slot is still listed");
    assert!(!after.available, "the booked slot is no longer available");

    let id = created["id"].as_str().unwrap();
    let one = app
        .get(&format!("/api/appointments/{id}"), patient.bearer())
        .await;
    assert_eq!(one.ok(200)["status"], "pending");
    assert_eq!(one.data()["id"], id);
}

#[tokio::test]
async fn booking_in_the_past_is_unavailable() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    // Last week's Monday at 10:30: inside opening hours, but gone.
    let monday = next(Weekday::Mon, paris_today() - Duration::days(13));
    let reply = app
        .post(
            "/api/appointments",
            patient.bearer(),
            &booking(&martin_id, paris(monday, 10, 30), 30),
        )
        .await;
    reply.err(409, "SLOT_UNAVAILABLE").field_is("startTime");
    assert_eq!(app.total(&patient.token, "status=pending").await, 0);
}

#[tokio::test]
async fn booking_outside_opening_hours_is_unavailable() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    let saturday = next(Weekday::Sat, paris_today() + Duration::days(1));
    let weekday = weekday_on_or_after(paris_today() + Duration::days(1));
    for start in [
        paris(saturday, 10, 0),
        paris(weekday, 12, 30),
        paris(weekday, 8, 30),
        // Starts inside the morning window but runs past noon.
        paris(weekday, 11, 45),
    ] {
        let reply = app
            .post(
                "/api/appointments",
                patient.bearer(),
                &booking(&martin_id, start, 30),
            )
            .await;
        reply.err(409, "SLOT_UNAVAILABLE").field_is("startTime");
    }
    // A start that is not on a whole minute is refused as well.
    let odd = paris(weekday, 14, 0) + Duration::seconds(30);
    assert_ne!(odd.second(), 0);
    let mut body = booking(&martin_id, odd, 30);
    body["startTime"] = json!(odd.to_rfc3339());
    app.post("/api/appointments", patient.bearer(), &body)
        .await
        .err(409, "SLOT_UNAVAILABLE");
    assert_eq!(app.total(&patient.token, "status=pending").await, 0);
}

#[tokio::test]
async fn an_overlapping_booking_conflicts_and_writes_nothing() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let martin_id = martin.user_id.clone();
    let day = weekday_on_or_after(paris_today() + Duration::days(1));
    // 14:30-15:00, with room before and after it inside the afternoon window.
    let start = paris(day, 14, 30);
    app.post(
        "/api/appointments",
        patient.bearer(),
        &booking(&martin_id, start, 30),
    )
    .await
    .ok(201);
    let before = app.total(&martin.token, "").await;

    let minutes = Duration::minutes;
    for (at, duration) in [
        (start, 30),               // the same slot
        (start + minutes(15), 30), // overlaps its end
        (start - minutes(15), 30), // overlaps its start
        (start - minutes(30), 90), // encloses it
        (start + minutes(5), 10),  // lies inside it
    ] {
        let reply = app
            .post(
                "/api/appointments",
                patient2.bearer(),
                &booking(&martin_id, at, duration),
            )
            .await;
        reply.err(409, "SLOT_CONFLICT");
    }
    assert_eq!(app.total(&martin.token, "").await, before, "no row added");
    assert_eq!(
        app.total(&patient2.token, "status=pending").await,
        0,
        "patient2 has no pending booking"
    );

    // Right before and right after it is free.
    for at in [start - minutes(30), start + minutes(30)] {
        app.post(
            "/api/appointments",
            patient2.bearer(),
            &booking(&martin_id, at, 30),
        )
        .await
        .ok(201);
    }
    assert_eq!(app.total(&martin.token, "").await, before + 2);
}

#[tokio::test]
async fn booking_requests_are_checked_before_anything_is_written() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let manager = app.login(MANAGER).await;
    let leroy = app.login(LEROY).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    let slot = app.next_free_slot(&patient.token, &martin_id, 30).await;

    // Unknown practitioner, and another cabinet's practitioner.
    for practitioner in ["no-such-practitioner", leroy.user_id.as_str()] {
        app.post(
            "/api/appointments",
            patient.bearer(),
            &booking(practitioner, slot.start, 30),
        )
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("practitionerId");
    }

    // A patient cannot book for someone else.
    let mut for_other = booking(&martin_id, slot.start, 30);
    for_other["patientId"] = json!(patient2.user_id);
    app.post("/api/appointments", patient.bearer(), &for_other)
        .await
        .err(403, "FORBIDDEN");
    // Nor create patients.
    let body = booking_for_new_patient(&martin_id, slot.start, 30, "x@example.test");
    app.post("/api/appointments", patient.bearer(), &body)
        .await
        .err(403, "FORBIDDEN");
    // A manager does not book.
    app.post(
        "/api/appointments",
        manager.bearer(),
        &booking(&martin_id, slot.start, 30),
    )
    .await
    .err(403, "FORBIDDEN");
    // Bad duration, unknown field, no token.
    app.post(
        "/api/appointments",
        patient.bearer(),
        &booking(&martin_id, slot.start, 7),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("duration");
    let mut unknown = booking(&martin_id, slot.start, 30);
    unknown["room"] = json!("2");
    app.post("/api/appointments", patient.bearer(), &unknown)
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("room");
    app.post(
        "/api/appointments",
        None,
        &booking(&martin_id, slot.start, 30),
    )
    .await
    .err(401, "UNAUTHORIZED");

    let still = app
        .slot_at(&patient.token, &martin_id, slot.start, 30)
        .await
        .unwrap();
    assert!(
        still.available,
        "none of the refused requests took the slot"
    );
    assert!(app
        .ctx
        .store
        .user_by_email("x@example.test")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn staff_booking_with_patient_data_creates_the_patient_and_a_confirmed_appointment() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let slot = app.next_free_slot(&martin.token, &martin.user_id, 30).await;
    let mut body =
        booking_for_new_patient(&martin.user_id, slot.start, 30, " Nina.Roux@Example.test ");
    body["patientData"]["firstName"] = json!("Nina");
    body["patientData"]["lastName"] = json!("Roux");

    let reply = app.post("/api/appointments", martin.bearer(), &body).await;
    let created = reply.ok(201).clone();
    assert_eq!(
        created["status"], "confirmed",
        "staff bookings are confirmed"
    );
    assert_eq!(created["patient"]["firstName"], "Nina");
    assert_eq!(created["patient"]["lastName"], "Roux");
    let new_patient_id = created["patientId"].as_str().unwrap().to_string();

    let user = app
        .ctx
        .store
        .user_by_email("nina.roux@example.test")
        .await
        .unwrap()
        .expect("the patient account exists, email normalised");
    assert_eq!(user.id, new_patient_id);
    assert_eq!(user.role, "patient");
    assert_eq!(user.cabinet_id, "cab-parc");
    // Created without a password: nobody can log in with one until they set it.
    app.post(
        "/api/auth/login",
        None,
        &json!({"email": "nina.roux@example.test", "password": PASSWORD}),
    )
    .await
    .err(401, "INVALID_CREDENTIALS");

    // The new patient is now known to the cabinet: staff can book them by id.
    let later = slot.start + Duration::minutes(30);
    let mut again = booking(&martin.user_id, later, 30);
    again["patientId"] = json!(new_patient_id);
    let reply = app.post("/api/appointments", martin.bearer(), &again).await;
    assert_eq!(reply.ok(201)["patientId"], new_patient_id.as_str());

    // Staff give exactly one of patientId and patientData.
    let mut both = booking_for_new_patient(&martin.user_id, later, 30, "z@example.test");
    both["patientId"] = json!(new_patient_id);
    app.post("/api/appointments", martin.bearer(), &both)
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("patientId");
    app.post(
        "/api/appointments",
        martin.bearer(),
        &booking(&martin.user_id, later, 30),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("patientId");
}

#[tokio::test]
async fn staff_booking_with_an_existing_email_writes_nothing() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let slot = app.next_free_slot(&martin.token, &martin.user_id, 30).await;
    let before = app.total(&martin.token, "").await;
    for email in [PATIENT, "PATIENT2@nova-rdv.test", LUMIERE_PATIENT] {
        let body = booking_for_new_patient(&martin.user_id, slot.start, 30, email);
        app.post("/api/appointments", martin.bearer(), &body)
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is("patientData.email");
    }
    let mut bad = booking_for_new_patient(&martin.user_id, slot.start, 30, "no-at-sign");
    app.post("/api/appointments", martin.bearer(), &bad)
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("patientData.email");
    bad["patientData"]["email"] = json!("ok@example.test");
    bad["patientData"]["phone"] = json!("  ");
    app.post("/api/appointments", martin.bearer(), &bad)
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("patientData.phone");

    assert_eq!(app.total(&martin.token, "").await, before, "no appointment");
    let still = app
        .slot_at(&martin.token, &martin.user_id, slot.start, 30)
        .await
        .unwrap();
    assert!(still.available, "the slot is still free");
    assert!(app
        .ctx
        .store
        .user_by_email("ok@example.test")
        .await
        .unwrap()
        .is_none());
}

// ---------------------------------------------------------------------------------------------
// Lists

fn items(reply: &Reply) -> Vec<Value> {
    reply.ok(200)["items"].as_array().unwrap().clone()
}

fn ids(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_patient_lists_only_their_own_appointments() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let mine = items(
        &app.get("/api/appointments?limit=100", patient.bearer())
            .await,
    );
    let theirs = items(
        &app.get("/api/appointments?limit=100", patient2.bearer())
            .await,
    );
    assert!(
        !mine.is_empty() && !theirs.is_empty(),
        "the demo books both"
    );
    assert!(mine
        .iter()
        .all(|a| a["patientId"] == patient.user_id.as_str()));
    assert!(theirs
        .iter()
        .all(|a| a["patientId"] == patient2.user_id.as_str()));
    let mine_ids = ids(&mine);
    assert!(ids(&theirs).iter().all(|id| !mine_ids.contains(id)));

    // Asking for someone else's appointments by filter does not widen the scope.
    let query = format!("/api/appointments?patientId={}", patient2.user_id);
    let reply = app.get(&query, patient.bearer()).await;
    assert!(items(&reply).is_empty());
    assert_eq!(reply.data()["pagination"]["total"], 0);
}

#[tokio::test]
async fn staff_list_the_whole_cabinet_and_nothing_else() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let leroy = app.login(LEROY).await;
    let all = items(
        &app.get("/api/appointments?limit=100", martin.bearer())
            .await,
    );
    assert!(all.iter().all(|a| a["cabinetId"] == "cab-parc"));
    let patients: Vec<&str> = all
        .iter()
        .map(|a| a["patientId"].as_str().unwrap())
        .collect();
    assert!(patients.contains(&patient.user_id.as_str()));
    assert!(patients.contains(&patient2.user_id.as_str()));
    assert!(all
        .iter()
        .any(|a| a["practitioner"]["lastName"] == "Bernard"));
    let lumiere = items(&app.get("/api/appointments?limit=100", leroy.bearer()).await);
    assert!(!lumiere.is_empty());
    let parc_ids = ids(&all);
    assert!(ids(&lumiere).iter().all(|id| !parc_ids.contains(id)));
    // Soonest first.
    let starts: Vec<&str> = all
        .iter()
        .map(|a| a["startTime"].as_str().unwrap())
        .collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
}

#[tokio::test]
async fn lists_are_paginated() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let total = app.total(&martin.token, "").await;
    assert!(
        total >= 5,
        "the demo has a week of appointments, got {total}"
    );
    let reply = app
        .get("/api/appointments?page=1&limit=2", martin.bearer())
        .await;
    let p = reply.ok(200)["pagination"].clone();
    assert_eq!(items(&reply).len(), 2);
    assert_eq!(p["page"], 1);
    assert_eq!(p["limit"], 2);
    assert_eq!(p["total"], total);
    assert_eq!(p["totalPages"], total.div_ceil(2));
    assert_eq!(p["hasNext"], true);
    assert_eq!(p["hasPrev"], false);
    let first_page = ids(&items(&reply));

    let reply = app
        .get("/api/appointments?page=2&limit=2", martin.bearer())
        .await;
    assert_eq!(reply.ok(200)["pagination"]["hasPrev"], true);
    let second_page = ids(&items(&reply));
    assert!(second_page.iter().all(|id| !first_page.contains(id)));

    let last = total.div_ceil(2);
    let reply = app
        .get(
            &format!("/api/appointments?page={last}&limit=2"),
            martin.bearer(),
        )
        .await;
    assert_eq!(reply.ok(200)["pagination"]["hasNext"], false);
    assert_eq!(items(&reply).len() as u64, total - (last - 1) * 2);

    for limit in [0, 101] {
        app.get(&format!("/api/appointments?limit={limit}"), martin.bearer())
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is("limit");
    }
    app.get("/api/appointments?limit=abc", martin.bearer())
        .await
        .err(422, "VALIDATION_ERROR");
    app.get("/api/appointments?colour=red", martin.bearer())
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("colour");
}

#[tokio::test]
async fn status_filters_repeat() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let slot = app
        .next_free_slot(&patient.token, &martin.user_id, 30)
        .await;
    let pending_id = app
        .post(
            "/api/appointments",
            patient.bearer(),
            &booking(&martin.user_id, slot.start, 30),
        )
        .await
        .ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string();

    let pending = items(
        &app.get(
            "/api/appointments?status=pending&limit=100",
            martin.bearer(),
        )
        .await,
    );
    assert_eq!(ids(&pending), std::slice::from_ref(&pending_id));
    let confirmed = app.total(&martin.token, "status=confirmed").await;
    assert!(confirmed > 0);
    let both = items(
        &app.get(
            "/api/appointments?status=pending&status=confirmed&limit=100",
            martin.bearer(),
        )
        .await,
    );
    assert_eq!(both.len() as u64, confirmed + 1);
    assert!(both
        .iter()
        .all(|a| a["status"] == "pending" || a["status"] == "confirmed"));
    assert!(ids(&both).contains(&pending_id));

    app.get("/api/appointments?status=maybe", martin.bearer())
        .await
        .err(422, "VALIDATION_ERROR");
}

// ---------------------------------------------------------------------------------------------
// One appointment

#[tokio::test]
async fn an_appointment_is_invisible_outside_its_cabinet_and_to_other_patients() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let leroy = app.login(LEROY).await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;

    let lumiere_id = ids(&items(&app.get("/api/appointments", leroy.bearer()).await))[0].clone();
    app.get(&format!("/api/appointments/{lumiere_id}"), leroy.bearer())
        .await
        .ok(200);
    app.get(&format!("/api/appointments/{lumiere_id}"), martin.bearer())
        .await
        .err(404, "NOT_FOUND");

    let of_patient2 = ids(&items(
        &app.get("/api/appointments", patient2.bearer()).await,
    ))[0]
        .clone();
    app.get(
        &format!("/api/appointments/{of_patient2}"),
        patient2.bearer(),
    )
    .await
    .ok(200);
    app.get(&format!("/api/appointments/{of_patient2}"), martin.bearer())
        .await
        .ok(200);
    app.get(
        &format!("/api/appointments/{of_patient2}"),
        patient.bearer(),
    )
    .await
    .err(404, "NOT_FOUND");
    app.get("/api/appointments/does-not-exist", martin.bearer())
        .await
        .err(404, "NOT_FOUND");
}

// ---------------------------------------------------------------------------------------------
// Confirmation

#[tokio::test]
async fn only_the_practitioner_confirms_once() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let bernard = app.login(BERNARD).await;
    let manager = app.login(MANAGER).await;
    let leroy = app.login(LEROY).await;
    let slot = app
        .next_free_slot(&patient.token, &martin.user_id, 30)
        .await;
    let id = app
        .post(
            "/api/appointments",
            patient.bearer(),
            &booking(&martin.user_id, slot.start, 30),
        )
        .await
        .ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    let uri = format!("/api/appointments/{id}/confirm");

    app.put(&uri, patient.bearer()).await.err(403, "FORBIDDEN");
    app.put(&uri, bernard.bearer()).await.err(403, "FORBIDDEN");
    app.put(&uri, manager.bearer()).await.err(403, "FORBIDDEN");
    app.put(&uri, leroy.bearer()).await.err(404, "NOT_FOUND");
    app.put(&uri, None).await.err(401, "UNAUTHORIZED");
    let one = app
        .get(&format!("/api/appointments/{id}"), patient.bearer())
        .await;
    assert_eq!(one.ok(200)["status"], "pending", "refusals changed nothing");

    let reply = app.put(&uri, martin.bearer()).await;
    let confirmed = reply.ok(200);
    assert_eq!(confirmed["status"], "confirmed");
    assert_eq!(confirmed["id"], id.as_str());
    let one = app
        .get(&format!("/api/appointments/{id}"), patient.bearer())
        .await;
    assert_eq!(one.ok(200)["status"], "confirmed");

    app.put(&uri, martin.bearer())
        .await
        .err(409, "INVALID_TRANSITION");
    app.put("/api/appointments/nope/confirm", martin.bearer())
        .await
        .err(404, "NOT_FOUND");
}

#[tokio::test]
async fn an_admin_confirms_any_practitioners_appointment() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let admin = app.login(ADMIN).await;
    let bernard_id = app.practitioner_id(&patient.token, "Bernard").await;
    let slot = app.next_free_slot(&patient.token, &bernard_id, 30).await;
    let id = app
        .post(
            "/api/appointments",
            patient.bearer(),
            &booking(&bernard_id, slot.start, 30),
        )
        .await
        .ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    let reply = app
        .put(&format!("/api/appointments/{id}/confirm"), admin.bearer())
        .await;
    assert_eq!(reply.ok(200)["status"], "confirmed");
}
