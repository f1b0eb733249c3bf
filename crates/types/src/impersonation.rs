//! Signing in as a user (support): the reason staff must give, and how long it lasts.

/// How long staff stay signed in as a user, from the start; it is never extended.
pub const MINUTES: i64 = 30;

/// Why a staff member signs in as a user: one line the trail and the user both read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason(String);

crate::message_enum! {
    pub enum ReasonError {
        Missing => "Give a reason of at least 5 characters, like a ticket number.",
        TooLong => "A reason has at most 300 characters.",
        /// Line breaks, control characters or invisible formatting: the trail shows one line.
        Hidden => "A reason is one line without invisible or control characters.",
    }
}

impl Reason {
    pub const MIN_LEN: usize = 5;
    pub const MAX_LEN: usize = 300;

    pub fn parse(raw: &str) -> Result<Self, ReasonError> {
        let s = super::text::nfc(raw.trim());
        let n = s.chars().count();
        if n < Self::MIN_LEN {
            return Err(ReasonError::Missing);
        }
        if n > Self::MAX_LEN {
            return Err(ReasonError::TooLong);
        }
        if super::text::has_hidden(&s, false) {
            return Err(ReasonError::Hidden);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_one_readable_line_of_5_to_300_characters() {
        assert_eq!(
            Reason::parse("  Ticket #4411: cannot see invoices ")
                .unwrap()
                .as_str(),
            "Ticket #4411: cannot see invoices"
        );
        assert_eq!(Reason::parse(""), Err(ReasonError::Missing));
        assert_eq!(Reason::parse("   ab  "), Err(ReasonError::Missing));
        assert_eq!(Reason::parse("Ticket"), Ok(Reason("Ticket".into())));
        assert_eq!(Reason::parse(&"x".repeat(301)), Err(ReasonError::TooLong));
        assert!(Reason::parse(&"é".repeat(300)).is_ok());
        assert_eq!(Reason::parse("two\nlines"), Err(ReasonError::Hidden));
        assert_eq!(Reason::parse("nul\0here"), Err(ReasonError::Hidden));
        assert_eq!(Reason::parse("rtl \u{202e}kcah"), Err(ReasonError::Hidden));
        assert_eq!(Reason::parse("zero\u{200b}width"), Err(ReasonError::Hidden));
    }
}
