//! argon2id hashing. Hashing is deliberately slow, so it runs on the blocking pool and
//! never stalls the async workers.

use crate::domain::Password;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::OnceLock;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("the hashing task did not finish")]
    Join,
}

/// argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane): OWASP's recommendation.
fn hasher() -> Argon2<'static> {
    Argon2::default()
}

pub fn hash_blocking(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Hash(e.to_string()))
}

pub async fn hash(password: &Password) -> Result<String, HashError> {
    let p = password.expose().to_string();
    tokio::task::spawn_blocking(move || hash_blocking(&p))
        .await
        .map_err(|_| HashError::Join)?
}

/// Verify `password` against `stored`; with no stored hash (unknown account) verify
/// against a fixed dummy so both answers take the same time.
pub async fn verify(password: &str, stored: Option<&str>) -> bool {
    let p = password.to_string();
    let known = stored.is_some();
    let h = stored
        .map(str::to_string)
        .unwrap_or_else(|| dummy_hash().to_string());
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&h)
            .map(|parsed| hasher().verify_password(p.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    ok && known
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("roster-dummy-password-for-timing").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let p = Password::parse("correct horse battery staple").unwrap();
        let h = hash(&p).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("horse"));
        assert!(verify("correct horse battery staple", Some(&h)).await);
        assert!(!verify("correct horse battery stapler", Some(&h)).await);
        // unknown account: never true, even for the dummy's own password
        assert!(!verify("roster-dummy-password-for-timing", None).await);
    }
}
