//! Access tokens are short-lived HS256 JWTs naming the user, their cabinet and role; refresh
//! tokens are random strings whose SHA-256 is stored.

use jsonwebtoken::{
    decode, encode, errors::ErrorKind, Algorithm, DecodingKey, EncodingKey, Header, Validation,
};
use nova_contract::{ErrorCode, Role};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// What an access token asserts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: String,
    /// Cabinet id.
    pub cab: String,
    pub role: Role,
    pub exp: u64,
    pub iat: u64,
}

pub fn issue_access(secret: &[u8], claims: &Claims) -> Result<String> {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .map_err(|e| Error::Internal(format!("jwt encode: {e}")))
}

pub fn verify_access(secret: &[u8], token: &str) -> Result<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 5;
    decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
        .map(|data| data.claims)
        .map_err(|e| match e.kind() {
            ErrorKind::ExpiredSignature => Error::new(ErrorCode::TokenExpired, "Session expirée"),
            _ => Error::unauthorized("Token invalide"),
        })
}

/// A new refresh token and the hash to store for it.
pub fn new_refresh() -> (String, String) {
    let token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let hashed = hash_refresh(&token);
    (token, hashed)
}

pub fn hash_refresh(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: u64) -> Claims {
        Claims {
            sub: "u".into(),
            cab: "c".into(),
            role: Role::Practitioner,
            exp,
            iat: 0,
        }
    }

    fn now() -> u64 {
        chrono::Utc::now().timestamp() as u64
    }

    #[test]
    fn a_token_round_trips_and_other_secrets_fail() {
        let original = claims(now() + 60);
        let token = issue_access(b"secret-one-secret-one", &original).unwrap();
        assert_eq!(
            verify_access(b"secret-one-secret-one", &token).unwrap(),
            original
        );
        let err = verify_access(b"secret-two-secret-two", &token).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Unauthorized);
    }

    #[test]
    fn expired_tokens_say_so() {
        let token = issue_access(b"secret-one-secret-one", &claims(now() - 3600)).unwrap();
        let err = verify_access(b"secret-one-secret-one", &token).unwrap_err();
        assert_eq!(err.code(), ErrorCode::TokenExpired);
    }

    #[test]
    fn garbage_is_unauthorized() {
        let err = verify_access(b"secret-one-secret-one", "not.a.jwt").unwrap_err();
        assert_eq!(err.code(), ErrorCode::Unauthorized);
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let (a, ha) = new_refresh();
        let (b, _) = new_refresh();
        assert_ne!(a, b);
        assert_eq!(ha.len(), 64);
        assert_eq!(hash_refresh(&a), ha);
    }
}
