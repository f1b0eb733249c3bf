//! The UI languages a user can choose.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Uk,
    Pl,
    Fr,
    De,
    Es,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownLanguage;

impl std::fmt::Display for UnknownLanguage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Choose one of the listed languages.")
    }
}

impl Language {
    pub const ALL: [Language; 6] = [
        Language::En,
        Language::Uk,
        Language::Pl,
        Language::Fr,
        Language::De,
        Language::Es,
    ];

    /// The ISO 639-1 code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Uk => "uk",
            Self::Pl => "pl",
            Self::Fr => "fr",
            Self::De => "de",
            Self::Es => "es",
        }
    }

    /// The language's own name, as a speaker looks for it in a list.
    pub fn label(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Uk => "Українська",
            Self::Pl => "Polski",
            Self::Fr => "Français",
            Self::De => "Deutsch",
            Self::Es => "Español",
        }
    }

    pub fn parse(code: &str) -> Result<Self, UnknownLanguage> {
        let code = code.trim();
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
            .ok_or(UnknownLanguage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for l in Language::ALL {
            assert_eq!(Language::parse(l.code()), Ok(l));
        }
        assert_eq!(Language::parse("UK"), Ok(Language::Uk));
        assert_eq!(Language::parse("klingon"), Err(UnknownLanguage));
    }
}
