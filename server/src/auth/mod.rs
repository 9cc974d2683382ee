//! Passwords (argon2id), access tokens (JWT, HS256) and opaque refresh tokens.

pub mod password;
pub mod tokens;
