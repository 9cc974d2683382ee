//! The REST endpoints the app calls, one function each, typed by the contract.

use chrono::{DateTime, NaiveDate, Utc};
use nova_contract::{
    Appointment, AppointmentSlot, AppointmentStatus, AuthSession, AuthUser,
    CancelAppointmentRequest, Conversation, CreateAppointmentRequest, CreateProposalRequest,
    Dashboard, LoginRequest, LogoutRequest, MarkReadRequest, Message, MessagePage,
    NotificationList, OpenConversationRequest, PaginatedResponse, Practitioner, Proposal,
    ReadAllResult, ReadReceipt, RescheduleAppointmentRequest, SendMessageRequest,
};
use web_sys::AbortSignal;

use super::client::{ApiClient, Call};
use super::http::{ApiResult, Method};
use super::session::FlatSession;

pub const REFRESH_PATH: &str = "/api/auth/refresh";

pub async fn login(api: &ApiClient, email: &str, password: &str) -> ApiResult<AuthSession> {
    let body = LoginRequest {
        email: email.into(),
        password: password.into(),
        remember_me: None,
    };
    let call = Call::new(Method::Post, "/api/auth/login")
        .json(&body)
        .anonymous();
    api.fetch::<FlatSession>(call).await.map(AuthSession::from)
}

/// Revokes the refresh token's family on the server. Best effort: signing out locally does
/// not wait for it.
pub async fn logout(api: &ApiClient, refresh_token: &str) -> ApiResult<()> {
    let body = LogoutRequest {
        refresh_token: Some(refresh_token.into()),
    };
    let call = Call::new(Method::Post, "/api/auth/logout").json(&body);
    api.execute(call).await.map(drop)
}

pub async fn me(api: &ApiClient) -> ApiResult<AuthUser> {
    api.fetch(Call::new(Method::Get, "/api/auth/me")).await
}

pub async fn practitioners(
    api: &ApiClient,
    signal: Option<AbortSignal>,
) -> ApiResult<Vec<Practitioner>> {
    api.fetch(Call::new(Method::Get, "/api/practitioners").signal(signal))
        .await
}

pub async fn slots(
    api: &ApiClient,
    practitioner_id: &str,
    from: NaiveDate,
    to: NaiveDate,
    duration: u32,
    signal: Option<AbortSignal>,
) -> ApiResult<Vec<AppointmentSlot>> {
    let path = format!(
        "/api/appointments/slots?practitionerId={}&dateFrom={from}&dateTo={to}&duration={duration}",
        encode(practitioner_id)
    );
    api.fetch(Call::new(Method::Get, path).signal(signal)).await
}

/// Books; with an `Idempotency-Key` the server answers a replay with the first result, so the
/// client may retry and the offline queue may replay.
pub async fn book(
    api: &ApiClient,
    req: &CreateAppointmentRequest,
    idempotency_key: Option<String>,
) -> ApiResult<Appointment> {
    api.fetch(book_call(req).idempotency_key(idempotency_key))
        .await
}

/// The call [`book`] sends (the offline queue stores it as it is).
pub fn book_call(req: &CreateAppointmentRequest) -> Call {
    Call::new(Method::Post, "/api/appointments").json(req)
}

/// Which appointments a list shows: from a day on, soonest first, a page at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct AppointmentFilter {
    pub from: NaiveDate,
    /// Last day included; open-ended when `None`.
    pub to: Option<NaiveDate>,
    /// Narrows a staff list to one agenda.
    pub practitioner: Option<String>,
    /// Only appointments in this status; every status when `None`.
    pub status: Option<AppointmentStatus>,
    /// Narrows a staff list to one patient's appointments.
    pub patient: Option<String>,
    pub page: u32,
    pub limit: u32,
}

impl AppointmentFilter {
    pub fn path(&self) -> String {
        let mut path = format!(
            "/api/appointments?dateFrom={}&page={}&limit={}",
            self.from, self.page, self.limit
        );
        if let Some(to) = self.to {
            path.push_str(&format!("&dateTo={to}"));
        }
        if let Some(p) = &self.practitioner {
            path.push_str("&practitionerId=");
            path.push_str(&encode(p));
        }
        if let Some(status) = self.status {
            path.push_str("&status=");
            path.push_str(status.as_str());
        }
        if let Some(p) = &self.patient {
            path.push_str("&patientId=");
            path.push_str(&encode(p));
        }
        path
    }
}

pub async fn appointments(
    api: &ApiClient,
    filter: &AppointmentFilter,
    signal: Option<AbortSignal>,
) -> ApiResult<PaginatedResponse<Appointment>> {
    api.fetch(Call::new(Method::Get, filter.path()).signal(signal))
        .await
}

pub async fn confirm(
    api: &ApiClient,
    id: &str,
    idempotency_key: Option<String>,
) -> ApiResult<Appointment> {
    let path = format!("/api/appointments/{}/confirm", encode(id));
    api.fetch(Call::new(Method::Put, path).idempotency_key(idempotency_key))
        .await
}

/// Marks a visit that has started as held (`complete`) or missed (`no-show`).
pub async fn close_visit(
    api: &ApiClient,
    id: &str,
    held: bool,
    idempotency_key: Option<String>,
) -> ApiResult<Appointment> {
    let action = if held { "complete" } else { "no-show" };
    let path = format!("/api/appointments/{}/{action}", encode(id));
    api.fetch(Call::new(Method::Put, path).idempotency_key(idempotency_key))
        .await
}

pub async fn cancel(
    api: &ApiClient,
    id: &str,
    reason: Option<&str>,
    idempotency_key: Option<String>,
) -> ApiResult<Appointment> {
    api.fetch(cancel_call(id, reason).idempotency_key(idempotency_key))
        .await
}

pub fn cancel_call(id: &str, reason: Option<&str>) -> Call {
    let path = format!("/api/appointments/{}/cancel", encode(id));
    Call::new(Method::Put, path).json(&CancelAppointmentRequest {
        reason: reason.map(str::to_owned),
    })
}

pub async fn reschedule(
    api: &ApiClient,
    id: &str,
    start_time: DateTime<Utc>,
    idempotency_key: Option<String>,
) -> ApiResult<Appointment> {
    api.fetch(reschedule_call(id, start_time).idempotency_key(idempotency_key))
        .await
}

pub fn reschedule_call(id: &str, start_time: DateTime<Utc>) -> Call {
    let path = format!("/api/appointments/{}/reschedule", encode(id));
    Call::new(Method::Put, path).json(&RescheduleAppointmentRequest {
        start_time,
        duration: None,
    })
}

/// The newest notifications, and how many of all are unread.
pub async fn notifications(api: &ApiClient, limit: u32) -> ApiResult<NotificationList> {
    let path = format!("/api/notifications?page=1&limit={limit}");
    api.fetch(Call::new(Method::Get, path)).await
}

pub async fn mark_notification_read(api: &ApiClient, id: &str) -> ApiResult<()> {
    let path = format!("/api/notifications/{}/read", encode(id));
    api.execute(Call::new(Method::Post, path)).await.map(drop)
}

pub async fn mark_all_notifications_read(api: &ApiClient) -> ApiResult<ReadAllResult> {
    api.fetch(Call::new(Method::Post, "/api/notifications/read-all"))
        .await
}

/// Accepts (booking the proposed time, with the usual no-double-booking rule) or rejects a
/// proposal made to the caller.
pub async fn decide_proposal(api: &ApiClient, id: &str, accept: bool) -> ApiResult<()> {
    let verb = if accept { "accept" } else { "reject" };
    let path = format!("/api/proposals/{}/{verb}", encode(id));
    api.execute(Call::new(Method::Put, path)).await.map(drop)
}

/// The caller's conversations, most recent first.
pub async fn conversations(
    api: &ApiClient,
    signal: Option<AbortSignal>,
) -> ApiResult<Vec<Conversation>> {
    api.fetch(Call::new(Method::Get, "/api/conversations").signal(signal))
        .await
}

/// Opens (or finds) the conversation between a patient and a practitioner: a patient names the
/// practitioner, staff name the patient.
pub async fn open_conversation(
    api: &ApiClient,
    req: &OpenConversationRequest,
) -> ApiResult<Conversation> {
    api.fetch(Call::new(Method::Post, "/api/conversations").json(req))
        .await
}

/// A page of messages, oldest first: the newest ones, or those before `before`.
pub async fn messages(
    api: &ApiClient,
    conversation: &str,
    before: Option<u64>,
    limit: u32,
    signal: Option<AbortSignal>,
) -> ApiResult<MessagePage> {
    let mut path = format!(
        "/api/conversations/{}/messages?limit={limit}",
        encode(conversation)
    );
    if let Some(b) = before {
        path.push_str(&format!("&before={b}"));
    }
    api.fetch(Call::new(Method::Get, path).signal(signal)).await
}

pub async fn send_message(
    api: &ApiClient,
    conversation: &str,
    content: &str,
) -> ApiResult<Message> {
    let path = format!("/api/conversations/{}/messages", encode(conversation));
    let body = SendMessageRequest {
        content: content.into(),
    };
    api.fetch(Call::new(Method::Post, path).json(&body)).await
}

/// Everything up to `seq` is read; the other side gets `message:read`.
pub async fn mark_read(api: &ApiClient, conversation: &str, seq: u64) -> ApiResult<ReadReceipt> {
    let path = format!("/api/conversations/{}/read", encode(conversation));
    let body = MarkReadRequest { seq: Some(seq) };
    api.fetch(Call::new(Method::Put, path).json(&body)).await
}

/// The conversation's proposals, newest first.
pub async fn proposals(
    api: &ApiClient,
    conversation: &str,
    signal: Option<AbortSignal>,
) -> ApiResult<Vec<Proposal>> {
    let path = format!("/api/conversations/{}/proposals", encode(conversation));
    api.fetch(Call::new(Method::Get, path).signal(signal)).await
}

pub async fn propose(
    api: &ApiClient,
    conversation: &str,
    req: &CreateProposalRequest,
) -> ApiResult<Proposal> {
    let path = format!("/api/conversations/{}/proposals", encode(conversation));
    api.fetch(Call::new(Method::Post, path).json(req)).await
}

/// Percent-encodes a path or query component (ids are UUIDs, but never trust that).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
    out
}

/// One day of the cabinet in figures: counts by status, fill and no-show rates, and each
/// practitioner's load.
pub async fn dashboard(
    api: &ApiClient,
    date: NaiveDate,
    signal: Option<AbortSignal>,
) -> ApiResult<Dashboard> {
    let path = format!("/api/analytics/dashboard?date={date}");
    // Read by hand from a `Value` (see `figures`): no derived decoder in the bundle.
    let v: serde_json::Value = api
        .fetch(Call::new(Method::Get, path).signal(signal))
        .await?;
    super::figures::dashboard(&v).ok_or_else(|| super::http::decode_error(200, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_percent_encoded() {
        assert_eq!(encode("ab-12_~.x"), "ab-12_~.x");
        assert_eq!(encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn list_paths_carry_page_limit_and_practitioner() {
        let mut f = AppointmentFilter {
            from: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            to: None,
            practitioner: None,
            status: None,
            patient: None,
            page: 2,
            limit: 10,
        };
        assert_eq!(
            f.path(),
            "/api/appointments?dateFrom=2026-11-23&page=2&limit=10"
        );
        f.practitioner = Some("p 1".into());
        assert!(f.path().ends_with("&practitionerId=p%201"));
        f.to = NaiveDate::from_ymd_opt(2026, 11, 30);
        f.status = Some(AppointmentStatus::Confirmed);
        f.patient = Some("k&1".into());
        assert_eq!(
            f.path(),
            "/api/appointments?dateFrom=2026-11-23&page=2&limit=10&dateTo=2026-11-30\
             &practitionerId=p%201&status=confirmed&patientId=k%261"
        );
    }
}
