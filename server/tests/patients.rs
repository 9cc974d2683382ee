//! Patient records through the real router: who may list, read and change them (same and
//! other cabinet, every role), search, sort and paging, and a patient's appointments.

mod common;
mod records_support;

use chrono::{DateTime, Duration, Utc};
use common::*;
use records_support::*;
use serde_json::{json, Value};

async fn ids_of(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let reply = app
        .get(&format!("/api/patients?{query}"), Some(token))
        .await;
    items(&reply)
        .iter()
        .map(|p| str_of(p, "id").to_string())
        .collect()
}

async fn emails_of(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let reply = app
        .get(&format!("/api/patients?{query}"), Some(token))
        .await;
    items(&reply)
        .iter()
        .map(|p| str_of(p, "email").to_string())
        .collect()
}

/// Creates a patient of Martin's cabinet through a staff booking; returns their id.
async fn new_patient(app: &TestApp, first: &str, last: &str, email: &str, phone: &str) -> String {
    let martin = app.login(MARTIN).await;
    let slot = app.next_free_slot(&martin.token, &martin.user_id, 30).await;
    let mut body = booking_for_new_patient(&martin.user_id, slot.start, 30, email);
    body["patientData"] =
        json!({"firstName": first, "lastName": last, "email": email, "phone": phone});
    let reply = app.post("/api/appointments", martin.bearer(), &body).await;
    str_of(reply.ok(201), "patientId").to_string()
}

// ---------------------------------------------------------------------------------------------
// The list

#[tokio::test]
async fn staff_list_their_own_cabinets_patients_only() {
    let app = app().await;
    for email in [MARTIN, ADMIN, MANAGER, BERNARD] {
        let staff = app.login(email).await;
        let reply = app.get("/api/patients", staff.bearer()).await;
        let page = reply.ok(200);
        let emails: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["email"].as_str().unwrap())
            .collect();
        assert_eq!(emails.len(), 2, "{email}: {emails:?}");
        assert!(emails.contains(&PATIENT) && emails.contains(&PATIENT2));
        assert!(
            !emails.contains(&LUMIERE_PATIENT),
            "no other cabinet's patient"
        );
        assert!(!emails.contains(&MARTIN), "no staff in the patient list");
        assert_eq!(page["pagination"]["total"], 2);
        let first = &page["items"][0];
        assert_eq!(first["lastName"], "Benali", "sorted by last name");
        for key in ["id", "firstName", "lastName", "email", "createdAt"] {
            assert!(first[key].is_string(), "{key} in {first}");
        }
        assert!(first["appointmentCount"].as_u64().is_some_and(|n| n > 0));
    }
    let leroy = app.login(LEROY).await;
    assert_eq!(
        emails_of(&app, &leroy.token, "").await,
        vec![LUMIERE_PATIENT.to_string()]
    );
    // Searching another cabinet's patient by email finds nothing.
    assert!(emails_of(&app, &leroy.token, "search=nova-rdv.test")
        .await
        .iter()
        .all(|e| e == LUMIERE_PATIENT));
    assert!(emails_of(&app, &leroy.token, &format!("search={PATIENT2}"))
        .await
        .is_empty());

    let patient = app.login(PATIENT).await;
    app.get("/api/patients", patient.bearer())
        .await
        .err(403, "FORBIDDEN");
    app.get("/api/patients", None)
        .await
        .err(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn the_list_searches_sorts_and_pages() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    new_patient(
        &app,
        "Zoé",
        "Abadie",
        "zoe.abadie@example.test",
        "01 23 45 67 89",
    )
    .await;
    new_patient(
        &app,
        "Marc",
        "O_Neil",
        "marc@example.test",
        "06 99 88 77 66",
    )
    .await;
    new_patient(
        &app,
        "Inès",
        "Carpentier",
        "ines@example.test",
        "0611223344",
    )
    .await;

    // Case-insensitive, on first name, last name, full name, email and phone.
    let found = |q: &'static str| {
        let app = &app;
        let token = martin.token.clone();
        async move { emails_of(app, &token, q).await }
    };
    assert_eq!(found("search=DUBOIS").await, vec![PATIENT]);
    assert_eq!(found("search=karim").await, vec![PATIENT2]);
    assert_eq!(
        found("search=L%C3%A9a%20Dubois").await,
        vec![PATIENT],
        "full name"
    );
    assert_eq!(found("search=PATIENT2%40").await, vec![PATIENT2]);
    assert_eq!(found("search=99%2088").await, vec!["marc@example.test"]);
    assert_eq!(
        found("search=%20abadie%20").await,
        vec!["zoe.abadie@example.test"],
        "trimmed"
    );
    // `%` and `_` are plain characters, not wildcards.
    assert_eq!(found("search=o_n").await, vec!["marc@example.test"]);
    assert!(found("search=%25").await.is_empty());
    assert!(
        found("search=_").await.len() == 1,
        "only O_Neil has an underscore"
    );
    assert!(found("search=nobody-at-all").await.is_empty());

    // Sorting.
    let by_name = found("sortBy=lastName").await;
    assert_eq!(
        by_name,
        vec![
            "zoe.abadie@example.test",
            PATIENT2,
            "ines@example.test",
            PATIENT,
            "marc@example.test"
        ]
    );
    let mut reversed = by_name.clone();
    reversed.reverse();
    assert_eq!(found("sortBy=lastName&sortOrder=desc").await, reversed);
    let newest_first = found("sortBy=createdAt&sortOrder=desc").await;
    assert_eq!(newest_first.len(), 5);
    let oldest_first = found("sortBy=createdAt&sortOrder=asc").await;
    let mut back = oldest_first.clone();
    back.reverse();
    assert_eq!(newest_first, back);

    // Paging covers everyone once.
    let mut seen = Vec::new();
    for page in 1..=3 {
        let reply = app
            .get(
                &format!("/api/patients?limit=2&page={page}"),
                martin.bearer(),
            )
            .await;
        let data = reply.ok(200);
        assert_eq!(data["pagination"]["total"], 5);
        assert_eq!(data["pagination"]["totalPages"], 3);
        assert_eq!(data["pagination"]["hasNext"], page < 3);
        assert_eq!(data["pagination"]["hasPrev"], page > 1);
        for p in data["items"].as_array().unwrap() {
            seen.push(p["email"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(seen, by_name);
    assert!(ids_of(&app, &martin.token, "limit=2&page=9")
        .await
        .is_empty());

    // Bad queries are typed errors.
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("colour=blue", "colour"),
        (&*format!("search={}", "x".repeat(101)), "search"),
    ] {
        app.get(&format!("/api/patients?{query}"), martin.bearer())
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is(field);
    }
    for query in ["sortBy=email", "sortOrder=up", "page=-1"] {
        app.get(&format!("/api/patients?{query}"), martin.bearer())
            .await
            .err(422, "VALIDATION_ERROR");
    }
}

// ---------------------------------------------------------------------------------------------
// One record

#[tokio::test]
async fn a_record_summarises_the_patients_appointments() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let karim_id = patient_id(&app, &martin.token, PATIENT2).await;
    let reply = app
        .get(&format!("/api/patients/{karim_id}"), martin.bearer())
        .await;
    let karim = reply.ok(200).clone();
    assert_eq!(karim["firstName"], "Karim");
    assert_eq!(karim["lastName"], "Benali");
    assert_eq!(karim["email"], PATIENT2);

    let all = app
        .get(
            &format!("/api/appointments?patientId={karim_id}&limit=100"),
            martin.bearer(),
        )
        .await;
    let all = items(&all);
    assert_eq!(karim["appointmentCount"], all.len() as u64);
    let now = Utc::now();
    let start = |a: &Value| -> DateTime<Utc> { str_of(a, "startTime").parse().unwrap() };
    let next = all
        .iter()
        .filter(|a| start(a) > now && ["pending", "confirmed"].contains(&str_of(a, "status")))
        .map(start)
        .min();
    assert_eq!(
        karim["nextAppointmentAt"]
            .as_str()
            .map(|s| s.parse::<DateTime<Utc>>().unwrap()),
        next
    );
    let last = all.iter().filter(|a| start(a) <= now).map(start).max();
    assert_eq!(
        karim["lastAppointmentAt"]
            .as_str()
            .map(|s| s.parse::<DateTime<Utc>>().unwrap()),
        last
    );

    // The next visit, once it has happened, becomes the last one.
    let next_id = all
        .iter()
        .find(|a| Some(start(a)) == next)
        .map(|a| str_of(a, "id").to_string())
        .expect("Karim has a next appointment");
    let just_now = DateTime::from_timestamp(now.timestamp() - 60, 0).unwrap();
    move_to(&app, &next_id, just_now).await;
    set_status(&app, &next_id, "completed").await;
    let reply = app
        .get(&format!("/api/patients/{karim_id}"), martin.bearer())
        .await;
    let after = reply.ok(200);
    assert_eq!(after["lastAppointmentAt"], rfc3339(just_now).as_str());
    assert_ne!(after["nextAppointmentAt"], karim["nextAppointmentAt"]);
    assert_eq!(after["appointmentCount"], karim["appointmentCount"]);
}

#[tokio::test]
async fn who_may_read_a_record() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let lea = app.login(PATIENT).await;
    let karim = app.login(PATIENT2).await;
    let leroy = app.login(LEROY).await;
    let lumiere_patient = app.login(LUMIERE_PATIENT).await;
    let lea_uri = format!("/api/patients/{}", lea.user_id);

    for email in [MARTIN, BERNARD, ADMIN, MANAGER] {
        let staff = app.login(email).await;
        let reply = app.get(&lea_uri, staff.bearer()).await;
        assert_eq!(reply.ok(200)["email"], PATIENT, "{email}");
    }
    // The patient themself.
    assert_eq!(
        app.get(&lea_uri, lea.bearer()).await.ok(200)["id"],
        lea.user_id.as_str()
    );
    // Another patient, even of the same cabinet: 403 without looking anything up.
    app.get(&lea_uri, karim.bearer())
        .await
        .err(403, "FORBIDDEN");
    app.get(&lea_uri, lumiere_patient.bearer())
        .await
        .err(403, "FORBIDDEN");
    app.get("/api/patients/no-such-id", karim.bearer())
        .await
        .err(403, "FORBIDDEN");
    // Another cabinet's staff: not found, and nothing of the record in the answer.
    let reply = app.get(&lea_uri, leroy.bearer()).await;
    reply.err(404, "NOT_FOUND");
    assert!(!reply.body.to_string().contains("Dubois"));
    // A staff member's id is not a patient's record.
    app.get(
        &format!("/api/patients/{}", martin.user_id),
        martin.bearer(),
    )
    .await
    .err(404, "NOT_FOUND");
    app.get("/api/patients/no-such-id", martin.bearer())
        .await
        .err(404, "NOT_FOUND");
    app.get(&lea_uri, None).await.err(401, "UNAUTHORIZED");
    // A foreign tenant header is refused before anything else.
    let mut req = request(axum::http::Method::GET, &lea_uri, martin.bearer(), None);
    req.headers_mut()
        .insert("x-tenant-id", "cab-lumiere".parse().unwrap());
    app.send(req).await.err(403, "FORBIDDEN");
}

// ---------------------------------------------------------------------------------------------
// Changes

#[tokio::test]
async fn who_may_change_a_record() {
    let app = app().await;
    let lea = app.login(PATIENT).await;
    let uri = format!("/api/patients/{}", lea.user_id);
    let body = json!({"phone": "06 11 22 33 44"});

    let manager = app.login(MANAGER).await;
    put_json(&app, &uri, manager.bearer(), &body)
        .await
        .err(403, "FORBIDDEN");
    let karim = app.login(PATIENT2).await;
    put_json(&app, &uri, karim.bearer(), &body)
        .await
        .err(403, "FORBIDDEN");
    let leroy = app.login(LEROY).await;
    put_json(&app, &uri, leroy.bearer(), &body)
        .await
        .err(404, "NOT_FOUND");
    put_json(&app, &uri, None, &body)
        .await
        .err(401, "UNAUTHORIZED");
    let martin = app.login(MARTIN).await;
    assert!(
        app.get(&uri, martin.bearer()).await.ok(200)["phone"].is_null(),
        "refused changes wrote nothing"
    );

    for (who, phone) in [
        (MARTIN, "06 00 00 00 01"),
        (ADMIN, "06 00 00 00 02"),
        (PATIENT, "06 00 00 00 03"),
    ] {
        let session = app.login(who).await;
        let reply = put_json(&app, &uri, session.bearer(), &json!({"phone": phone})).await;
        let data = reply.ok(200);
        assert_eq!(data["phone"], phone, "{who}");
        assert_eq!(data["firstName"], "Léa", "other fields unchanged");
    }
}

#[tokio::test]
async fn changes_are_validated_and_emails_stay_unique() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let lea = app.login(PATIENT).await;
    let uri = format!("/api/patients/{}", lea.user_id);
    let before = app.get(&uri, martin.bearer()).await.ok(200).clone();

    for (body, field) in [
        (json!({"firstName": "  "}), "firstName"),
        (json!({"lastName": "x".repeat(101)}), "lastName"),
        (json!({"email": "not-an-email"}), "email"),
        (json!({"phone": "call me"}), "phone"),
        (json!({"email": 42}), "email"),
        (json!({"role": "admin"}), "role"),
        (json!({"firstName": "Ok", "email": PATIENT2}), "email"),
        (json!({"email": " PATIENT2@nova-rdv.test "}), "email"),
        (json!({"email": LUMIERE_PATIENT}), "email"),
        (json!({"email": MARTIN}), "email"),
    ] {
        put_json(&app, &uri, martin.bearer(), &body)
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is(field);
    }
    let reply = app
        .send(request(
            axum::http::Method::PUT,
            &uri,
            martin.bearer(),
            Some("{\"firstName\":".into()),
        ))
        .await;
    reply.err(400, "MALFORMED_JSON");
    let after = app.get(&uri, martin.bearer()).await.ok(200).clone();
    assert_eq!(before, after, "nothing was written");

    // A valid change: trimmed, the email lowercased, and it is the new login.
    let reply = put_json(
        &app,
        &uri,
        lea.bearer(),
        &json!({"firstName": " Léa-Marie ", "email": " Lea.Dubois@Example.TEST "}),
    )
    .await;
    let data = reply.ok(200);
    assert_eq!(data["firstName"], "Léa-Marie");
    assert_eq!(data["lastName"], "Dubois");
    assert_eq!(data["email"], "lea.dubois@example.test");
    app.post(
        "/api/auth/login",
        None,
        &json!({"email": "lea.dubois@example.test", "password": PASSWORD}),
    )
    .await
    .ok(200);
    app.post(
        "/api/auth/login",
        None,
        &json!({"email": PATIENT, "password": PASSWORD}),
    )
    .await
    .err(401, "INVALID_CREDENTIALS");
    // Keeping one's own email is not a conflict; an empty body changes nothing.
    put_json(
        &app,
        &uri,
        lea.bearer(),
        &json!({"email": "lea.dubois@example.test"}),
    )
    .await
    .ok(200);
    let same = put_json(&app, &uri, lea.bearer(), &json!({})).await;
    assert_eq!(same.ok(200)["email"], "lea.dubois@example.test");
}

// ---------------------------------------------------------------------------------------------
// A patient's appointments

#[tokio::test]
async fn a_patients_appointments_upcoming_or_with_history() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let lea = app.login(PATIENT).await;
    let base = format!("/api/patients/{}/appointments", lea.user_id);

    let slot = app.next_free_slot(&lea.token, &martin.user_id, 30).await;
    let booked = book_as_patient(&app, &lea.token, &martin.user_id, slot.start, 30, None).await;
    let all = app.get("/api/appointments?limit=100", lea.bearer()).await;
    let all = items(&all);
    // Of the demo's appointments, one moved into the past (done), one cancelled.
    let demo: Vec<&Value> = all.iter().filter(|a| a["id"] != booked["id"]).collect();
    let done = str_of(demo[0], "id").to_string();
    move_to(&app, &done, Utc::now() - Duration::days(10)).await;
    set_status(&app, &done, "completed").await;
    let cancelled = str_of(demo[1], "id").to_string();
    set_status(&app, &cancelled, "cancelled").await;

    let reply = app.get(&base, martin.bearer()).await;
    let upcoming = items(&reply);
    assert_eq!(upcoming.len(), all.len() - 2);
    assert!(upcoming
        .iter()
        .all(|a| ["pending", "confirmed"].contains(&str_of(a, "status"))));
    let starts: Vec<&str> = upcoming.iter().map(|a| str_of(a, "startTime")).collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted, "soonest first");
    assert!(upcoming.iter().any(|a| a["id"] == booked["id"]));

    let reply = app
        .get(
            &format!("{base}?includeHistory=true&limit=100"),
            lea.bearer(),
        )
        .await;
    let history = items(&reply);
    assert_eq!(history.len(), all.len());
    assert_eq!(history.last().unwrap()["id"], done.as_str(), "latest first");
    assert!(history.iter().any(|a| a["id"] == cancelled.as_str()));
    assert!(history
        .iter()
        .all(|a| a["patientId"] == lea.user_id.as_str()));

    let reply = app
        .get(
            &format!("{base}?includeHistory=false&limit=1&page=2"),
            martin.bearer(),
        )
        .await;
    let page = reply.ok(200);
    assert_eq!(page["pagination"]["total"], upcoming.len() as u64);
    assert_eq!(page["items"][0]["id"], upcoming[1]["id"]);

    // Same access rules as the record.
    let karim = app.login(PATIENT2).await;
    app.get(&base, karim.bearer()).await.err(403, "FORBIDDEN");
    let leroy = app.login(LEROY).await;
    let reply = app.get(&base, leroy.bearer()).await;
    reply.err(404, "NOT_FOUND");
    assert!(reply.data().is_null());
    app.get(&format!("{base}?includeHistory=maybe"), martin.bearer())
        .await
        .err(422, "VALIDATION_ERROR");
    app.get(&format!("{base}?limit=500"), martin.bearer())
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("limit");
}
