//! Recovery codes: ten single-use codes made at enrolment, for when the authenticator app
//! is lost. 50 random bits each; stored only as a keyed hash (`SecretKey::mac`).

use super::crypto::SecretKey;
use rand::Rng;
use roster_types::totp_code::{RecoveryCode, RECOVERY_ALPHABET, RECOVERY_LEN};

pub const COUNT: usize = 10;
const PURPOSE: &str = "recovery-code";

pub fn generate() -> Vec<RecoveryCode> {
    let mut rng = rand::rngs::OsRng;
    let mut codes: Vec<RecoveryCode> = Vec::with_capacity(COUNT);
    while codes.len() < COUNT {
        let raw: String = (0..RECOVERY_LEN)
            .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
            .collect();
        let code = RecoveryCode::parse(&raw).expect("generated from the alphabet");
        // Ten distinct codes, so that each one counts once.
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

pub fn hash(key: &SecretKey, code: &RecoveryCode) -> String {
    key.mac(PURPOSE, code.as_str().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_distinct_codes_hashed_under_the_key() {
        let codes = generate();
        assert_eq!(codes.len(), COUNT);
        for (i, c) in codes.iter().enumerate() {
            assert!(!codes[i + 1..].contains(c));
            // what the person types back is read as the same code
            assert_eq!(RecoveryCode::parse(&c.display()).as_ref(), Some(c));
        }
        let k = SecretKey::generate();
        let h = hash(&k, &codes[0]);
        assert_eq!(h, hash(&k, &codes[0]));
        assert_ne!(h, hash(&k, &codes[1]));
        assert_ne!(h, hash(&SecretKey::generate(), &codes[0]));
        assert!(!h.contains(codes[0].as_str()));
    }
}
