//! The message catalogue: every text a page shows and every message the server sends, in
//! English, Ukrainian, German, Polish and French.
//!
//! English is the message id, written where the text is used (`tr!("Sign in")` in the UI);
//! `Msg::of` finds it in `en::EN` at compile time, so a text missing from the catalogue does
//! not compile. Each other language is a table of (English, translation) pairs, checked at
//! compile time to cover exactly the English list: a missing or stale translation does not
//! compile either. The browser holds no table: each text's English words are written where
//! it is used (a `Msg` carries them), and a page in another language carries that
//! language's `Catalogue` in the HTML; a language switch fetches it.

mod en;
#[cfg(feature = "server")]
mod translations;

#[cfg(feature = "server")]
use crate::Language;
use en::ENGLISH;

/// Every message in English, in catalogue order (one copy in the binary: the checks use
/// `ENGLISH`, a `const`, which would be copied wherever it is read at run time). Server
/// only: in the browser each text's English words are where the text is used.
#[cfg(feature = "server")]
pub static EN: &[&str] = ENGLISH;

/// How many messages the catalogue has.
pub const COUNT: usize = ENGLISH.len();

/// One language's messages as a page receives them: the texts in catalogue order, and the
/// code of each (a field error names its message by code).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Catalogue {
    pub texts: Vec<String>,
    pub codes: Vec<String>,
}

/// The catalogue message whose English text is the literal, found at compile time.
#[macro_export]
macro_rules! msg {
    ($en:literal) => {
        const { $crate::i18n::Msg::of($en) }
    };
}

/// One message of the catalogue: its position in the English list, and its English words
/// (the literal written where the message is used).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Msg {
    index: u16,
    en: &'static str,
}

impl Msg {
    /// The message whose English text is `en`. In a `const`, an unknown text is a compile
    /// error.
    pub const fn of(en: &'static str) -> Msg {
        let mut i = 0;
        while i < ENGLISH.len() {
            if str_eq(ENGLISH[i], en) {
                return Msg {
                    index: i as u16,
                    en,
                };
            }
            i += 1;
        }
        panic!("this text is not in the message catalogue (crates/types/src/i18n/en.rs)")
    }

    pub fn index(self) -> usize {
        self.index as usize
    }

    pub fn en(self) -> &'static str {
        self.en
    }

    /// A stable, readable code for the wire: the first words of the English text
    /// (`email_is_required`), numbered on the server when two texts would share one (only
    /// labels do; a message that can name a field error has a code of its own).
    pub fn code(self) -> String {
        #[cfg(feature = "server")]
        return codes()[self.index()].clone();
        #[cfg(not(feature = "server"))]
        slug(self.en)
    }

    /// The message with this code, if the catalogue has one.
    #[cfg(feature = "server")]
    pub fn from_code(code: &str) -> Option<Msg> {
        let i = codes().iter().position(|c| c == code)?;
        Some(Msg {
            index: i as u16,
            en: EN[i],
        })
    }
}

/// The code of every message, in catalogue order: worked out once, since every refused
/// form names one.
#[cfg(feature = "server")]
pub fn codes() -> &'static [String] {
    static CODES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    CODES.get_or_init(|| {
        let mut seen: std::collections::HashMap<String, usize> = Default::default();
        EN.iter()
            .map(|e| {
                let base = slug(e);
                let n = seen.entry(base.clone()).or_insert(0);
                *n += 1;
                if *n == 1 {
                    base
                } else {
                    format!("{base}_{n}")
                }
            })
            .collect()
    })
}

fn slug(en: &str) -> String {
    en.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(10)
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

/// An error enum whose every variant says one catalogue message: the enum, its `Message`
/// and its English `Display`, from one list.
#[macro_export]
macro_rules! message_enum {
    ($(#[$meta:meta])* pub enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $crate::i18n::Message for $name {
            fn msg(&self) -> $crate::i18n::Msg {
                match self { $(Self::$variant => $crate::msg!($text),)+ }
            }
        }

        $crate::display_in_english!($name);
    };
}

/// `Display` in English for types that name a catalogue message (the API's `message`).
#[macro_export]
macro_rules! display_in_english {
    ($($t:ty),+) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::i18n::Message::msg(self).en())
            }
        }
    )+};
}

/// Anything that says something to the user: a catalogue message, or an error that names
/// one.
pub trait Message {
    fn msg(&self) -> Msg;
}

impl Message for Msg {
    fn msg(&self) -> Msg {
        *self
    }
}

/// Byte equality that works in a `const fn`.
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// `template` with each `{name}` replaced by its value, in one pass: a value that itself
/// holds `{name}` (an email may) is written as it is, never filled in again.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every message in `lang`, in catalogue order (English for Español, which has no table
/// of its own yet: the pages are translated into five languages).
#[cfg(feature = "server")]
pub fn table(lang: Language) -> &'static [&'static str] {
    translations::table(lang)
}

/// `lang`'s catalogue as a page receives it.
#[cfg(feature = "server")]
pub fn catalogue(lang: Language) -> Catalogue {
    Catalogue {
        texts: table(lang).iter().map(|t| t.to_string()).collect(),
        codes: codes().to_vec(),
    }
}

/// One message in `lang`.
#[cfg(feature = "server")]
pub fn text(lang: Language, m: Msg) -> &'static str {
    table(lang)[m.index()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_each_name_once_and_keeps_what_is_not_a_name() {
        assert_eq!(fill("{a} and {b}", &[("a", "1"), ("b", "2")]), "1 and 2");
        // A value holding a name is not filled again.
        assert_eq!(
            fill(
                "{email} at {time}",
                &[("email", "{time}@x.example"), ("time", "9:00")]
            ),
            "{time}@x.example at 9:00"
        );
        assert_eq!(fill("{ {unknown} {a", &[("a", "1")]), "{ {unknown} {a");
        assert_eq!(fill("", &[]), "");
        assert_eq!(fill("ünï {a}ç", &[("a", "é")]), "ünï éç");
    }

    #[test]
    fn messages_are_found_by_their_english_text() {
        const M: Msg = Msg::of("Sign in");
        assert_eq!(M.en(), "Sign in");
        assert_eq!(EN[M.index()], "Sign in");
    }

    #[test]
    fn the_english_list_has_no_duplicates() {
        let mut seen = std::collections::HashSet::new();
        for e in EN {
            assert!(seen.insert(e), "listed twice: {e:?}");
        }
    }

    /// A page works out a code from the English words alone (it has no list to number
    /// from): only these labels, which never name a field error, get a numbered code.
    #[test]
    fn only_labels_have_numbered_codes() {
        const LABELS: [&str; 8] = [
            "Manage Users",
            "← Manage Clients",
            "Delete Client",
            "+ Associate User",
            "Two-factor authentication is off",
            "Add staff member",
            "Role: ",
            "Never",
        ];
        for (en, code) in EN.iter().zip(codes()) {
            assert!(
                *code == slug(en) || LABELS.contains(en),
                "{en:?} has code {code}"
            );
        }
    }

    #[test]
    fn codes_are_unique_and_lead_back() {
        let mut seen = std::collections::HashSet::new();
        for (i, en) in EN.iter().enumerate() {
            let m = Msg {
                index: i as u16,
                en,
            };
            assert!(
                seen.insert(m.code()),
                "two messages share the code {}",
                m.code()
            );
            assert_eq!(Msg::from_code(&m.code()), Some(m));
        }
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(
            fill("User {email} created", &[("email", "a@b.c")]),
            "User a@b.c created"
        );
        assert_eq!(fill("{n} of {m}", &[("n", "1"), ("m", "2")]), "1 of 2");
    }
}
