//! Settings read from the environment once at start. Secrets come from here, never from code.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::auth::rate_limit::DEFAULT_ATTEMPTS_PER_IP;
use crate::error::Error;

#[derive(Debug, Clone)]
pub struct Config {
    /// `NOVA_ADDR`, default 127.0.0.1:8080.
    pub addr: SocketAddr,
    /// `DATABASE_URL`, default `sqlite://data/nova.db?mode=rwc`.
    pub database_url: String,
    /// `NOVA_DEMO=1` loads the demo cabinets into an empty database.
    pub demo: bool,
    /// `JWT_SECRET`; when unset, a random secret persisted under `data/` so sessions survive a
    /// restart on a developer's machine.
    pub jwt_secret: Vec<u8>,
    /// `NOVA_DIST`, the built frontend, default `dist`.
    pub dist_dir: PathBuf,
    /// Access tokens live this long (seconds).
    pub access_ttl_secs: u64,
    /// `NOVA_SMTP_URL` (`smtps://user:pass@host:465`, `smtp://user:pass@host:587?tls=required`):
    /// where mail goes out. Unset: mail is written to the `outbox` table and the log.
    pub smtp_url: Option<String>,
    /// `NOVA_MAIL_FROM`, the sender of outgoing mail, default `Nova RDV <no-reply@nova-rdv.local>`.
    pub mail_from: String,
    /// `NOVA_PUBLIC_URL`, the address people open the app at, for links in mail; default
    /// `http://` + `NOVA_ADDR`.
    pub public_url: String,
    /// `NOVA_TRUST_PROXY=1`: the server is reached only through one reverse proxy that appends
    /// the client's address to `X-Forwarded-For`, so the last entry of that header is the
    /// client IP the attempt limits count by. Otherwise the header is ignored, since any client
    /// can write it.
    pub trust_proxy: bool,
    /// `NOVA_ATTEMPTS_PER_IP`: logins, code and mail requests allowed per client IP and kind
    /// in fifteen minutes, default 30 (the per-account limits do not change).
    pub attempts_per_ip: usize,
    /// `NOVA_REMINDER_INTERVAL_SECS`: how often the reminder scheduler looks for reminders due,
    /// default 60; 0 turns it off (tests call its tick themselves).
    pub reminder_interval_secs: u64,
    /// `REDIS_URL`: when set, real-time rooms span instances through Redis pub/sub (otherwise
    /// through PostgreSQL LISTEN/NOTIFY when the database is PostgreSQL).
    pub redis_url: Option<String>,
}

impl Config {
    pub fn from_env() -> Result<Self, Error> {
        let addr = std::env::var("NOVA_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
        let addr = addr
            .parse()
            .map_err(|_| Error::Config(format!("NOVA_ADDR is not an address: {addr}")))?;
        let database_url = std::env::var("DATABASE_URL")
            .unwrap_or_else(|_| "sqlite://data/nova.db?mode=rwc".into());
        let demo = matches!(std::env::var("NOVA_DEMO").as_deref(), Ok("1") | Ok("true"));
        let jwt_secret = match std::env::var("JWT_SECRET") {
            Ok(s) if s.len() >= 16 => s.into_bytes(),
            Ok(_) => return Err(Error::Config("JWT_SECRET must be at least 16 bytes".into())),
            Err(_) => dev_secret(Path::new("data/jwt-secret"))?,
        };
        let dist_dir = std::env::var("NOVA_DIST")
            .unwrap_or_else(|_| "dist".into())
            .into();
        let smtp_url = std::env::var("NOVA_SMTP_URL")
            .ok()
            .filter(|u| !u.trim().is_empty());
        let mail_from =
            std::env::var("NOVA_MAIL_FROM").unwrap_or_else(|_| DEFAULT_MAIL_FROM.into());
        let public_url =
            std::env::var("NOVA_PUBLIC_URL").unwrap_or_else(|_| format!("http://{addr}"));
        let trust_proxy = matches!(
            std::env::var("NOVA_TRUST_PROXY").as_deref(),
            Ok("1") | Ok("true")
        );
        let attempts_per_ip = match std::env::var("NOVA_ATTEMPTS_PER_IP") {
            Ok(v) => match v.trim().parse() {
                Ok(n) if n > 0 => n,
                _ => {
                    return Err(Error::Config(format!(
                        "NOVA_ATTEMPTS_PER_IP is not a positive number: {v}"
                    )))
                }
            },
            Err(_) => DEFAULT_ATTEMPTS_PER_IP,
        };
        let reminder_interval_secs = match std::env::var("NOVA_REMINDER_INTERVAL_SECS") {
            Ok(v) => v.trim().parse().map_err(|_| {
                Error::Config(format!("NOVA_REMINDER_INTERVAL_SECS is not a number: {v}"))
            })?,
            Err(_) => 60,
        };
        let redis_url = std::env::var("REDIS_URL")
            .ok()
            .filter(|u| !u.trim().is_empty());
        Ok(Self {
            addr,
            database_url,
            demo,
            jwt_secret,
            dist_dir,
            access_ttl_secs: 15 * 60,
            smtp_url,
            mail_from,
            public_url,
            trust_proxy,
            attempts_per_ip,
            reminder_interval_secs,
            redis_url,
        })
    }

    /// A configuration for tests: a given database, a fixed secret, no demo data.
    pub fn for_tests(database_url: impl Into<String>) -> Self {
        Self {
            addr: "127.0.0.1:0".parse().expect("literal address"),
            database_url: database_url.into(),
            demo: false,
            jwt_secret: b"test-secret-test-secret".to_vec(),
            dist_dir: "dist".into(),
            access_ttl_secs: 15 * 60,
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.into(),
            public_url: "http://127.0.0.1:8080".into(),
            trust_proxy: false,
            attempts_per_ip: DEFAULT_ATTEMPTS_PER_IP,
            reminder_interval_secs: 0,
            redis_url: None,
        }
    }
}

const DEFAULT_MAIL_FROM: &str = "Nova RDV <no-reply@nova-rdv.local>";

fn dev_secret(path: &Path) -> Result<Vec<u8>, Error> {
    if let Ok(existing) = std::fs::read(path) {
        if existing.len() >= 32 {
            return Ok(existing);
        }
    }
    let secret = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::Config(e.to_string()))?;
    }
    std::fs::write(path, &secret).map_err(|e| Error::Config(e.to_string()))?;
    tracing::warn!(
        "JWT_SECRET unset: using a development secret stored in {}",
        path.display()
    );
    Ok(secret.into_bytes())
}
