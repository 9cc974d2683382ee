//! Shared helpers for the integration tests: a real server on a temporary SQLite file with the
//! demo cabinets loaded, JSON requests through the real router (in process, or over real TCP),
//! logging in, and finding bookable slots.
//!
//! Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod live_slots;
pub mod messaging;
pub mod scheduling;
pub mod socket_client;

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use chrono::{DateTime, Datelike, Duration, NaiveDate, SecondsFormat, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;
use http_body_util::BodyExt;
use nova_server::state::ApiContext;
use nova_server::{App, Config};
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::task::JoinHandle;
use tower::ServiceExt;

pub const PASSWORD: &str = "nova-demo";
pub const MARTIN: &str = "dr.martin@nova-rdv.test";
pub const BERNARD: &str = "dr.bernard@nova-rdv.test";
pub const PATIENT: &str = "patient@nova-rdv.test";
pub const PATIENT2: &str = "patient2@nova-rdv.test";
pub const MANAGER: &str = "manager@nova-rdv.test";
pub const ADMIN: &str = "admin@nova-rdv.test";
pub const LEROY: &str = "dr.leroy@lumiere.nova-rdv.test";
pub const LUMIERE_PATIENT: &str = "patient@lumiere.nova-rdv.test";

/// The app built on its own temporary database, demo data loaded. The database lives as long
/// as this value.
pub struct TestApp {
    pub router: Router,
    pub ctx: ApiContext,
    _db: TestDb,
}

/// Where the tests' databases live: a temporary SQLite file, or, when `NOVA_TEST_POSTGRES`
/// names a PostgreSQL server (an admin connection URL), a fresh database there, dropped after
/// the test. `make test` runs the whole suite both ways.
enum TestDb {
    Sqlite(TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    async fn create() -> (Self, String) {
        match std::env::var("NOVA_TEST_POSTGRES") {
            Ok(admin_url) if !admin_url.is_empty() => {
                sqlx::any::install_default_drivers();
                let name = format!("nova_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
                    .await
                    .expect("NOVA_TEST_POSTGRES is reachable");
                sqlx::Executor::execute(
                    &mut admin,
                    sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")),
                )
                .await
                .expect("create a test database");
                let url = match admin_url.rsplit_once('/') {
                    Some((server, _)) => format!("{server}/{name}"),
                    None => panic!("NOVA_TEST_POSTGRES must end with /<database>"),
                };
                (TestDb::Postgres { admin_url, name }, url)
            }
            _ => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("nova.db").display());
                (TestDb::Sqlite(dir), url)
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime; a thread with its own runtime may block.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async move {
                        if let Ok(mut admin) =
                            <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url).await
                        {
                            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                            let _ =
                                sqlx::Executor::execute(&mut admin, sqlx::AssertSqlSafe(sql)).await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

pub async fn app() -> TestApp {
    app_with(|_| {}).await
}

/// [`app`] with test settings changed first (SMTP, proxy trust…).
pub async fn app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let (db, url) = TestDb::create().await;
    let mut config = Config::for_tests(url);
    configure(&mut config);
    let App { router, ctx } = nova_server::build(config)
        .await
        .expect("the app builds on a fresh database");
    assert!(
        ctx.store.load_demo().await.expect("demo data loads"),
        "a fresh database takes the demo data"
    );
    TestApp {
        router,
        ctx,
        _db: db,
    }
}

/// The same app also served over real TCP on 127.0.0.1 (for Socket.IO). The server task stops
/// when this value is dropped.
pub struct Served {
    pub app: TestApp,
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn served() -> Served {
    served_with(|_| {}).await
}

/// [`served`] with test settings changed first.
pub async fn served_with(configure: impl FnOnce(&mut Config)) -> Served {
    let app = app_with(configure).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("bound address");
    let server = App {
        router: app.router.clone(),
        ctx: app.ctx.clone(),
    };
    let task = tokio::spawn(async move {
        nova_server::serve(server, listener)
            .await
            .expect("server runs");
    });
    Served { app, addr, task }
}

/// Another server instance on the same database as `first` (several instances behind one load
/// balancer), served on its own loopback port; `configure` adjusts its settings (REDIS_URL…).
/// It stops when the value is dropped, or at once with [`Instance::kill`].
pub async fn another_instance(first: &TestApp, configure: impl FnOnce(&mut Config)) -> Instance {
    let mut config = Config::for_tests(first.ctx.config.database_url.clone());
    configure(&mut config);
    let app = nova_server::build(config)
        .await
        .expect("a second instance builds on the shared database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("bound address");
    let ctx = app.ctx.clone();
    let task = tokio::spawn(async move {
        nova_server::serve(app, listener)
            .await
            .expect("server runs");
    });
    Instance { ctx, addr, task }
}

pub struct Instance {
    pub ctx: ApiContext,
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Instance {
    /// Stops accepting connections; sockets already open are left to the caller to drop.
    pub fn kill(&self) {
        self.task.abort();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A response: its status and its JSON body (`Value::Null` when the body is not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

impl Reply {
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }

    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }

    pub fn field(&self) -> Option<&str> {
        self.body["error"]["field"].as_str()
    }

    /// Asserts a success envelope with this status and returns its `data`.
    #[track_caller]
    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "unexpected reply: {self:?}");
        assert_eq!(self.body["success"], true, "{self:?}");
        self.data()
    }

    /// Asserts an error envelope with this status and code.
    #[track_caller]
    pub fn err(&self, status: u16, code: &str) -> &Self {
        assert_eq!(self.status.as_u16(), status, "unexpected reply: {self:?}");
        assert_eq!(self.body["success"], false, "{self:?}");
        assert_eq!(self.code(), code, "{self:?}");
        assert!(
            self.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "an error carries a message: {self:?}"
        );
        self
    }

    /// Asserts the error names this request field.
    #[track_caller]
    pub fn field_is(&self, field: &str) -> &Self {
        assert_eq!(self.field(), Some(field), "{self:?}");
        self
    }
}

/// Sends one request through the router (no network) and reads the JSON answer.
pub async fn send(router: Router, request: Request<Body>) -> Reply {
    let response = router.oneshot(request).await.expect("the router answers");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body reads")
        .to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply { status, body }
}

pub fn request(
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(text) => {
            builder = builder.header(header::CONTENT_TYPE, "application/json");
            Body::from(text)
        }
        None => Body::empty(),
    };
    builder.body(body).expect("valid request")
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> Reply {
        send(self.router.clone(), request).await
    }

    pub async fn get(&self, uri: &str, token: Option<&str>) -> Reply {
        self.send(request(Method::GET, uri, token, None)).await
    }

    pub async fn post(&self, uri: &str, token: Option<&str>, body: &Value) -> Reply {
        self.send(request(Method::POST, uri, token, Some(body.to_string())))
            .await
    }

    /// A POST whose body is sent exactly as given (for malformed JSON).
    pub async fn post_raw(&self, uri: &str, token: Option<&str>, body: &str) -> Reply {
        self.send(request(Method::POST, uri, token, Some(body.to_string())))
            .await
    }

    pub async fn put(&self, uri: &str, token: Option<&str>) -> Reply {
        self.send(request(Method::PUT, uri, token, None)).await
    }

    pub async fn login(&self, email: &str) -> Session {
        let reply = self
            .post(
                "/api/auth/login",
                None,
                &json!({"email": email, "password": PASSWORD}),
            )
            .await;
        let data = reply.ok(200).clone();
        Session {
            token: data["accessToken"]
                .as_str()
                .expect("accessToken")
                .to_string(),
            user_id: data["id"].as_str().expect("user id").to_string(),
            user: data,
        }
    }

    /// The id of a practitioner of the caller's cabinet, by last name.
    pub async fn practitioner_id(&self, token: &str, last_name: &str) -> String {
        let reply = self.get("/api/practitioners", Some(token)).await;
        reply
            .ok(200)
            .as_array()
            .expect("a list")
            .iter()
            .find(|p| p["lastName"] == last_name)
            .and_then(|p| p["id"].as_str())
            .unwrap_or_else(|| panic!("no practitioner {last_name} in {reply:?}"))
            .to_string()
    }

    /// The slots of a practitioner between two local days.
    pub async fn slots(
        &self,
        token: &str,
        practitioner_id: &str,
        from: NaiveDate,
        to: NaiveDate,
        duration: u32,
    ) -> Vec<Value> {
        let uri = format!(
            "/api/appointments/slots?practitionerId={practitioner_id}&dateFrom={from}&dateTo={to}&duration={duration}"
        );
        let reply = self.get(&uri, Some(token)).await;
        reply.ok(200).as_array().expect("a list of slots").clone()
    }

    /// The first available slot of a practitioner from tomorrow on (never today, so it cannot
    /// slip into the past while a test runs).
    pub async fn next_free_slot(&self, token: &str, practitioner_id: &str, duration: u32) -> Slot {
        let from = paris_today() + Duration::days(1);
        self.slots(
            token,
            practitioner_id,
            from,
            from + Duration::days(13),
            duration,
        )
        .await
        .iter()
        .find(|s| s["available"] == true)
        .map(Slot::from_json)
        .expect("a free slot within two weeks")
    }

    /// The slot that starts at `start`, if the practitioner's hours have one.
    pub async fn slot_at(
        &self,
        token: &str,
        practitioner_id: &str,
        start: DateTime<Utc>,
        duration: u32,
    ) -> Option<Slot> {
        let day = start.with_timezone(&Paris).date_naive();
        self.slots(token, practitioner_id, day, day, duration)
            .await
            .iter()
            .map(Slot::from_json)
            .find(|s| s.start == start)
    }

    /// `pagination.total` of the caller's appointment list with this query string.
    pub async fn total(&self, token: &str, query: &str) -> u64 {
        let reply = self
            .get(&format!("/api/appointments?{query}"), Some(token))
            .await;
        reply.ok(200)["pagination"]["total"]
            .as_u64()
            .expect("pagination.total")
    }
}

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub user_id: String,
    /// The login's `data`.
    pub user: Value,
}

impl Session {
    pub fn bearer(&self) -> Option<&str> {
        Some(&self.token)
    }
}

/// One slot as the API describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub date: NaiveDate,
    pub time: String,
    pub start: DateTime<Utc>,
    pub available: bool,
}

impl Slot {
    pub fn from_json(v: &Value) -> Self {
        Slot {
            date: v["date"].as_str().expect("date").parse().expect("a date"),
            time: v["time"].as_str().expect("time").to_string(),
            start: v["startTime"]
                .as_str()
                .expect("startTime")
                .parse()
                .expect("an instant"),
            available: v["available"].as_bool().expect("available"),
        }
    }
}

/// A booking request body.
pub fn booking(practitioner_id: &str, start: DateTime<Utc>, duration: u32) -> Value {
    json!({
        "practitionerId": practitioner_id,
        "type": "consultation",
        "startTime": rfc3339(start),
        "duration": duration,
    })
}

/// A staff booking that creates its patient.
pub fn booking_for_new_patient(
    practitioner_id: &str,
    start: DateTime<Utc>,
    duration: u32,
    email: &str,
) -> Value {
    let mut body = booking(practitioner_id, start, duration);
    body["patientData"] = json!({
        "firstName": "Nouveau",
        "lastName": "Patient",
        "email": email,
        "phone": "0600000000",
    });
    body
}

pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Today in the demo cabinets' time zone.
pub fn paris_today() -> NaiveDate {
    Utc::now().with_timezone(&Paris).date_naive()
}

/// The first Monday-to-Friday on or after `day`.
pub fn weekday_on_or_after(mut day: NaiveDate) -> NaiveDate {
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day += Duration::days(1);
    }
    day
}

/// The first day of this kind on or after `day`.
pub fn next(weekday: Weekday, mut day: NaiveDate) -> NaiveDate {
    while day.weekday() != weekday {
        day += Duration::days(1);
    }
    day
}

/// A wall-clock time in Paris as an instant.
pub fn paris(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    Paris
        .from_local_datetime(&day.and_hms_opt(hour, minute, 0).expect("valid time"))
        .earliest()
        .expect("an existing local time")
        .with_timezone(&Utc)
}

/// One HTTP/1.1 request over a real TCP connection (`Connection: close`), for tests where the
/// whole server, not just the router, is the point.
pub async fn tcp_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Reply {
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to the server");
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(format!("{head}{body}").as_bytes())
        .await
        .expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read response");
    let text = String::from_utf8(raw).expect("a UTF-8 response");
    let (head, payload) = text.split_once("\r\n\r\n").expect("headers end");
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let chunked = head
        .lines()
        .any(|l| l.eq_ignore_ascii_case("transfer-encoding: chunked"));
    let payload = if chunked {
        dechunk(payload)
    } else {
        payload.to_string()
    };
    Reply {
        status: StatusCode::from_u16(status).expect("a valid status"),
        body: serde_json::from_str(&payload).unwrap_or(Value::Null),
    }
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    loop {
        let Some((size, after)) = rest.split_once("\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || after.len() < size {
            return out;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
}
