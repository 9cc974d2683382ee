//! The REST endpoints the app calls, one function each, typed by the contract.

use chrono::NaiveDate;
use nova_contract::{
    Appointment, AppointmentSlot, AuthSession, AuthUser, CreateAppointmentRequest, LoginRequest,
    PaginatedResponse, Practitioner,
};

use super::http::{get, send, ApiResult, Credentials};

pub async fn login(email: &str, password: &str) -> ApiResult<AuthSession> {
    let body = LoginRequest {
        email: email.into(),
        password: password.into(),
        remember_me: None,
    };
    send("POST", "/api/auth/login", Some(&body), None).await
}

pub async fn me(c: &Credentials) -> ApiResult<AuthUser> {
    get("/api/auth/me", Some(c)).await
}

pub async fn practitioners(c: &Credentials) -> ApiResult<Vec<Practitioner>> {
    get("/api/practitioners", Some(c)).await
}

pub async fn slots(
    c: &Credentials,
    practitioner_id: &str,
    from: NaiveDate,
    to: NaiveDate,
    duration: u32,
) -> ApiResult<Vec<AppointmentSlot>> {
    let path = format!(
        "/api/appointments/slots?practitionerId={}&dateFrom={from}&dateTo={to}&duration={duration}",
        encode(practitioner_id)
    );
    get(&path, Some(c)).await
}

pub async fn book(c: &Credentials, req: &CreateAppointmentRequest) -> ApiResult<Appointment> {
    send("POST", "/api/appointments", Some(req), Some(c)).await
}

/// Appointments from a day on, soonest first; `practitioner` narrows a staff list to one agenda.
pub async fn appointments(
    c: &Credentials,
    from: NaiveDate,
    practitioner: Option<&str>,
    limit: u32,
) -> ApiResult<PaginatedResponse<Appointment>> {
    let mut path = format!("/api/appointments?dateFrom={from}&limit={limit}");
    if let Some(p) = practitioner {
        path.push_str(&format!("&practitionerId={}", encode(p)));
    }
    get(&path, Some(c)).await
}

pub async fn confirm(c: &Credentials, id: &str) -> ApiResult<Appointment> {
    send::<(), _>(
        "PUT",
        &format!("/api/appointments/{}/confirm", encode(id)),
        None,
        Some(c),
    )
    .await
}

/// Percent-encodes a path or query component (ids are UUIDs, but never trust that).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn components_are_percent_encoded() {
        assert_eq!(super::encode("ab-12_~.x"), "ab-12_~.x");
        assert_eq!(super::encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }
}
