//! Random bearer tokens (sessions, setup links). Only their SHA-256 is stored, so a copy
//! of the database does not let anyone sign in.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64, Engine};
use sha2::{Digest, Sha256};

/// 256 random bits, URL-safe.
pub fn new_token() -> String {
    let mut b = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
    B64.encode(b)
}

/// Whether `token` could be one of ours (43 characters): anything far from that is refused
/// before it is hashed or looked up.
pub fn plausible(token: &str) -> bool {
    !token.is_empty() && token.len() <= 128
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = new_token();
        assert_ne!(a, new_token());
        assert_eq!(a.len(), 43);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), a);
        assert!(plausible(&a));
        assert!(!plausible("") && !plausible(&"A".repeat(129)));
    }
}
