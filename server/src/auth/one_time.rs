//! Secrets sent by mail: password-reset tokens and 6-digit sign-in codes. Only their hashes are
//! stored, so reading the database opens no account.
//!
//! A reset token carries 256 random bits, so its plain SHA-256 cannot be reversed. A 6-digit
//! code has only a million values, which a plain hash would not protect; its hash is keyed
//! with the server secret and the user id, so a copy of the database alone cannot test codes.

use sha2::{Digest, Sha256};

/// How long a reset link works.
pub const RESET_TTL_SECS: i64 = 3600;
/// How long a sign-in code works.
pub const OTP_TTL_SECS: i64 = 10 * 60;
/// Wrong codes tried before a code stops working, even for the right value.
pub const OTP_MAX_ATTEMPTS: i64 = 5;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new reset token (64 hex characters) and the hash to store for it.
pub fn new_reset_token() -> (String, String) {
    let token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let hashed = hash_reset_token(&token);
    (token, hashed)
}

pub fn hash_reset_token(token: &str) -> String {
    hex(&Sha256::digest(token.trim().as_bytes()))
}

/// A uniformly random code of six digits, `000000` to `999999`.
pub fn new_otp() -> String {
    // 4_294_000_000 is the largest multiple of a million below 2^32: drawing again above it
    // keeps every code equally likely.
    const BOUND: u32 = 4_294_000_000;
    loop {
        let bytes = uuid::Uuid::new_v4().into_bytes();
        // The first four bytes of a v4 UUID are all random (the version and variant bits
        // live in bytes 6 and 8).
        let n = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        if n < BOUND {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// The stored form of a code for one user.
pub fn hash_otp(secret: &[u8], user_id: &str, code: &str) -> String {
    let mut h = Sha256::new();
    h.update((secret.len() as u64).to_be_bytes());
    h.update(secret);
    h.update((user_id.len() as u64).to_be_bytes());
    h.update(user_id.as_bytes());
    h.update(code.trim().as_bytes());
    hex(&h.finalize())
}

/// Compares two hashes without an early exit.
pub fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: std::collections::HashSet<String> = (0..200).map(|_| new_otp()).collect();
        assert!(codes
            .iter()
            .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())));
        assert!(codes.len() > 190, "200 draws from a million rarely repeat");
    }

    #[test]
    fn code_hashes_depend_on_secret_and_user() {
        let a = hash_otp(b"secret", "u1", "123456");
        assert_eq!(a, hash_otp(b"secret", "u1", "123456"));
        assert_ne!(a, hash_otp(b"other", "u1", "123456"));
        assert_ne!(a, hash_otp(b"secret", "u2", "123456"));
        assert_ne!(a, hash_otp(b"secret", "u1", "123457"));
        assert_eq!(
            a,
            hash_otp(b"secret", "u1", " 123456 "),
            "spaces are ignored"
        );
    }

    #[test]
    fn reset_tokens_are_random_and_hashed() {
        let (a, ha) = new_reset_token();
        let (b, _) = new_reset_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(hash_reset_token(&a), ha);
        assert!(same_hash(&ha, &hash_reset_token(&a)));
        assert!(!same_hash(&ha, &hash_reset_token(&b)));
        assert!(!same_hash("ab", "abc"));
    }
}
