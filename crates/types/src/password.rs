//! Passwords: NIST 800-63B length rules plus a strength estimate, no composition rules.

use std::fmt;

/// A password that passed the policy. Never serialized: it only travels inside forms.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

crate::message_enum! {
    pub enum PasswordError {
        Empty => "Password is required.",
        TooShort => "Password must be at least 12 characters.",
        TooLong => "Password must be at most 128 characters.",
        TooCommon => "This password is too easy to guess. Use a longer phrase of unrelated words, or generate one.",
    }
}

impl Password {
    pub const MIN_LEN: usize = 12;
    pub const MAX_LEN: usize = 128;

    /// The length rules, cheap enough for the browser to check as the user types.
    pub fn check_length(raw: &str) -> Result<(), PasswordError> {
        let n = raw.chars().count();
        if n == 0 {
            return Err(PasswordError::Empty);
        }
        if n < Self::MIN_LEN {
            return Err(PasswordError::TooShort);
        }
        if n > Self::MAX_LEN {
            return Err(PasswordError::TooLong);
        }
        Ok(())
    }

    /// The whole policy. The strength estimate's dictionaries weigh more than the rest of
    /// the WASM, so this runs on the server only; the browser asks it through the API.
    #[cfg(feature = "server")]
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        Self::parse_with_context(raw, &[])
    }

    /// The policy, counting `context` (the account's email and names) as guessable words.
    #[cfg(feature = "server")]
    pub fn parse_with_context(raw: &str, context: &[&str]) -> Result<Self, PasswordError> {
        Self::check_length(raw)?;
        if strength_with_context(raw, context) < 3 {
            return Err(PasswordError::TooCommon);
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Strength on zxcvbn's 0–4 scale (the meter shows it; 3 or more passes).
#[cfg(feature = "server")]
pub fn strength(raw: &str) -> u8 {
    strength_with_context(raw, &[])
}

/// Strength with the account's own words (email, names) counted as guessable.
#[cfg(feature = "server")]
pub fn strength_with_context(raw: &str, context: &[&str]) -> u8 {
    if raw.is_empty() {
        return 0;
    }
    // zxcvbn's cost grows with length; the policy caps length at 128 anyway.
    let raw: String = raw.chars().take(Password::MAX_LEN).collect();
    zxcvbn::zxcvbn(&raw, context).score() as u8
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;

    #[test]
    fn length_and_common_passwords_are_refused_and_phrases_pass() {
        use PasswordError::*;
        let long = "x".repeat(129);
        let refused = [
            ("", Empty),
            ("short", TooShort),
            (&long, TooLong),
            ("password1234", TooCommon),
            ("aaaaaaaaaaaa", TooCommon),
        ];
        for (raw, why) in refused {
            assert_eq!(Password::parse(raw), Err(why), "{raw:?}");
        }
        assert!(Password::parse("correct horse battery staple").is_ok());
        // no composition rules: all lower case is fine when it is long and unguessable
        assert!(Password::parse("plumtreeoverquietharbour").is_ok());
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let p = Password::parse("correct horse battery staple").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }
}
