//! Tenancy: `X-Tenant-ID` picks one of the caller's memberships, anything else is 403, and the
//! role comes from the membership on every request.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request};
use common::*;
use nova_contract::Role;
use serde_json::Value;

fn with_tenant(method: Method, uri: &str, token: &str, tenant: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header("x-tenant-id", tenant)
        .body(Body::empty())
        .expect("valid request")
}

fn last_names(list: &Value) -> Vec<String> {
    let mut names: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| p["lastName"].as_str().unwrap_or_default().to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn the_tenant_header_selects_among_memberships_only() {
    let app = app().await;
    let bernard = app.login(BERNARD).await;
    app.ctx
        .store
        .add_membership(&bernard.user_id, "cab-lumiere", Role::Practitioner)
        .await
        .expect("membership added");

    // The profile lists both cabinets, home first.
    let me = app.get("/api/auth/me", bernard.bearer()).await;
    let memberships = me.ok(200)["memberships"]
        .as_array()
        .expect("memberships")
        .clone();
    let cabinets: Vec<&str> = memberships
        .iter()
        .filter_map(|m| m["cabinetId"].as_str())
        .collect();
    assert_eq!(cabinets, ["cab-parc", "cab-lumiere"]);

    // No header: the home cabinet. The header: the chosen one.
    let home = app.get("/api/practitioners", bernard.bearer()).await;
    assert_eq!(last_names(home.ok(200)), ["Bernard", "Martin"]);
    let lyon = app
        .send(with_tenant(
            Method::GET,
            "/api/practitioners",
            &bernard.token,
            "cab-lumiere",
        ))
        .await;
    assert_eq!(last_names(lyon.ok(200)), ["Bernard", "Leroy"]);

    // A cabinet the caller does not belong to, an unknown one, an empty value: 403.
    for tenant in ["cab-unknown", "", "cab-parc' OR '1'='1"] {
        app.send(with_tenant(
            Method::GET,
            "/api/practitioners",
            &bernard.token,
            tenant,
        ))
        .await
        .err(403, "FORBIDDEN");
    }
    let martin = app.login(MARTIN).await;
    app.send(with_tenant(
        Method::GET,
        "/api/appointments",
        &martin.token,
        "cab-lumiere",
    ))
    .await
    .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn the_lumiere_patient_sees_a_shared_practitioner_but_no_parc_data() {
    let app = app().await;
    let bernard = app.login(BERNARD).await;
    app.ctx
        .store
        .add_membership(&bernard.user_id, "cab-lumiere", Role::Practitioner)
        .await
        .expect("membership added");
    let lyon_patient = app.login(LUMIERE_PATIENT).await;
    let list = app.get("/api/practitioners", lyon_patient.bearer()).await;
    assert_eq!(last_names(list.ok(200)), ["Bernard", "Leroy"]);
    // Parc's patients and appointments stay invisible from Lyon.
    let appointments = app.get("/api/appointments", lyon_patient.bearer()).await;
    for a in appointments.ok(200)["items"].as_array().expect("items") {
        assert_eq!(a["cabinetId"], "cab-lumiere");
    }
    app.send(with_tenant(
        Method::GET,
        "/api/appointments",
        &lyon_patient.token,
        "cab-parc",
    ))
    .await
    .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn a_membership_role_is_checked_on_every_request() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    // Patients may not read the analytics; promoting the membership takes effect at once,
    // without a new token.
    app.get("/api/analytics/dashboard", patient.bearer())
        .await
        .err(403, "FORBIDDEN");
    app.ctx
        .store
        .add_membership(&patient.user_id, "cab-parc", Role::Manager)
        .await
        .expect("role changed");
    app.get("/api/analytics/dashboard", patient.bearer())
        .await
        .ok(200);
}
