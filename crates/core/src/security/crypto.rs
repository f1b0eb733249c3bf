//! Encryption at rest for TOTP secrets: XChaCha20-Poly1305 under the server key.

use base64::{engine::general_purpose::STANDARD_NO_PAD as B64, Engine};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::fmt;

/// The 32-byte server key. Debug never prints it.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("the secret key must be 64 hexadecimal characters (32 bytes)")]
    BadKey,
    #[error("an encrypted value could not be decrypted: wrong server key or damaged data")]
    Decrypt,
}

const PREFIX: &str = "v1:";

impl SecretKey {
    pub fn generate() -> Self {
        let mut k = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut k);
        Self(k)
    }

    pub fn from_hex(s: &str) -> Result<Self, CryptoError> {
        let bytes = hex::decode(s.trim()).map_err(|_| CryptoError::BadKey)?;
        let arr: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(Self(arr))
    }

    pub fn from_bytes(b: &[u8]) -> Result<Self, CryptoError> {
        let arr: [u8; 32] = b.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(Self(arr))
    }

    /// The raw bytes, to store a key encrypted under another (the recovery pepper).
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new((&self.0).into())
    }

    pub fn encrypt(&self, plain: &[u8]) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ct = self
            .cipher()
            .encrypt(&nonce, plain)
            .expect("XChaCha20-Poly1305 encryption of a short secret cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        format!("{PREFIX}{}", B64.encode(out))
    }

    /// HMAC-SHA256 of `data` under a key derived from the server key for `purpose`: a
    /// stolen database alone does not allow guessing short codes offline.
    pub fn mac(&self, purpose: &str, data: &[u8]) -> String {
        use hmac::{Hmac, Mac};
        let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.0)
            .expect("HMAC takes a key of any length");
        m.update(purpose.as_bytes());
        m.update(&[0]);
        m.update(data);
        hex::encode(m.finalize().into_bytes())
    }

    /// A key for one purpose, derived from this one: what is sealed under it cannot be
    /// opened with the key itself or with a key for another purpose.
    pub fn derive(&self, purpose: &str) -> SecretKey {
        let mac = self.mac(purpose, b"derived key");
        let bytes = hex::decode(mac).expect("a MAC is hexadecimal");
        SecretKey::from_bytes(&bytes).expect("HMAC-SHA256 is 32 bytes")
    }

    pub fn decrypt(&self, stored: &str) -> Result<Vec<u8>, CryptoError> {
        let raw = stored.strip_prefix(PREFIX).ok_or(CryptoError::Decrypt)?;
        let bytes = B64.decode(raw).map_err(|_| CryptoError::Decrypt)?;
        if bytes.len() < 24 {
            return Err(CryptoError::Decrypt);
        }
        let (nonce, ct) = bytes.split_at(24);
        self.cipher()
            .decrypt(XNonce::from_slice(nonce), ct)
            .map_err(|_| CryptoError::Decrypt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper_detection() {
        let k = SecretKey::generate();
        let enc = k.encrypt(b"JBSWY3DPEHPK3PXP");
        assert!(!enc.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(k.decrypt(&enc).unwrap(), b"JBSWY3DPEHPK3PXP");
        // two encryptions differ (random nonce)
        assert_ne!(enc, k.encrypt(b"JBSWY3DPEHPK3PXP"));
        // another key cannot read it
        assert_eq!(
            SecretKey::generate().decrypt(&enc),
            Err(CryptoError::Decrypt)
        );
        let mut tampered = enc.clone();
        tampered.pop();
        tampered.push(if enc.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(k.decrypt(&tampered), Err(CryptoError::Decrypt));
    }

    #[test]
    fn hex_keys() {
        let k = SecretKey::generate();
        assert_eq!(
            SecretKey::from_hex(&k.to_hex()).unwrap().to_hex(),
            k.to_hex()
        );
        assert_eq!(
            SecretKey::from_hex("abcd").unwrap_err(),
            CryptoError::BadKey
        );
        assert!(!format!("{k:?}").contains(&k.to_hex()));
    }
}
