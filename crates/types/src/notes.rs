//! Admin Notes: internal plain text, at most 10,000 characters, shown escaped.

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AdminNotes(String);

crate::message_enum! {
    pub enum NotesError {
        TooLong => "Admin Notes must be at most 10,000 characters.",
        /// Invisible formatting characters, or control characters other than line breaks
        /// and tabs.
        Hidden => "Admin Notes cannot contain invisible or control characters (zero-width or text-direction marks).",
    }
}

impl AdminNotes {
    pub const MAX_LEN: usize = 10_000;

    /// Surrounding blank space is dropped; line breaks and tabs inside are kept.
    pub fn parse(raw: &str) -> Result<Self, NotesError> {
        let s = super::text::nfc(raw.trim());
        if s.chars().count() > Self::MAX_LEN {
            return Err(NotesError::TooLong);
        }
        if super::text::has_hidden(&s, true) {
            return Err(NotesError::Hidden);
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
    fn limits_length_keeps_lines() {
        let kept = AdminNotes::parse(" ticket #12\nasked by Ann ").unwrap();
        assert_eq!(kept.as_str(), "ticket #12\nasked by Ann");
        assert!(AdminNotes::parse(&"x".repeat(10_000)).is_ok());
        assert!(AdminNotes::parse("line one\r\n\tline two").is_ok());
        let long = "x".repeat(10_001);
        let refused = [
            (long.as_str(), NotesError::TooLong),
            ("pay\u{202E}gnp.exe", NotesError::Hidden),
            ("a\0b", NotesError::Hidden),
        ];
        for (raw, why) in refused {
            assert_eq!(AdminNotes::parse(raw), Err(why), "{raw:?}");
        }
    }
}
