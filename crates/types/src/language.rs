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

impl crate::i18n::Message for UnknownLanguage {
    fn msg(&self) -> crate::i18n::Msg {
        crate::msg!("Choose one of the listed languages.")
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

impl Language {
    /// The browser's preferred language among ours (an `Accept-Language` header, `q`
    /// weights honoured), for pages shown before anyone has signed in.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(f32, usize, Language)> = None;
        for (i, part) in header.split(',').enumerate() {
            let mut bits = part.split(';');
            let tag = bits.next().unwrap_or("").trim();
            let q = bits
                .filter_map(|b| b.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let Ok(lang) = Self::parse(primary) else {
                continue;
            };
            // Highest weight wins; among equal weights, the one listed first.
            if q > 0.0 && best.is_none_or(|(bq, _, _)| q > bq) {
                best = Some((q, i, lang));
            }
        }
        best.map_or(Self::En, |(_, _, l)| l)
    }
}

crate::display_in_english!(UnknownLanguage);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_known_language() {
        assert_eq!(
            Language::from_accept_language("de-DE,de;q=0.9,en;q=0.8"),
            Language::De
        );
        assert_eq!(
            Language::from_accept_language("ja,uk;q=0.5,en;q=0.7"),
            Language::En
        );
        assert_eq!(
            Language::from_accept_language("en;q=0.2, uk-UA"),
            Language::Uk
        );
        assert_eq!(Language::from_accept_language(""), Language::En);
        assert_eq!(Language::from_accept_language("*"), Language::En);
        assert_eq!(Language::from_accept_language("de;q=0"), Language::En);
    }

    #[test]
    fn codes_round_trip() {
        for l in Language::ALL {
            assert_eq!(Language::parse(l.code()), Ok(l));
        }
        assert_eq!(Language::parse("UK"), Ok(Language::Uk));
        assert_eq!(Language::parse("klingon"), Err(UnknownLanguage));
    }
}
