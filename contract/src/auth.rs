//! Authentication (seed 000 `AuthService`): login (password or emailed one-time code), the
//! signed-in user and their tokens, session refresh and logout, profile and password changes,
//! and password reset by email.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Channel, Id, NotificationFamily, NotificationTypes, NotificationTypesPatch};

/// What a user is within their cabinet. Decides their dashboard and what they may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub remember_me: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Light,
    Dark,
    #[default]
    Auto,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Fr,
    En,
}

/// seed 000 `preferences.notifications`: one switch per channel, for everything, and the
/// per-family choices under `types`. A channel reaches a person for a family only when both
/// its switch and the family's choice allow it (`push` is the in-app channel's switch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationChannels {
    pub email: bool,
    pub push: bool,
    pub sms: bool,
    #[serde(default)]
    pub types: NotificationTypes,
}

impl NotificationChannels {
    /// Whether events of this family may reach the person through this channel.
    pub fn allows(&self, family: NotificationFamily, channel: Channel) -> bool {
        let switch = match channel {
            Channel::InApp => self.push,
            Channel::Email => self.email,
            Channel::Sms => self.sms,
        };
        switch && self.types.get(family).get(channel)
    }
}

impl Default for NotificationChannels {
    fn default() -> Self {
        Self {
            email: true,
            push: true,
            sms: false,
            types: NotificationTypes::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preferences {
    pub theme: Theme,
    pub language: Language,
    pub notifications: NotificationChannels,
}

/// The signed-in user (seed 000 `AuthUser`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuthUser {
    pub id: Id,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub cabinet_id: Id,
    pub cabinet_name: String,
    /// Set through `PUT /api/auth/profile`; absent when the account has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub preferences: Preferences,
    pub permissions: Vec<String>,
    #[serde(default, with = "crate::wire_time::timestamp_opt")]
    pub last_login_at: Option<DateTime<Utc>>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub created_at: DateTime<Utc>,
    /// Every cabinet the user belongs to, home first; send one's `cabinetId` as `X-Tenant-ID`
    /// to act there.
    #[serde(default)]
    pub memberships: Vec<Membership>,
}

/// A cabinet a user belongs to, and their role there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub cabinet_id: Id,
    pub cabinet_name: String,
    pub role: Role,
}

/// seed 000 `AuthTokens`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthSession {
    #[serde(flatten)]
    pub user: AuthUser,
    #[serde(flatten)]
    pub tokens: AuthTokens,
}

/// `POST /api/auth/refresh`: trade a refresh token for a new session. The token is single use:
/// the answer carries a new one, and presenting a used one again ends the whole session family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// `POST /api/auth/logout`: ends the session of this refresh token, or every session of the
/// caller when none is given. An empty body means `{}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogoutRequest {
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// `PUT /api/auth/profile`: only the fields present change. An empty `phone` removes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateProfileRequest {
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub preferences: Option<PreferencesPatch>,
}

/// The preferences to change; the others keep their value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PreferencesPatch {
    #[serde(default)]
    pub theme: Option<Theme>,
    #[serde(default)]
    pub language: Option<Language>,
    #[serde(default)]
    pub notifications: Option<NotificationsPatch>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NotificationsPatch {
    #[serde(default)]
    pub email: Option<bool>,
    #[serde(default)]
    pub push: Option<bool>,
    #[serde(default)]
    pub sms: Option<bool>,
    #[serde(default)]
    pub types: Option<NotificationTypesPatch>,
}

impl Preferences {
    /// These preferences with the patch's fields applied.
    pub fn patched(mut self, patch: &PreferencesPatch) -> Self {
        if let Some(theme) = patch.theme {
            self.theme = theme;
        }
        if let Some(language) = patch.language {
            self.language = language;
        }
        if let Some(n) = patch.notifications {
            let channels = &mut self.notifications;
            channels.email = n.email.unwrap_or(channels.email);
            channels.push = n.push.unwrap_or(channels.push);
            channels.sms = n.sms.unwrap_or(channels.sms);
            if let Some(types) = &n.types {
                channels.types = channels.types.patched(types);
            }
        }
        self
    }
}

/// `PUT /api/auth/change-password`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/auth/password-reset-request`: mails a one-hour reset link if the account exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// `POST /api/auth/password-reset`: the token from the mailed link and the new password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordResetConfirm {
    pub token: String,
    pub new_password: String,
}

/// `POST /api/auth/otp-request`: mails a 6-digit sign-in code if the account exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OtpRequest {
    pub email: String,
}

/// `POST /api/auth/login-otp` (seed 000 `LoginOTPRequest`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginOtpRequest {
    pub email: String,
    pub otp: String,
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
                phone: None,
                preferences: Preferences::default(),
                permissions: vec![],
                last_login_at: None,
                created_at: DateTime::from_timestamp(0, 0).unwrap(),
                memberships: vec![],
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

    #[test]
    fn a_preferences_patch_changes_only_what_it_names() {
        let patch: UpdateProfileRequest = serde_json::from_str(
            r#"{"preferences":{"theme":"dark","notifications":{"sms":true}}}"#,
        )
        .unwrap();
        let prefs = Preferences::default().patched(&patch.preferences.unwrap());
        assert_eq!(prefs.theme, Theme::Dark);
        assert_eq!(prefs.language, Language::Fr);
        assert_eq!(
            prefs.notifications,
            NotificationChannels {
                email: true,
                push: true,
                sms: true,
                types: NotificationTypes::default(),
            }
        );
        let unknown = r#"{"preferences":{"notifications":{"fax":true}}}"#;
        assert!(serde_json::from_str::<UpdateProfileRequest>(unknown).is_err());
    }

    #[test]
    fn logout_takes_an_empty_object_and_the_phone_is_optional_on_the_wire() {
        let r: LogoutRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(r.refresh_token, None);
        let user: AuthUser = serde_json::from_value(serde_json::json!({
            "id": "u", "email": "e", "firstName": "a", "lastName": "b", "role": "patient",
            "cabinetId": "c", "cabinetName": "n",
            "preferences": {"theme": "auto", "language": "fr",
                            "notifications": {"email": true, "push": true, "sms": false}},
            "permissions": [], "lastLoginAt": null, "createdAt": "2026-01-01T00:00:00Z"
        }))
        .unwrap();
        assert_eq!(user.phone, None);
        assert!(serde_json::to_value(&user).unwrap().get("phone").is_none());
    }
}
