//! Firstname and Lastname: 1–100 characters after trimming, no control characters, no
//! invisible formatting characters, stored in NFC.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooLong,
    ControlCharacters,
    InvisibleCharacters,
}

impl NameError {
    /// The message for the field with this label ("Firstname" or "Lastname"): each field
    /// has its own sentences, since languages do not build them the same way.
    pub fn message(self, label: &str) -> crate::i18n::Msg {
        use crate::msg;
        match (self, label == "Lastname") {
            (Self::Empty, false) => msg!("Firstname is required."),
            (Self::Empty, true) => msg!("Lastname is required."),
            (Self::TooLong, false) => msg!("Firstname must be at most 100 characters."),
            (Self::TooLong, true) => msg!("Lastname must be at most 100 characters."),
            (Self::ControlCharacters, false) => {
                msg!("Firstname cannot contain line breaks, tabs or other control characters.")
            }
            (Self::ControlCharacters, true) => {
                msg!("Lastname cannot contain line breaks, tabs or other control characters.")
            }
            (Self::InvisibleCharacters, false) => msg!(
                "Firstname cannot contain invisible characters (zero-width or text-direction marks)."
            ),
            (Self::InvisibleCharacters, true) => msg!(
                "Lastname cannot contain invisible characters (zero-width or text-direction marks)."
            ),
        }
    }
}

impl PersonName {
    pub const MAX_LEN: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let s = super::text::nfc(raw.trim());
        let s = s.as_str();
        if s.is_empty() {
            return Err(NameError::Empty);
        }
        if s.chars().count() > Self::MAX_LEN {
            return Err(NameError::TooLong);
        }
        if s.chars().any(char::is_control) {
            return Err(NameError::ControlCharacters);
        }
        if super::text::has_invisible_format(s) {
            return Err(NameError::InvisibleCharacters);
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_limits() {
        use NameError::*;
        let long = "é".repeat(101);
        let refused = [
            ("   ", Empty),
            (&long, TooLong),
            ("Ann\nLee", ControlCharacters),
            ("An\0n", ControlCharacters),
            ("Ann\u{202E}gnp.exe", InvisibleCharacters),
            ("An\u{200B}n", InvisibleCharacters),
        ];
        for (raw, why) in refused {
            assert_eq!(PersonName::parse(raw), Err(why), "{raw:?}");
        }
        assert_eq!(PersonName::parse("  Ann ").unwrap().as_str(), "Ann");
        assert!(PersonName::parse(&"é".repeat(100)).is_ok());
        // Apostrophes, hyphens, scripts other than Latin and emoji are names too.
        assert!(PersonName::parse("O'Brien-Łukasz 李 🙂").is_ok());
    }

    #[test]
    fn messages_name_the_field() {
        assert_eq!(
            NameError::Empty.message("Lastname").en(),
            "Lastname is required."
        );
    }
}
