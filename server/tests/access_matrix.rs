//! The access matrix: every endpoint that touches one cabinet's data, called by every role of
//! both cabinets (and with a forged `X-Tenant-ID`). Whoever must be refused is refused with a
//! 4xx that leaks nothing, and after all the refused calls nothing has changed.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request};
use common::scheduling::*;
use common::*;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Patient,
    OtherPatient,
    Martin,
    Bernard,
    Admin,
    Manager,
    Leroy,
    LyonPatient,
}

use Who::*;

const EVERYONE: [Who; 8] = [
    Patient,
    OtherPatient,
    Martin,
    Bernard,
    Admin,
    Manager,
    Leroy,
    LyonPatient,
];
const LYON: [Who; 2] = [Leroy, LyonPatient];

fn email(who: Who) -> &'static str {
    match who {
        Patient => PATIENT,
        OtherPatient => PATIENT2,
        Martin => MARTIN,
        Bernard => BERNARD,
        Admin => ADMIN,
        Manager => MANAGER,
        Leroy => LEROY,
        LyonPatient => LUMIERE_PATIENT,
    }
}

/// `refused` plus both Lyon accounts.
fn and_lyon(refused: &[Who]) -> Vec<Who> {
    let mut all = refused.to_vec();
    all.extend(LYON);
    all
}

fn all_but(allowed: &[Who]) -> Vec<Who> {
    EVERYONE
        .into_iter()
        .filter(|w| !allowed.contains(w))
        .collect()
}

struct Call {
    method: Method,
    path: String,
    body: Option<Value>,
    refused: Vec<Who>,
}

fn call(method: Method, path: String, body: Option<Value>, refused: Vec<Who>) -> Call {
    Call {
        method,
        path,
        body,
        refused,
    }
}

fn build(c: &Call, token: &str, tenant: Option<&str>) -> Request<Body> {
    let mut b = Request::builder()
        .method(c.method.clone())
        .uri(&c.path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(t) = tenant {
        b = b.header("x-tenant-id", t);
    }
    match &c.body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string())),
        None => b.body(Body::empty()),
    }
    .expect("valid request")
}

#[tokio::test]
async fn no_role_and_no_other_cabinet_gets_past_the_rules() {
    let app = app().await;
    let mut tokens = std::collections::HashMap::new();
    for who in EVERYONE {
        tokens.insert(who, app.login(email(who)).await);
    }
    let patient = &tokens[&Patient];
    let martin_id = tokens[&Martin].user_id.clone();
    let patient_id = patient.user_id.clone();
    let start = paris(quiet_day(), 10, 0);
    let appt = app
        .book(&patient.token, &booking(&martin_id, start, 30))
        .await;
    let before_appt = app
        .get(
            &format!("/api/appointments/{appt}"),
            Some(&tokens[&Admin].token),
        )
        .await
        .ok(200)
        .clone();
    let before_patient = app
        .get(
            &format!("/api/patients/{patient_id}"),
            Some(&tokens[&Admin].token),
        )
        .await
        .ok(200)
        .clone();
    let hours_path = format!("/api/practitioners/{martin_id}/hours");
    let before_hours = app
        .get(&hours_path, Some(&tokens[&Admin].token))
        .await
        .ok(200)
        .clone();
    let later = rfc3339(paris(quiet_day(), 15, 0));
    let staff_of_appt = [Martin, Admin];

    let calls = vec![
        call(
            Method::GET,
            format!("/api/appointments/{appt}"),
            None,
            and_lyon(&[OtherPatient]),
        ),
        call(
            Method::PUT,
            format!("/api/appointments/{appt}/confirm"),
            None,
            all_but(&staff_of_appt),
        ),
        call(
            Method::PUT,
            format!("/api/appointments/{appt}/cancel"),
            Some(json!({"reason": "x"})),
            all_but(&[Patient, Martin, Admin]),
        ),
        call(
            Method::PUT,
            format!("/api/appointments/{appt}/complete"),
            None,
            all_but(&staff_of_appt),
        ),
        call(
            Method::PUT,
            format!("/api/appointments/{appt}/no-show"),
            None,
            all_but(&staff_of_appt),
        ),
        call(
            Method::PUT,
            format!("/api/appointments/{appt}/reschedule"),
            Some(json!({"startTime": later})),
            all_but(&[Patient, Martin, Admin]),
        ),
        call(
            Method::PUT,
            format!("/api/appointments/{appt}"),
            Some(json!({"notes": "changed"})),
            all_but(&staff_of_appt),
        ),
        call(
            Method::GET,
            format!("/api/patients/{patient_id}"),
            None,
            and_lyon(&[OtherPatient]),
        ),
        call(
            Method::PUT,
            format!("/api/patients/{patient_id}"),
            Some(json!({"phone": "0611223344"})),
            and_lyon(&[OtherPatient, Manager]),
        ),
        call(
            Method::GET,
            format!("/api/patients/{patient_id}/appointments"),
            None,
            and_lyon(&[OtherPatient]),
        ),
        call(
            Method::GET,
            "/api/patients".into(),
            None,
            vec![Patient, OtherPatient, LyonPatient],
        ),
        call(
            Method::PUT,
            hours_path.clone(),
            Some(json!({"hours": [{"weekday": 1, "start": "08:00", "end": "09:00"}]})),
            all_but(&[Martin, Admin]),
        ),
        call(Method::GET, hours_path.clone(), None, LYON.to_vec()),
        call(
            Method::POST,
            format!("/api/practitioners/{martin_id}/absences"),
            Some(
                json!({"startTime": rfc3339(paris(quiet_day(), 8, 0)), "endTime": rfc3339(paris(quiet_day(), 8, 30))}),
            ),
            all_but(&[Martin, Admin]),
        ),
        call(
            Method::GET,
            format!("/api/practitioners/{martin_id}/absences"),
            None,
            and_lyon(&[Patient, OtherPatient]),
        ),
        call(
            Method::GET,
            format!(
                "/api/appointments/slots?practitionerId={martin_id}&dateFrom={0}&dateTo={0}",
                quiet_day()
            ),
            None,
            LYON.to_vec(),
        ),
        call(
            Method::POST,
            "/api/appointments".into(),
            Some(booking(&martin_id, paris(quiet_day(), 16, 0), 30)),
            and_lyon(&[Manager]),
        ),
        call(
            Method::GET,
            format!("/api/audit?subjectId={patient_id}"),
            None,
            all_but(&[Admin]),
        ),
        call(
            Method::GET,
            "/api/analytics/dashboard".into(),
            None,
            vec![Patient, OtherPatient, Martin, Bernard, Leroy, LyonPatient],
        ),
        call(
            Method::PUT,
            "/api/cabinets/current".into(),
            Some(json!({"bufferMinutes": 15})),
            all_but(&[Admin]),
        ),
        call(
            Method::POST,
            "/api/cabinets/current/closures".into(),
            Some(
                json!({"startTime": rfc3339(paris(quiet_day(), 17, 0)), "endTime": rfc3339(paris(quiet_day(), 18, 0))}),
            ),
            all_but(&[Admin]),
        ),
    ];

    // Things only the Parc cabinet knows; none may reach a Lyon account.
    let parc_secrets = [
        appt.as_str(),
        patient_id.as_str(),
        "Dubois",
        "patient@nova-rdv.test",
    ];
    for c in &calls {
        for who in &c.refused {
            let reply = app.send(build(c, &tokens[who].token, None)).await;
            let status = reply.status.as_u16();
            assert!(
                matches!(status, 403 | 404 | 409 | 422),
                "{who:?} {} {} must be refused, got {status}: {:?}",
                c.method,
                c.path,
                reply.body
            );
            if LYON.contains(who) {
                let text = reply.body.to_string();
                for secret in parc_secrets {
                    assert!(
                        !text.contains(secret),
                        "{who:?} {} {} leaked {secret}",
                        c.method,
                        c.path
                    );
                }
            }
        }
        // A Lyon account naming the Parc cabinet is not let in either, whatever the endpoint.
        for who in LYON {
            let reply = app
                .send(build(c, &tokens[&who].token, Some("cab-parc")))
                .await;
            assert_eq!(
                reply.status.as_u16(),
                403,
                "{who:?} {} {} with X-Tenant-ID",
                c.method,
                c.path
            );
        }
    }

    // Lists never carry the other cabinet's rows.
    for who in LYON {
        let list = app
            .get("/api/appointments?limit=100", Some(&tokens[&who].token))
            .await;
        for a in list.ok(200)["items"].as_array().expect("items") {
            assert_eq!(a["cabinetId"], "cab-lumiere", "{who:?} saw {a}");
        }
        for path in [
            "/api/patients?limit=100",
            "/api/practitioners",
            "/api/appointments?limit=100",
        ] {
            let text = app
                .get(path, Some(&tokens[&who].token))
                .await
                .body
                .to_string();
            for secret in parc_secrets.iter().chain([&"Martin", &"Bernard"]) {
                assert!(!text.contains(secret), "{who:?} GET {path} leaked {secret}");
            }
        }
    }

    // Nothing any refused call tried has happened.
    let admin = Some(tokens[&Admin].token.as_str());
    let after_appt = app
        .get(&format!("/api/appointments/{appt}"), admin)
        .await
        .ok(200)
        .clone();
    assert_eq!(after_appt["status"], before_appt["status"]);
    assert_eq!(after_appt["startTime"], before_appt["startTime"]);
    assert_eq!(after_appt.get("notes"), before_appt.get("notes"));
    let after_patient = app
        .get(&format!("/api/patients/{patient_id}"), admin)
        .await
        .ok(200)
        .clone();
    assert_eq!(after_patient["phone"], before_patient["phone"]);
    assert_eq!(
        app.get(&hours_path, admin).await.ok(200).clone(),
        before_hours
    );
    let settings = app
        .get("/api/cabinets/current", admin)
        .await
        .ok(200)
        .clone();
    assert_eq!(settings["bufferMinutes"], 0);
    let absences = app
        .get(&format!("/api/practitioners/{martin_id}/absences"), admin)
        .await
        .ok(200)
        .clone();
    assert_eq!(absences.as_array().map(Vec::len), Some(0), "{absences}");
}

#[tokio::test]
async fn anonymous_callers_get_401_everywhere_but_the_public_doors() {
    let app = app().await;
    for (method, path) in [
        (Method::GET, "/api/auth/me"),
        (Method::GET, "/api/practitioners"),
        (Method::GET, "/api/appointments"),
        (Method::POST, "/api/appointments"),
        (Method::GET, "/api/patients"),
        (Method::GET, "/api/analytics/dashboard"),
        (Method::GET, "/api/me/export"),
        (Method::DELETE, "/api/me"),
        (Method::GET, "/api/cabinets/current"),
        (Method::GET, "/api/appointment-types"),
        (Method::GET, "/api/audit"),
    ] {
        let reply = app
            .send(request(method.clone(), path, None, Some("{}".into())))
            .await;
        assert_eq!(
            reply.status.as_u16(),
            401,
            "{method} {path}: {:?}",
            reply.body
        );
        assert_eq!(reply.code(), "UNAUTHORIZED", "{method} {path}");
    }
}
