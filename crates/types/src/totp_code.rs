//! What a person types at the second step: a 6-digit TOTP code, or one of their recovery
//! codes (ten characters, shown as `xxxxx-xxxxx`). Spaces and dashes are allowed in both.

use std::fmt;

crate::message_enum! {
    pub enum CodeError {
        Empty => "Enter the 6-digit code from your authenticator app.",
        Malformed => "The code is 6 digits, like 123 456.",
        NotACodeOrRecovery => "Enter the 6-digit code from your app, or a recovery code like abcde-12345.",
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct TotpCode(String);

impl fmt::Debug for TotpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpCode(<redacted>)")
    }
}

impl TotpCode {
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let digits: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if digits.is_empty() {
            return Err(CodeError::Empty);
        }
        if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::Malformed);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The recovery-code alphabet (Crockford's base32: no I, L, O, U to misread).
pub const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
pub const RECOVERY_LEN: usize = 10;

/// A recovery code in its canonical form (ten lowercase characters, no dash).
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

impl RecoveryCode {
    /// Forgiving about case, spaces, dashes and the letters people confuse with digits.
    pub fn parse(raw: &str) -> Option<Self> {
        let mut out = String::with_capacity(RECOVERY_LEN);
        for c in raw.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let c = match c.to_ascii_lowercase() {
                'o' => '0',
                'i' | 'l' => '1',
                c => c,
            };
            if !c.is_ascii() || !RECOVERY_ALPHABET.contains(&(c as u8)) {
                return None;
            }
            out.push(c);
        }
        (out.len() == RECOVERY_LEN).then_some(Self(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As shown to the person: `abcde-12345`.
    pub fn display(&self) -> String {
        format!("{}-{}", &self.0[..5], &self.0[5..])
    }
}

/// The second step's input: a code from the app or a recovery code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecondFactor {
    Totp(TotpCode),
    Recovery(RecoveryCode),
}

impl SecondFactor {
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        match TotpCode::parse(raw) {
            Ok(c) => Ok(Self::Totp(c)),
            Err(CodeError::Empty) => Err(CodeError::Empty),
            Err(_) => RecoveryCode::parse(raw)
                .map(Self::Recovery)
                .ok_or(CodeError::NotACodeOrRecovery),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_grouped_digits() {
        assert_eq!(TotpCode::parse(" 123 456 ").unwrap().as_str(), "123456");
        assert_eq!(TotpCode::parse("123-456").unwrap().as_str(), "123456");
    }

    #[test]
    fn refuses_other_input() {
        use CodeError::*;
        let refused = [
            ("", Empty),
            ("12345", Malformed),
            ("12345a", Malformed),
            ("１２３４５６", Malformed),
        ];
        for (raw, why) in refused {
            assert_eq!(TotpCode::parse(raw), Err(why), "{raw:?}");
        }
    }

    #[test]
    fn recovery_codes_are_read_forgivingly() {
        let c = RecoveryCode::parse("ABCDE-12O4L").unwrap();
        assert_eq!(c.as_str(), "abcde12041");
        assert_eq!(c.display(), "abcde-12041");
        assert_eq!(RecoveryCode::parse("abcde-1234"), None); // too short
        assert_eq!(RecoveryCode::parse("abcde-1234u"), None); // not in the alphabet
        let read = |raw| SecondFactor::parse(raw);
        assert!(matches!(read("123 456"), Ok(SecondFactor::Totp(_))));
        assert!(matches!(read("abcde 12345"), Ok(SecondFactor::Recovery(_))));
        assert_eq!(read("12345"), Err(CodeError::NotACodeOrRecovery));
        assert_eq!(read(" "), Err(CodeError::Empty));
    }
}
