//! When a practitioner can be booked: cabinet settings (buffer, minimum notice, time zone),
//! weekly hours, absences and closures, the types catalogue, and how slots and bookings obey
//! them.

mod common;

use chrono::{Duration, Utc, Weekday};
use common::scheduling::*;
use common::*;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Cabinet settings

#[tokio::test]
async fn everyone_reads_their_cabinets_settings() {
    let app = app().await;
    for email in [PATIENT, MARTIN, MANAGER, ADMIN] {
        let s = app.login(email).await;
        let data = app
            .get("/api/cabinets/current", s.bearer())
            .await
            .ok(200)
            .clone();
        assert_eq!(
            data,
            json!({
                "id": "cab-parc",
                "name": "Cabinet Dentaire du Parc",
                "city": "Paris",
                "timezone": "Europe/Paris",
                "bufferMinutes": 0,
                "minNoticeMinutes": 60,
            })
        );
    }
    let leroy = app.login(LEROY).await;
    let other = app.get("/api/cabinets/current", leroy.bearer()).await;
    assert_eq!(other.ok(200)["id"], "cab-lumiere");
    app.get("/api/cabinets/current", None)
        .await
        .err(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn only_an_admin_changes_the_settings_and_bad_values_change_nothing() {
    let app = app().await;
    let admin = app.login(ADMIN).await;
    let before = app
        .get("/api/cabinets/current", admin.bearer())
        .await
        .ok(200)
        .clone();
    for email in [PATIENT, MARTIN, MANAGER] {
        let s = app.login(email).await;
        app.put_json(
            "/api/cabinets/current",
            s.bearer(),
            &json!({"bufferMinutes": 10}),
        )
        .await
        .err(403, "FORBIDDEN");
    }
    for (body, field) in [
        (json!({"timezone": "Mars/Olympus"}), "timezone"),
        (json!({"timezone": ""}), "timezone"),
        (json!({"timezone": 3}), "timezone"),
        (json!({"bufferMinutes": 241}), "bufferMinutes"),
        (json!({"bufferMinutes": -5}), "bufferMinutes"),
        (json!({"minNoticeMinutes": 43201}), "minNoticeMinutes"),
        (json!({"name": "Autre"}), "name"),
        (
            json!({"bufferMinutes": 10, "timezone": "Nowhere/Land"}),
            "timezone",
        ),
    ] {
        app.put_json("/api/cabinets/current", admin.bearer(), &body)
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is(field);
    }
    let after = app.get("/api/cabinets/current", admin.bearer()).await;
    assert_eq!(after.ok(200), &before, "refused updates wrote nothing");

    let changed = app
        .set_cabinet(
            &admin.token,
            json!({"timezone": "America/Montreal", "bufferMinutes": 10, "minNoticeMinutes": 120}),
        )
        .await;
    assert_eq!(changed["timezone"], "America/Montreal");
    assert_eq!(changed["bufferMinutes"], 10);
    assert_eq!(changed["minNoticeMinutes"], 120);
    // A partial update keeps the rest.
    let partial = app
        .set_cabinet(&admin.token, json!({"bufferMinutes": 0}))
        .await;
    assert_eq!(partial["timezone"], "America/Montreal");
    assert_eq!(partial["minNoticeMinutes"], 120);
    // The other cabinet is untouched.
    let leroy = app.login(LEROY).await;
    let lumiere = app.get("/api/cabinets/current", leroy.bearer()).await;
    assert_eq!(lumiere.ok(200)["timezone"], "Europe/Paris");
    assert_eq!(lumiere.ok(200)["minNoticeMinutes"], 60);
}

#[tokio::test]
async fn the_cabinets_time_zone_places_the_hours() {
    let app = app().await;
    let admin = app.login(ADMIN).await;
    let martin = app.login(MARTIN).await;
    let day = quiet_day();
    let first = |slots: &[Value]| slots[0]["startTime"].as_str().unwrap().to_string();
    let in_paris = app
        .slots(&martin.token, &martin.user_id, day, day, 30)
        .await;
    assert_eq!(first(&in_paris), rfc3339(paris(day, 9, 0)));
    app.set_cabinet(&admin.token, json!({"timezone": "Asia/Tokyo"}))
        .await;
    let tokyo = app
        .slots(&martin.token, &martin.user_id, day, day, 30)
        .await;
    let nine_in_tokyo = day.and_hms_opt(0, 0, 0).unwrap().and_utc(); // 09:00 JST = 00:00Z
    assert_eq!(first(&tokyo), rfc3339(nine_in_tokyo));
    assert_eq!(tokyo[0]["time"], "09:00");
}

// ---------------------------------------------------------------------------------------------
// Appointment types

#[tokio::test]
async fn the_eight_types_come_with_durations_and_labels() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let reply = app.get("/api/appointment-types", patient.bearer()).await;
    let types = reply.ok(200).as_array().unwrap().clone();
    let names: Vec<&str> = types.iter().map(|t| t["type"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "consultation",
            "controle",
            "soin",
            "detartrage",
            "extraction",
            "implant",
            "orthodontie",
            "urgence"
        ]
    );
    let implant = &types[5];
    assert_eq!(implant["defaultDuration"], 90);
    assert_eq!(implant["labels"], json!({"fr": "Implant", "en": "Implant"}));
    assert_eq!(
        types[1]["labels"],
        json!({"fr": "Contrôle", "en": "Check-up"})
    );
    assert_eq!(types[1]["defaultDuration"], 20);
    app.get("/api/appointment-types", None)
        .await
        .err(401, "UNAUTHORIZED");
}

// ---------------------------------------------------------------------------------------------
// Weekly hours

fn demo_week() -> Value {
    let mut hours = Vec::new();
    for weekday in 1..=5 {
        hours.push(json!({"weekday": weekday, "start": "09:00", "end": "12:00"}));
        hours.push(json!({"weekday": weekday, "start": "14:00", "end": "18:00"}));
    }
    Value::Array(hours)
}

#[tokio::test]
async fn everyone_in_the_cabinet_reads_a_practitioners_week() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    let uri = format!("/api/practitioners/{martin_id}/hours");
    let week = app.get(&uri, patient.bearer()).await.ok(200).clone();
    assert_eq!(week["practitionerId"], martin_id.as_str());
    assert_eq!(week["timezone"], "Europe/Paris");
    assert_eq!(week["hours"], demo_week());

    let leroy = app.login(LEROY).await;
    app.get(&uri, leroy.bearer()).await.err(404, "NOT_FOUND");
    let patient_id = patient.user_id.clone();
    app.get(
        &format!("/api/practitioners/{patient_id}/hours"),
        patient.bearer(),
    )
    .await
    .err(404, "NOT_FOUND");
    app.get(&uri, None).await.err(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn a_practitioner_replaces_their_week_and_slots_follow() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let uri = format!("/api/practitioners/{}/hours", martin.user_id);
    let saturday = next(Weekday::Sat, paris_today() + Duration::days(1));
    let monday = next(Weekday::Mon, saturday);
    let body = json!({"hours": [
        {"weekday": 6, "start": "08:30", "end": "12:30"},
        {"weekday": 1, "start": "13:00", "end": "14:00"},
        {"weekday": 1, "start": "10:00", "end": "11:00"},
    ]});
    let week = app
        .put_json(&uri, martin.bearer(), &body)
        .await
        .ok(200)
        .clone();
    assert_eq!(
        week["hours"],
        json!([
            {"weekday": 1, "start": "10:00", "end": "11:00"},
            {"weekday": 1, "start": "13:00", "end": "14:00"},
            {"weekday": 6, "start": "08:30", "end": "12:30"},
        ]),
        "sorted by day then start"
    );
    assert_eq!(app.get(&uri, martin.bearer()).await.ok(200), &week);

    let sat = app
        .slots(&martin.token, &martin.user_id, saturday, saturday, 30)
        .await;
    assert_eq!(sat.len(), 8);
    assert_eq!(sat[0]["time"], "08:30");
    let mon: Vec<String> = app
        .slots(&martin.token, &martin.user_id, monday, monday, 30)
        .await
        .iter()
        .map(|s| s["time"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(mon, ["10:00", "10:30", "13:00", "13:30"]);
    // Booking follows the new week too.
    let patient = app.login(PATIENT).await;
    app.post(
        "/api/appointments",
        patient.bearer(),
        &booking(&martin.user_id, paris(monday, 9, 0), 30),
    )
    .await
    .err(409, "SLOT_UNAVAILABLE")
    .field_is("startTime");
    app.book(
        &patient.token,
        &booking(&martin.user_id, paris(saturday, 8, 30), 30),
    )
    .await;

    // An empty week closes every day.
    app.put_json(&uri, martin.bearer(), &json!({"hours": []}))
        .await
        .ok(200);
    assert!(app
        .slots(&martin.token, &martin.user_id, monday, monday, 30)
        .await
        .is_empty());
}

#[tokio::test]
async fn only_the_practitioner_or_an_admin_replaces_hours() {
    let app = app().await;
    let admin = app.login(ADMIN).await;
    let martin = app.login(MARTIN).await;
    let uri = format!("/api/practitioners/{}/hours", martin.user_id);
    let body = json!({"hours": [{"weekday": 2, "start": "09:00", "end": "10:00"}]});
    for email in [PATIENT, BERNARD, MANAGER] {
        let s = app.login(email).await;
        app.put_json(&uri, s.bearer(), &body)
            .await
            .err(403, "FORBIDDEN");
    }
    let leroy = app.login(LEROY).await;
    app.put_json(&uri, leroy.bearer(), &body)
        .await
        .err(404, "NOT_FOUND");
    assert_eq!(
        app.get(&uri, martin.bearer()).await.ok(200)["hours"],
        demo_week(),
        "refusals changed nothing"
    );
    let week = app.put_json(&uri, admin.bearer(), &body).await;
    assert_eq!(week.ok(200)["hours"], body["hours"]);
}

#[tokio::test]
async fn a_bad_week_names_its_field_and_writes_nothing() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let uri = format!("/api/practitioners/{}/hours", martin.user_id);
    let ok_window = json!({"weekday": 1, "start": "09:00", "end": "12:00"});
    let cases = [
        (
            json!({"hours": [ok_window, {"weekday": 8, "start": "09:00", "end": "10:00"}]}),
            "hours[1].weekday",
        ),
        (
            json!({"hours": [{"weekday": 0, "start": "09:00", "end": "10:00"}]}),
            "hours[0].weekday",
        ),
        (
            json!({"hours": [ok_window, ok_window, {"weekday": 2, "start": "18:00", "end": "09:00"}]}),
            "hours[2].end",
        ),
        (
            json!({"hours": [{"weekday": 2, "start": "10:00", "end": "10:00"}]}),
            "hours[0].end",
        ),
        (
            json!({"hours": [{"weekday": 2, "start": "9:00", "end": "10:00"}]}),
            "hours[0].start",
        ),
        (
            json!({"hours": [{"weekday": 2, "start": "09:00", "end": "25:00"}]}),
            "hours[0].end",
        ),
        (
            json!({"hours": [ok_window, {"weekday": 1, "start": "11:00", "end": "13:00"}]}),
            "hours[1].start",
        ),
        (
            json!({"hours": [{"weekday": 2, "start": "09:00"}]}),
            "hours[0].end",
        ),
        (
            json!({"hours": [{"weekday": 2, "start": "09:00", "end": "10:00", "room": 1}]}),
            "hours[0].room",
        ),
        (
            json!({"hours": [{"weekday": "lundi", "start": "09:00", "end": "10:00"}]}),
            "hours[0].weekday",
        ),
        (json!({}), "hours"),
        (json!([ok_window]), ""),
    ];
    for (body, field) in cases {
        let reply = app.put_json(&uri, martin.bearer(), &body).await;
        if field.is_empty() {
            reply.err(422, "VALIDATION_ERROR");
        } else {
            reply.err(422, "VALIDATION_ERROR").field_is(field);
        }
    }
    app.send(request(
        axum::http::Method::PUT,
        &uri,
        martin.bearer(),
        Some("{\"hours\": [".into()),
    ))
    .await
    .err(400, "MALFORMED_JSON");
    assert_eq!(
        app.get(&uri, martin.bearer()).await.ok(200)["hours"],
        demo_week()
    );
}

// ---------------------------------------------------------------------------------------------
// Minimum notice and buffer

#[tokio::test]
async fn patients_must_give_notice_but_staff_need_not() {
    let app = app().await;
    let admin = app.login(ADMIN).await;
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    // A week's notice: the next few days are too soon for a patient, whatever the day now.
    app.set_cabinet(&admin.token, json!({"minNoticeMinutes": 7 * 24 * 60}))
        .await;
    let tomorrow = paris_today() + Duration::days(1);
    let horizon = Utc::now() + Duration::days(7);

    let seen_by_patient = app
        .slots(
            &patient.token,
            &martin.user_id,
            tomorrow,
            tomorrow + Duration::days(13),
            30,
        )
        .await;
    assert!(!seen_by_patient.is_empty());
    assert!(seen_by_patient.iter().all(|s| {
        s["startTime"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<Utc>>()
            .unwrap()
            >= horizon - Duration::minutes(1)
    }));

    let slot = app.next_free_slot(&martin.token, &martin.user_id, 30).await;
    assert!(slot.start < horizon, "staff see the coming days");
    let total = app.total(&martin.token, "").await;
    app.post(
        "/api/appointments",
        patient.bearer(),
        &booking(&martin.user_id, slot.start, 30),
    )
    .await
    .err(409, "SLOT_UNAVAILABLE")
    .field_is("startTime");
    assert_eq!(app.total(&martin.token, "").await, total, "nothing booked");
    app.book_for(
        &martin.token,
        &patient.user_id,
        &martin.user_id,
        slot.start,
        30,
    )
    .await;

    // Staff bypass the notice but not the past.
    let past = Utc::now() - Duration::hours(2);
    let mut body = booking(&martin.user_id, past, 30);
    body["patientId"] = json!(patient.user_id);
    app.post("/api/appointments", martin.bearer(), &body)
        .await
        .err(409, "SLOT_UNAVAILABLE")
        .field_is("startTime");
}

#[tokio::test]
async fn the_buffer_keeps_time_free_around_each_appointment() {
    let app = app().await;
    let admin = app.login(ADMIN).await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let bernard_id = app.practitioner_id(&patient.token, "Bernard").await;
    let day = quiet_day();
    app.set_cabinet(&admin.token, json!({"bufferMinutes": 15}))
        .await;
    app.book(&patient.token, &booking(&bernard_id, paris(day, 10, 0), 30))
        .await;

    let free = |h, m| {
        let app = &app;
        let token = patient2.token.clone();
        let id = bernard_id.clone();
        async move { app.is_free(&token, &id, paris(day, h, m), 30).await }
    };
    assert!(free(9, 0).await, "09:00-09:30 ends 30 minutes before");
    assert!(!free(9, 30).await, "09:30-10:00 ends inside the buffer");
    assert!(!free(10, 30).await, "10:30 starts inside the buffer");
    assert!(free(11, 0).await);

    let total = app.total(&admin.token, "").await;
    for start in [paris(day, 10, 30), paris(day, 9, 45), paris(day, 10, 40)] {
        app.post(
            "/api/appointments",
            patient2.bearer(),
            &booking(&bernard_id, start, 30),
        )
        .await
        .err(409, "SLOT_CONFLICT")
        .field_is("startTime");
    }
    assert_eq!(app.total(&admin.token, "").await, total, "nothing booked");
    // Exactly the buffer away is fine, on both sides.
    app.book(
        &patient2.token,
        &booking(&bernard_id, paris(day, 10, 45), 30),
    )
    .await;
    app.book(
        &patient2.token,
        &booking(&bernard_id, paris(day, 9, 15), 30),
    )
    .await;

    // The buffer is per practitioner: Dr Martin is free at 10:30.
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    app.book(
        &patient2.token,
        &booking(&martin_id, paris(day, 10, 30), 30),
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// Absences and closures

fn absence(start: chrono::DateTime<Utc>, end: chrono::DateTime<Utc>, reason: &str) -> Value {
    json!({"startTime": rfc3339(start), "endTime": rfc3339(end), "reason": reason})
}

#[tokio::test]
async fn an_absence_hides_slots_blocks_booking_and_keeps_existing_appointments() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let patient = app.login(PATIENT).await;
    let day = quiet_day();
    let kept = app
        .book(
            &patient.token,
            &booking(&martin.user_id, paris(day, 9, 0), 30),
        )
        .await;
    let afternoon = app
        .book(
            &patient.token,
            &booking(&martin.user_id, paris(day, 16, 0), 30),
        )
        .await;

    let uri = format!("/api/practitioners/{}/absences", martin.user_id);
    let created = app
        .post(
            &uri,
            martin.bearer(),
            &absence(paris(day, 8, 0), paris(day, 12, 0), "Formation"),
        )
        .await
        .ok(201)
        .clone();
    assert_eq!(created["practitionerId"], martin.user_id.as_str());
    assert_eq!(created["reason"], "Formation");
    assert_eq!(
        created["overlappingAppointmentIds"],
        json!([kept]),
        "the morning appointment is reported, not cancelled"
    );
    assert_eq!(
        app.appointment(&martin.token, &kept).await["status"],
        "pending"
    );
    assert_eq!(
        app.appointment(&martin.token, &afternoon).await["status"],
        "pending"
    );

    let times: Vec<String> = app
        .slots(&patient.token, &martin.user_id, day, day, 30)
        .await
        .iter()
        .map(|s| s["time"].as_str().unwrap().to_string())
        .collect();
    assert!(times.iter().all(|t| t.as_str() >= "14:00"), "{times:?}");
    assert_eq!(times.len(), 8);

    let total = app.total(&martin.token, "").await;
    app.post(
        "/api/appointments",
        patient.bearer(),
        &booking(&martin.user_id, paris(day, 11, 0), 30),
    )
    .await
    .err(409, "SLOT_UNAVAILABLE")
    .field_is("startTime");
    let mut by_staff = booking(&martin.user_id, paris(day, 10, 0), 30);
    by_staff["patientId"] = json!(patient.user_id);
    app.post("/api/appointments", martin.bearer(), &by_staff)
        .await
        .err(409, "SLOT_UNAVAILABLE");
    assert_eq!(app.total(&martin.token, "").await, total);

    // Listed for staff, hidden from patients.
    let list = app.get(&uri, martin.bearer()).await.ok(200).clone();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], created["id"]);
    let manager = app.login(MANAGER).await;
    app.get(&uri, manager.bearer()).await.ok(200);
    app.get(&uri, patient.bearer()).await.err(403, "FORBIDDEN");

    // Deleting it offers the morning again.
    let id = created["id"].as_str().unwrap();
    app.delete(&format!("/api/absences/{id}"), martin.bearer())
        .await
        .ok(200);
    assert!(
        app.is_free(&patient.token, &martin.user_id, paris(day, 11, 0), 30)
            .await
    );
    app.delete(&format!("/api/absences/{id}"), martin.bearer())
        .await
        .err(404, "NOT_FOUND");
}

#[tokio::test]
async fn absences_are_managed_by_their_practitioner_or_an_admin() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let admin = app.login(ADMIN).await;
    let day = quiet_day();
    let uri = format!("/api/practitioners/{}/absences", martin.user_id);
    let body = absence(paris(day, 9, 0), paris(day, 10, 0), "Dentiste");
    for email in [PATIENT, BERNARD, MANAGER] {
        let s = app.login(email).await;
        app.post(&uri, s.bearer(), &body)
            .await
            .err(403, "FORBIDDEN");
    }
    let leroy = app.login(LEROY).await;
    app.post(&uri, leroy.bearer(), &body)
        .await
        .err(404, "NOT_FOUND");
    assert!(app
        .get(&uri, martin.bearer())
        .await
        .ok(200)
        .as_array()
        .unwrap()
        .is_empty());

    let by_admin = app.post(&uri, admin.bearer(), &body).await.ok(201).clone();
    let delete_uri = format!("/api/absences/{}", by_admin["id"].as_str().unwrap());
    for email in [PATIENT, BERNARD, MANAGER] {
        let s = app.login(email).await;
        app.delete(&delete_uri, s.bearer())
            .await
            .err(403, "FORBIDDEN");
    }
    app.delete(&delete_uri, leroy.bearer())
        .await
        .err(404, "NOT_FOUND");
    let deleted = app.delete(&delete_uri, martin.bearer()).await;
    assert_eq!(deleted.ok(200)["id"], by_admin["id"]);
}

#[tokio::test]
async fn bad_absences_name_their_field_and_write_nothing() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let day = quiet_day();
    let uri = format!("/api/practitioners/{}/absences", martin.user_id);
    let (a, b) = (paris(day, 9, 0), paris(day, 10, 0));
    for (body, field) in [
        (absence(b, a, "x"), "endTime"),
        (absence(a, a, "x"), "endTime"),
        (absence(a, a + Duration::days(400), "x"), "endTime"),
        (absence(a, b, &"x".repeat(501)), "reason"),
        (json!({"startTime": rfc3339(a)}), "endTime"),
        (
            json!({"startTime": "lundi", "endTime": rfc3339(b)}),
            "startTime",
        ),
        (
            json!({"startTime": rfc3339(a), "endTime": rfc3339(b), "practitionerId": null}),
            "practitionerId",
        ),
    ] {
        app.post(&uri, martin.bearer(), &body)
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is(field);
    }
    assert!(app
        .get(&uri, martin.bearer())
        .await
        .ok(200)
        .as_array()
        .unwrap()
        .is_empty());
    app.get(
        &format!("{uri}?from={}&to={}", rfc3339(b), rfc3339(a)),
        martin.bearer(),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("to");
}

#[tokio::test]
async fn a_cabinet_closure_closes_every_practitioner_and_only_admins_manage_it() {
    let app = app().await;
    let admin = app.login(ADMIN).await;
    let martin = app.login(MARTIN).await;
    let patient = app.login(PATIENT).await;
    let bernard_id = app.practitioner_id(&patient.token, "Bernard").await;
    let day = quiet_day();
    let whole_day = absence(
        paris(day, 0, 0),
        paris(day + Duration::days(1), 0, 0),
        "Férié",
    );

    for email in [PATIENT, MARTIN, MANAGER] {
        let s = app.login(email).await;
        app.post("/api/cabinets/current/closures", s.bearer(), &whole_day)
            .await
            .err(403, "FORBIDDEN");
    }
    let closure = app
        .post("/api/cabinets/current/closures", admin.bearer(), &whole_day)
        .await
        .ok(201)
        .clone();
    assert_eq!(closure["practitionerId"], Value::Null);
    assert_eq!(closure["overlappingAppointmentIds"], json!([]));

    for id in [&martin.user_id, &bernard_id] {
        assert!(app.slots(&patient.token, id, day, day, 30).await.is_empty());
    }
    app.post(
        "/api/appointments",
        patient.bearer(),
        &booking(&bernard_id, paris(day, 14, 0), 30),
    )
    .await
    .err(409, "SLOT_UNAVAILABLE");
    // The next weekday is open, and the other cabinet is not closed.
    let after = weekday_on_or_after(day + Duration::days(1));
    assert!(!app
        .slots(&patient.token, &bernard_id, after, after, 30)
        .await
        .is_empty());
    let leroy = app.login(LEROY).await;
    assert!(!app
        .slots(&leroy.token, &leroy.user_id, day, day, 30)
        .await
        .is_empty());

    // Closures show among each practitioner's absences and in their own list.
    let listed = app
        .get(
            &format!("/api/practitioners/{}/absences", martin.user_id),
            martin.bearer(),
        )
        .await
        .ok(200)
        .clone();
    assert_eq!(listed[0]["id"], closure["id"]);
    let closures = app
        .get("/api/cabinets/current/closures", martin.bearer())
        .await
        .ok(200)
        .clone();
    assert_eq!(closures.as_array().unwrap().len(), 1);
    app.get("/api/cabinets/current/closures", patient.bearer())
        .await
        .err(403, "FORBIDDEN");
    assert!(app
        .get("/api/cabinets/current/closures", leroy.bearer())
        .await
        .ok(200)
        .as_array()
        .unwrap()
        .is_empty());

    let uri = format!("/api/absences/{}", closure["id"].as_str().unwrap());
    app.delete(&uri, martin.bearer())
        .await
        .err(403, "FORBIDDEN");
    app.delete(&uri, admin.bearer()).await.ok(200);
    assert!(!app
        .slots(&patient.token, &bernard_id, day, day, 30)
        .await
        .is_empty());
}

#[tokio::test]
async fn a_closure_reports_every_appointment_it_covers() {
    let app = app().await;
    let admin = app.login(ADMIN).await;
    let patient = app.login(PATIENT).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    let bernard_id = app.practitioner_id(&patient.token, "Bernard").await;
    let day = quiet_day();
    let a = app
        .book(&patient.token, &booking(&martin_id, paris(day, 9, 0), 30))
        .await;
    let b = app
        .book(&patient.token, &booking(&bernard_id, paris(day, 15, 0), 30))
        .await;
    let closure = app
        .post(
            "/api/cabinets/current/closures",
            admin.bearer(),
            &absence(paris(day, 0, 0), paris(day, 23, 0), "Travaux"),
        )
        .await
        .ok(201)
        .clone();
    assert_eq!(closure["overlappingAppointmentIds"], json!([a, b]));
}
