//! Admin Notes: internal plain text, at most 10,000 characters, shown escaped.

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AdminNotes(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotesTooLong;

impl std::fmt::Display for NotesTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Admin Notes must be at most 10,000 characters.")
    }
}

impl AdminNotes {
    pub const MAX_LEN: usize = 10_000;

    /// Surrounding blank space is dropped; line breaks inside are kept.
    pub fn parse(raw: &str) -> Result<Self, NotesTooLong> {
        let s = raw.trim();
        if s.chars().count() > Self::MAX_LEN {
            return Err(NotesTooLong);
        }
        Ok(Self(s.to_string()))
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
        assert_eq!(
            AdminNotes::parse(" ticket #12\nasked by Ann ")
                .unwrap()
                .as_str(),
            "ticket #12\nasked by Ann"
        );
        assert!(AdminNotes::parse(&"x".repeat(10_000)).is_ok());
        assert_eq!(AdminNotes::parse(&"x".repeat(10_001)), Err(NotesTooLong));
    }
}
