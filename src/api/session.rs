//! The session as it travels and is stored: `AuthUser` and `AuthTokens` side by side in one
//! flat JSON object, which the contract's `AuthSession` models with two `#[serde(flatten)]`.
//!
//! serde decodes a flattened struct through a buffered `Content` tree, which compiles a second
//! decoder for every field type of the user into the bundle. This mirror reads and writes the
//! same JSON field by field and converts to the contract's type. The tests below fail if the
//! contract grows a field this mirror would drop.

use chrono::{DateTime, Utc};
use nova_contract::{AuthSession, AuthTokens, AuthUser, Id, Membership, Preferences, Role};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlatSession {
    id: Id,
    email: String,
    first_name: String,
    last_name: String,
    role: Role,
    cabinet_id: Id,
    cabinet_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    preferences: Preferences,
    permissions: Vec<String>,
    #[serde(default, with = "nova_contract::wire_time::timestamp_opt")]
    last_login_at: Option<DateTime<Utc>>,
    #[serde(with = "nova_contract::wire_time::timestamp")]
    created_at: DateTime<Utc>,
    #[serde(default)]
    memberships: Vec<Membership>,
    access_token: String,
    refresh_token: String,
    expires_in: u64,
    token_type: String,
}

impl From<FlatSession> for AuthSession {
    fn from(f: FlatSession) -> Self {
        AuthSession {
            user: AuthUser {
                id: f.id,
                email: f.email,
                first_name: f.first_name,
                last_name: f.last_name,
                role: f.role,
                cabinet_id: f.cabinet_id,
                cabinet_name: f.cabinet_name,
                phone: f.phone,
                preferences: f.preferences,
                permissions: f.permissions,
                last_login_at: f.last_login_at,
                created_at: f.created_at,
                memberships: f.memberships,
            },
            tokens: AuthTokens {
                access_token: f.access_token,
                refresh_token: f.refresh_token,
                expires_in: f.expires_in,
                token_type: f.token_type,
            },
        }
    }
}

impl From<&AuthSession> for FlatSession {
    fn from(s: &AuthSession) -> Self {
        let (u, t) = (s.user.clone(), s.tokens.clone());
        FlatSession {
            id: u.id,
            email: u.email,
            first_name: u.first_name,
            last_name: u.last_name,
            role: u.role,
            cabinet_id: u.cabinet_id,
            cabinet_name: u.cabinet_name,
            phone: u.phone,
            preferences: u.preferences,
            permissions: u.permissions,
            last_login_at: u.last_login_at,
            created_at: u.created_at,
            memberships: u.memberships,
            access_token: t.access_token,
            refresh_token: t.refresh_token,
            expires_in: t.expires_in,
            token_type: t.token_type,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract_session() -> AuthSession {
        AuthSession {
            user: AuthUser {
                id: "u1".into(),
                email: "a@b.c".into(),
                first_name: "Léa".into(),
                last_name: "Dubois".into(),
                role: Role::Patient,
                cabinet_id: "c1".into(),
                cabinet_name: "Cabinet".into(),
                phone: Some("0612345678".into()),
                preferences: Preferences::default(),
                permissions: vec!["book".into()],
                last_login_at: DateTime::from_timestamp(60, 0),
                created_at: DateTime::from_timestamp(0, 0).unwrap(),
                memberships: vec![Membership {
                    cabinet_id: "c1".into(),
                    cabinet_name: "Cabinet".into(),
                    role: Role::Patient,
                }],
            },
            tokens: AuthTokens {
                access_token: "a".into(),
                refresh_token: "r".into(),
                expires_in: 900,
                token_type: "Bearer".into(),
            },
        }
    }

    #[test]
    fn reads_and_writes_exactly_the_contract_json() {
        let s = contract_session();
        let contract_json = serde_json::to_value(&s).unwrap();
        let flat: FlatSession = serde_json::from_value(contract_json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&flat).unwrap(), contract_json);
        assert_eq!(AuthSession::from(flat), s, "no field is lost on the way");
        assert_eq!(
            FlatSession::from(&s),
            serde_json::from_value(contract_json).unwrap()
        );
    }
}
