//! The manager's dashboard on a controlled day: counts by status, fill and no-show rates per
//! practitioner and for the cabinet, the cabinet's local day as the boundary, and who may see it.

mod common;
mod records_support;

use chrono::{Duration, NaiveDate, Weekday};
use common::*;
use records_support::*;
use serde_json::Value;

/// A Monday three weeks ahead: past the demo's week of appointments, so the day holds only
/// what the test books.
fn quiet_monday() -> NaiveDate {
    next(Weekday::Mon, paris_today() + Duration::days(21))
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-9)
}

#[tokio::test]
async fn a_controlled_day_adds_up() {
    let app = app().await;
    let admin = app.login(ADMIN).await;
    let lea = app.login(PATIENT).await;
    let karim = app.login(PATIENT2).await;
    let martin_id = app.practitioner_id(&admin.token, "Martin").await;
    let bernard_id = app.practitioner_id(&admin.token, "Bernard").await;
    let day = quiet_monday();
    let at = |h, m| paris(day, h, m);

    // Martin: 30 completed, 45 no-show, 20 pending, 30 cancelled, 30 confirmed.
    let a1 = book_for(
        &app,
        &admin.token,
        &martin_id,
        &karim.user_id,
        at(9, 0),
        30,
        "consultation",
    )
    .await;
    let a2 = book_for(
        &app,
        &admin.token,
        &martin_id,
        &karim.user_id,
        at(10, 0),
        45,
        "soin",
    )
    .await;
    book_as_patient(&app, &lea.token, &martin_id, at(11, 0), 20, None).await;
    let a4 = book_for(
        &app,
        &admin.token,
        &martin_id,
        &lea.user_id,
        at(14, 0),
        30,
        "controle",
    )
    .await;
    book_for(
        &app,
        &admin.token,
        &martin_id,
        &lea.user_id,
        at(15, 0),
        30,
        "controle",
    )
    .await;
    set_status(&app, str_of(&a1, "id"), "completed").await;
    set_status(&app, str_of(&a2, "id"), "no_show").await;
    set_status(&app, str_of(&a4, "id"), "cancelled").await;
    // Bernard: 60 rescheduled, and 30 confirmed moved to 00:15 local — still this local day,
    // though the previous day in UTC.
    let b1 = book_for(
        &app,
        &admin.token,
        &bernard_id,
        &lea.user_id,
        at(9, 0),
        60,
        "orthodontie",
    )
    .await;
    set_status(&app, str_of(&b1, "id"), "rescheduled").await;
    let b2 = book_for(
        &app,
        &admin.token,
        &bernard_id,
        &karim.user_id,
        at(10, 0),
        30,
        "orthodontie",
    )
    .await;
    move_to(&app, str_of(&b2, "id"), at(0, 15)).await;
    // Not this day: the next local day at 00:15 (still this day in UTC), and the next morning.
    let next_day = day.succ_opt().unwrap();
    let c1 = book_for(
        &app,
        &admin.token,
        &martin_id,
        &karim.user_id,
        paris(next_day, 9, 0),
        30,
        "soin",
    )
    .await;
    move_to(&app, str_of(&c1, "id"), paris(next_day, 0, 15)).await;
    book_for(
        &app,
        &admin.token,
        &bernard_id,
        &karim.user_id,
        paris(next_day, 9, 0),
        30,
        "soin",
    )
    .await;
    // Not this cabinet.
    let leroy = app.login(LEROY).await;
    let chloe = app.login(LUMIERE_PATIENT).await;
    book_for(
        &app,
        &leroy.token,
        &leroy.user_id,
        &chloe.user_id,
        at(9, 0),
        90,
        "implant",
    )
    .await;

    let manager = app.login(MANAGER).await;
    let reply = app
        .get(
            &format!("/api/analytics/dashboard?date={day}"),
            manager.bearer(),
        )
        .await;
    let d = reply.ok(200).clone();
    assert_eq!(d["date"], day.to_string());
    let counts = &d["countsByStatus"];
    for (status, n) in [
        ("pending", 1),
        ("confirmed", 2),
        ("cancelled", 1),
        ("completed", 1),
        ("noShow", 1),
        ("rescheduled", 1),
    ] {
        assert_eq!(counts[status], n, "{status}: {d}");
    }
    assert_eq!(d["total"], 7);
    assert!(close(&d["noShowRate"], 0.5), "{d}");
    // Open: 09-12 and 14-18, i.e. 420 minutes each. Booked: Martin 30+45+20+30, Bernard 30.
    assert!(close(&d["fillRate"], (125.0 + 30.0) / 840.0), "{d}");
    let practitioners = d["practitioners"].as_array().unwrap();
    assert_eq!(practitioners.len(), 2, "the cabinet's practitioners only");
    let of = |id: &str| {
        practitioners
            .iter()
            .find(|p| p["practitionerId"] == id)
            .unwrap()
    };
    let martin = of(&martin_id);
    assert_eq!(martin["name"], "Claire Martin");
    assert_eq!(martin["appointments"], 5);
    assert_eq!(martin["bookedMinutes"], 125);
    assert_eq!(martin["openMinutes"], 420);
    assert!(close(&martin["fillRate"], 125.0 / 420.0));
    let bernard = of(&bernard_id);
    assert_eq!(bernard["appointments"], 2);
    assert_eq!(bernard["bookedMinutes"], 30);
    assert!(close(&bernard["fillRate"], 30.0 / 420.0));

    // Admins see the same numbers.
    let reply = app
        .get(
            &format!("/api/analytics/dashboard?date={day}"),
            admin.bearer(),
        )
        .await;
    assert_eq!(reply.ok(200), &d);

    // The next day counts its own appointments only.
    let reply = app
        .get(
            &format!("/api/analytics/dashboard?date={next_day}"),
            manager.bearer(),
        )
        .await;
    let n = reply.ok(200);
    assert_eq!(n["total"], 2);
    assert_eq!(n["countsByStatus"]["confirmed"], 2);
    assert!(n["noShowRate"].is_null(), "nothing settled yet");
}

#[tokio::test]
async fn a_closed_day_has_no_open_minutes() {
    let app = app().await;
    let manager = app.login(MANAGER).await;
    let sunday = next(Weekday::Sun, paris_today() + Duration::days(21));
    let reply = app
        .get(
            &format!("/api/analytics/dashboard?date={sunday}"),
            manager.bearer(),
        )
        .await;
    let d = reply.ok(200);
    assert_eq!(d["total"], 0);
    assert_eq!(d["fillRate"], 0.0);
    assert!(d["noShowRate"].is_null());
    for p in d["practitioners"].as_array().unwrap() {
        assert_eq!(p["openMinutes"], 0);
        assert_eq!(p["fillRate"], 0.0);
        assert_eq!(p["appointments"], 0);
    }
}

#[tokio::test]
async fn the_default_day_is_today_in_the_cabinets_zone() {
    let app = app().await;
    let manager = app.login(MANAGER).await;
    let reply = app.get("/api/analytics/dashboard", manager.bearer()).await;
    let d = reply.ok(200).clone();
    assert_eq!(d["date"], paris_today().to_string());
    let explicit = app
        .get(
            &format!("/api/analytics/dashboard?date={}", paris_today()),
            manager.bearer(),
        )
        .await;
    assert_eq!(explicit.ok(200)["total"], d["total"]);
    // The demo books its week from today: a weekday today has Martin's, Bernard's visits.
    let today = app
        .total(
            &manager.token,
            &format!("dateFrom={0}&dateTo={0}", paris_today()),
        )
        .await;
    assert_eq!(d["total"], today);
}

#[tokio::test]
async fn only_managers_and_admins_see_the_dashboard() {
    let app = app().await;
    for email in [MARTIN, PATIENT, LEROY, LUMIERE_PATIENT] {
        let session = app.login(email).await;
        app.get("/api/analytics/dashboard", session.bearer())
            .await
            .err(403, "FORBIDDEN");
    }
    app.get("/api/analytics/dashboard", None)
        .await
        .err(401, "UNAUTHORIZED");
    let manager = app.login(MANAGER).await;
    for (query, field) in [
        ("date=2026-02-30", "date"),
        ("date=30/03/2026", "date"),
        ("date=tomorrow", "date"),
        ("day=2026-03-30", "day"),
    ] {
        app.get(
            &format!("/api/analytics/dashboard?{query}"),
            manager.bearer(),
        )
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is(field);
    }
}
