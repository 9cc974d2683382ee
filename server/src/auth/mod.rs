//! Passwords (argon2id), access tokens (JWT, HS256), opaque refresh tokens, the one-time secrets
//! sent by mail, and the attempt limits that slow guessing down.

pub mod one_time;
pub mod password;
pub mod rate_limit;
pub mod tokens;
