//! The practitioner's calendar feed through the real router: its secret address, rotation, and
//! the iCalendar it serves, read back line by line.

mod common;
mod records_support;

use axum::http::Method;
use chrono::{DateTime, Duration, Utc};
use common::*;
use records_support::*;
use serde_json::json;

async fn feed_url(app: &TestApp, token: &str) -> String {
    let reply = app.get("/api/practitioners/me/calendar", Some(token)).await;
    str_of(reply.ok(200), "url").to_string()
}

/// The unfolded content lines of an iCalendar text, after checking its physical form: CRLF
/// everywhere, no line over 75 octets.
fn content_lines(text: &str) -> Vec<String> {
    let body = text.strip_suffix("\r\n").expect("ends with CRLF");
    for line in body.split("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    body.replace("\r\n ", "")
        .split("\r\n")
        .map(str::to_string)
        .collect()
}

/// The VEVENTs as lists of `NAME:value` lines.
fn events(lines: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for l in lines {
        match l.as_str() {
            "BEGIN:VEVENT" => current = Some(Vec::new()),
            "END:VEVENT" => out.push(current.take().expect("an open VEVENT")),
            _ => {
                if let Some(e) = current.as_mut() {
                    e.push(l.clone());
                }
            }
        }
    }
    out
}

fn prop<'a>(event: &'a [String], name: &str) -> &'a str {
    event
        .iter()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .unwrap_or_else(|| panic!("{name} in {event:?}"))
}

fn ics_time(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

#[tokio::test]
async fn only_practitioners_get_a_feed_address() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let url = feed_url(&app, &martin.token).await;
    assert!(
        url.starts_with(&format!(
            "/api/practitioners/{}/calendar.ics?token=",
            martin.user_id
        )),
        "{url}"
    );
    let token = url.split("token=").nth(1).unwrap();
    assert!(token.len() >= 64 && token.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(
        feed_url(&app, &martin.token).await,
        url,
        "stable until rotated"
    );
    let bernard = app.login(BERNARD).await;
    assert_ne!(feed_url(&app, &bernard.token).await, url);

    for email in [PATIENT, MANAGER, ADMIN] {
        let session = app.login(email).await;
        app.get("/api/practitioners/me/calendar", session.bearer())
            .await
            .err(403, "FORBIDDEN");
        app.post(
            "/api/practitioners/me/calendar/rotate",
            session.bearer(),
            &json!({}),
        )
        .await
        .err(403, "FORBIDDEN");
    }
    app.get("/api/practitioners/me/calendar", None)
        .await
        .err(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn the_feed_needs_its_exact_token_and_rotation_revokes_it() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let bernard = app.login(BERNARD).await;
    let url = feed_url(&app, &martin.token).await;
    let token = url.split("token=").nth(1).unwrap().to_string();
    let feed = format!("/api/practitioners/{}/calendar.ics", martin.user_id);
    let ok = raw(&app, Method::GET, &url, None).await;
    assert_eq!(ok.status, 200);

    let mut wrong = token.clone();
    wrong.replace_range(0..1, if token.starts_with('0') { "1" } else { "0" });
    let bernards = feed_url(&app, &bernard.token).await;
    let bernards_token = bernards.split("token=").nth(1).unwrap();
    for uri in [
        feed.clone(),
        format!("{feed}?token="),
        format!("{feed}?token={wrong}"),
        format!("{feed}?token={}", &token[..token.len() - 1]),
        format!("{feed}?token={token}0"),
        format!("{feed}?token={}", token.to_uppercase()),
        format!("{feed}?token={bernards_token}"),
        format!("/api/practitioners/no-such-id/calendar.ics?token={token}"),
        format!(
            "/api/practitioners/{}/calendar.ics?token={token}",
            bernard.user_id
        ),
    ] {
        let reply = app.get(&uri, None).await;
        reply.err(404, "NOT_FOUND");
    }
    // A Bearer token does not replace the feed token.
    app.get(&feed, martin.bearer()).await.err(404, "NOT_FOUND");
    // Calendar apps may add parameters of their own.
    let extra = raw(&app, Method::GET, &format!("{url}&nocache=1"), None).await;
    assert_eq!(extra.status, 200);
    // A practitioner without a feed yet has no address that works.
    let leroy = app.login(LEROY).await;
    app.get(
        &format!(
            "/api/practitioners/{}/calendar.ics?token={token}",
            leroy.user_id
        ),
        None,
    )
    .await
    .err(404, "NOT_FOUND");

    let rotated = app
        .post(
            "/api/practitioners/me/calendar/rotate",
            martin.bearer(),
            &json!({}),
        )
        .await;
    let new_url = str_of(rotated.ok(200), "url").to_string();
    assert_ne!(new_url, url);
    app.get(&url, None).await.err(404, "NOT_FOUND");
    assert_eq!(raw(&app, Method::GET, &new_url, None).await.status, 200);
    assert_eq!(feed_url(&app, &martin.token).await, new_url);
}

#[tokio::test]
async fn the_feed_is_the_practitioners_agenda_in_icalendar() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let lea = app.login(PATIENT).await;
    let karim = app.login(PATIENT2).await;
    // A pending booking, a patient with a long accented name, and appointments that must not
    // appear: cancelled, too far ahead, too long ago, another practitioner's.
    let slot = app.next_free_slot(&lea.token, &martin.user_id, 30).await;
    let pending = book_as_patient(
        &app,
        &lea.token,
        &martin.user_id,
        slot.start,
        30,
        Some("secret médical"),
    )
    .await;
    let long_name = "de la Fontaine-Éléonore, dite « Zoé » ; 🦷 \\ très longue";
    put_json(
        &app,
        &format!("/api/patients/{}", lea.user_id),
        martin.bearer(),
        &json!({"lastName": long_name}),
    )
    .await
    .ok(200);
    let s2 = app.next_free_slot(&martin.token, &martin.user_id, 30).await;
    let cancelled = book_for(
        &app,
        &martin.token,
        &martin.user_id,
        &karim.user_id,
        s2.start,
        30,
        "soin",
    )
    .await;
    set_status(&app, str_of(&cancelled, "id"), "cancelled").await;
    let s3 = app.next_free_slot(&martin.token, &martin.user_id, 30).await;
    let far = book_for(
        &app,
        &martin.token,
        &martin.user_id,
        &karim.user_id,
        s3.start,
        30,
        "soin",
    )
    .await;
    move_to(&app, str_of(&far, "id"), Utc::now() + Duration::days(200)).await;
    let s4 = app.next_free_slot(&martin.token, &martin.user_id, 30).await;
    let old = book_for(
        &app,
        &martin.token,
        &martin.user_id,
        &karim.user_id,
        s4.start,
        30,
        "soin",
    )
    .await;
    move_to(&app, str_of(&old, "id"), Utc::now() - Duration::days(40)).await;
    let s5 = app.next_free_slot(&martin.token, &martin.user_id, 30).await;
    let recent = book_for(
        &app,
        &martin.token,
        &martin.user_id,
        &karim.user_id,
        s5.start,
        30,
        "detartrage",
    )
    .await;
    move_to(&app, str_of(&recent, "id"), Utc::now() - Duration::days(20)).await;

    let url = feed_url(&app, &martin.token).await;
    let reply = raw(&app, Method::GET, &url, None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "text/calendar; charset=utf-8");
    let lines = content_lines(&reply.text);
    assert_eq!(
        &lines[..5],
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Nova RDV//Agenda//FR",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
        ]
    );
    assert!(lines
        .iter()
        .any(|l| l.starts_with("X-WR-CALNAME:") && l.contains("Claire Martin")));
    assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
    assert!(!reply.text.contains("secret médical"), "notes never leave");

    // Exactly Martin's pending and confirmed appointments of the window.
    let staff_list = app
        .get(
            &format!(
                "/api/appointments?practitionerId={}&status=pending&status=confirmed&limit=100",
                martin.user_id
            ),
            martin.bearer(),
        )
        .await;
    let now = Utc::now();
    let mut expected: Vec<String> = items(&staff_list)
        .iter()
        .filter(|a| {
            let start: DateTime<Utc> = str_of(a, "startTime").parse().unwrap();
            start >= now - Duration::days(30) && start < now + Duration::days(180)
        })
        .map(|a| format!("{}@nova-rdv", str_of(a, "id")))
        .collect();
    expected.sort();
    let events = events(&lines);
    let mut uids: Vec<String> = events.iter().map(|e| prop(e, "UID").to_string()).collect();
    uids.sort();
    assert_eq!(uids, expected);
    for absent in [&cancelled, &far, &old] {
        assert!(!uids.contains(&format!("{}@nova-rdv", str_of(absent, "id"))));
    }
    assert!(
        uids.contains(&format!("{}@nova-rdv", str_of(&recent, "id"))),
        "20 days ago is in"
    );

    // The pending booking: tentative, UTC times, type and escaped patient name.
    let uid = format!("{}@nova-rdv", str_of(&pending, "id"));
    let event = events.iter().find(|e| prop(e, "UID") == uid).unwrap();
    assert_eq!(prop(event, "STATUS"), "TENTATIVE");
    assert_eq!(prop(event, "DTSTART"), ics_time(slot.start));
    assert_eq!(
        prop(event, "DTEND"),
        ics_time(slot.start + Duration::minutes(30))
    );
    let stamp = prop(event, "DTSTAMP");
    assert!(stamp.len() == 16 && stamp.ends_with('Z'), "{stamp}");
    assert_eq!(
        prop(event, "SUMMARY"),
        "Consultation — Léa de la Fontaine-Éléonore\\, dite « Zoé » \\; 🦷 \\\\ très longue"
    );
    // Long enough that the raw text had to fold it.
    assert!(reply.text.contains("\r\n "), "folded lines");
    let confirmed = events
        .iter()
        .find(|e| prop(e, "UID") != uid)
        .expect("a demo appointment");
    assert_eq!(prop(confirmed, "STATUS"), "CONFIRMED");
    assert!(prop(confirmed, "SUMMARY").ends_with("Karim Benali"));
    assert!(events
        .iter()
        .any(|e| prop(e, "SUMMARY") == "Détartrage — Karim Benali"));
}
