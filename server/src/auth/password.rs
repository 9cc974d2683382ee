//! argon2id hashing with the crate's default (OWASP-recommended) parameters.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

use crate::error::{Error, Result};

pub fn hash(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("argon2: {e}")))
}

/// Whether `password` matches the stored PHC string. A malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash no password matches: for accounts created without one (booked by staff).
pub const UNUSABLE: &str = "!";

/// [`hash`] on the blocking pool: argon2 takes tens of milliseconds of CPU on purpose, which
/// must not stall the async workers.
pub async fn hash_blocking(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| Error::Internal(format!("password hash: {e}")))?
}

/// [`verify`] on the blocking pool. Without a stored hash (no such account) it checks against a
/// stand-in, so the answer takes as long either way and does not reveal which emails have
/// accounts.
pub async fn verify_blocking(password: String, stored: Option<String>) -> Result<bool> {
    tokio::task::spawn_blocking(move || match stored {
        Some(stored) => verify(&password, &stored),
        None => {
            verify(&password, stand_in_hash());
            false
        }
    })
    .await
    .map_err(|e| Error::Internal(format!("password check: {e}")))
}

fn stand_in_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash("not-a-real-account").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash("nova-demo").unwrap();
        let b = hash("nova-demo").unwrap();
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify("nova-demo", &a));
        assert!(!verify("nova-demo!", &a));
        assert!(!verify("", UNUSABLE));
    }

    #[tokio::test]
    async fn the_blocking_forms_agree() {
        let h = hash_blocking("nova-demo".into()).await.unwrap();
        assert!(verify_blocking("nova-demo".into(), Some(h.clone()))
            .await
            .unwrap());
        assert!(!verify_blocking("nope".into(), Some(h)).await.unwrap());
        assert!(!verify_blocking("not-a-real-account".into(), None)
            .await
            .unwrap());
    }
}
