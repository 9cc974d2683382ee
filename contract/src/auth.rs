//! Authentication (seed 000 `AuthService`): login, the signed-in user and their tokens.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Id;

/// What a user is within their cabinet. Decides their dashboard and what they may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Patient,
    Practitioner,
    Admin,
    Manager,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Patient,
        Role::Practitioner,
        Role::Admin,
        Role::Manager,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Patient => "patient",
            Role::Practitioner => "practitioner",
            Role::Admin => "admin",
            Role::Manager => "manager",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Staff see the whole cabinet's agenda; patients only their own appointments.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Patient)
    }

    /// The seed 004 spelling of the role room suffix (`role:PATIENT`, …).
    pub fn room_name(self) -> &'static str {
        match self {
            Role::Patient => "PATIENT",
            Role::Practitioner => "PRACTITIONER",
            Role::Admin => "ADMIN",
            Role::Manager => "MANAGER",
        }
    }
}

/// `POST /api/auth/login`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub remember_me: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Light,
    Dark,
    #[default]
    Auto,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Fr,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationChannels {
    pub email: bool,
    pub push: bool,
    pub sms: bool,
}

impl Default for NotificationChannels {
    fn default() -> Self {
        Self {
            email: true,
            push: true,
            sms: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Preferences {
    pub theme: Theme,
    pub language: Language,
    pub notifications: NotificationChannels,
}

/// The signed-in user (seed 000 `AuthUser`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthUser {
    pub id: Id,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub cabinet_id: Id,
    pub cabinet_name: String,
    pub preferences: Preferences,
    pub permissions: Vec<String>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// seed 000 `AuthTokens`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthTokens {
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Always `"Bearer"`.
    pub token_type: String,
}

/// `AuthUser & AuthTokens`: the `data` of a successful login, flattened as seed 000 has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthSession {
    #[serde(flatten)]
    pub user: AuthUser,
    #[serde(flatten)]
    pub tokens: AuthTokens,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_is_flat() {
        let session = AuthSession {
            user: AuthUser {
                id: "u1".into(),
                email: "a@b.c".into(),
                first_name: "A".into(),
                last_name: "B".into(),
                role: Role::Patient,
                cabinet_id: "c1".into(),
                cabinet_name: "Cabinet".into(),
                preferences: Preferences::default(),
                permissions: vec![],
                last_login_at: None,
                created_at: DateTime::from_timestamp(0, 0).unwrap(),
            },
            tokens: AuthTokens {
                access_token: "a".into(),
                refresh_token: "r".into(),
                expires_in: 900,
                token_type: "Bearer".into(),
            },
        };
        let v = serde_json::to_value(&session).unwrap();
        assert_eq!(v["accessToken"], "a");
        assert_eq!(v["role"], "patient");
        assert_eq!(v["tokenType"], "Bearer");
        let back: AuthSession = serde_json::from_value(v).unwrap();
        assert_eq!(back, session);
    }

    #[test]
    fn login_rejects_unknown_fields() {
        let r = serde_json::from_str::<LoginRequest>(r#"{"email":"a","password":"b","x":1}"#);
        assert!(r.is_err());
    }
}
