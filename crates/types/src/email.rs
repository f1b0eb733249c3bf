//! Email addresses: validated once, compared ignoring case.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

crate::message_enum! {
    pub enum EmailError {
        Empty => "Email is required.",
        TooLong => "Email must be at most 254 characters.",
        Invalid => "Enter a valid email address, like name@example.com.",
    }
}

impl Email {
    pub const MAX_LEN: usize = 254;

    /// Trimmed and in NFC (so one address typed two ways is one account); invisible
    /// formatting characters are refused.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let s = super::text::nfc(raw.trim());
        let s = s.as_str();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.chars().count() > Self::MAX_LEN {
            return Err(EmailError::TooLong);
        }
        if super::text::has_invisible_format(s) || !email_address::EmailAddress::is_valid(s) {
            return Err(EmailError::Invalid);
        }
        // A panel's users sign in over the public internet: insist on a dotted domain.
        let domain = s.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
        if !domain.contains('.') || domain.starts_with('[') {
            return Err(EmailError::Invalid);
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key for uniqueness and look-up: addresses differing only in case are one.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_trims() {
        let e = Email::parse("  Ann.Lee+panel@Example.COM ").unwrap();
        assert_eq!(e.as_str(), "Ann.Lee+panel@Example.COM");
        assert_eq!(e.normalized(), "ann.lee+panel@example.com");
    }

    #[test]
    fn refuses_bad_addresses() {
        use EmailError::*;
        let long = format!("{}@example.com", "a".repeat(250));
        let refused = [
            ("   ", Empty),
            ("ann", Invalid),
            ("ann@", Invalid),
            ("ann@localhost", Invalid),
            ("a b@example.com", Invalid),
            (&long, TooLong),
        ];
        for (raw, why) in refused {
            assert_eq!(Email::parse(raw), Err(why), "{raw:?}");
        }
    }
}
