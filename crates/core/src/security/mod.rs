//! Passwords, TOTP, tokens, encryption at rest and sign-in throttling.

pub mod crypto;
pub mod passwords;
pub mod recovery;
pub mod throttle;
pub mod tokens;
pub mod totp;
