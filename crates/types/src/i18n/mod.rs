//! The message catalogue: every text a page shows and every message the server sends, in
//! English, Ukrainian, German, Polish and French.
//!
//! English is the message id, written where the text is used (`tr!("Sign in")` in the UI);
//! `Msg::of` finds it in `en::EN` at compile time, so a text missing from the catalogue does
//! not compile. Each other language is a table of (English, translation) pairs, checked at
//! compile time to cover exactly the English list: a missing or stale translation does not
//! compile either. Only English is in the WASM; a page in another language carries its
//! table (`table`) in the HTML, and a language switch fetches it.

mod en;
#[cfg(feature = "server")]
mod translations;

#[cfg(feature = "server")]
use crate::Language;
use en::ENGLISH;

/// Every message in English, in catalogue order (one copy in the binary: the checks use
/// `ENGLISH`, a `const`, which would be copied wherever it is read at run time).
pub static EN: &[&str] = ENGLISH;

/// The catalogue message whose English text is the literal, found at compile time.
#[macro_export]
macro_rules! msg {
    ($en:literal) => {
        const { $crate::i18n::Msg::of($en) }
    };
}

/// One message of the catalogue: its position in `EN`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Msg(u16);

impl Msg {
    /// The message whose English text is `en`. In a `const`, an unknown text is a compile
    /// error.
    pub const fn of(en: &str) -> Msg {
        let mut i = 0;
        while i < ENGLISH.len() {
            if str_eq(ENGLISH[i], en) {
                return Msg(i as u16);
            }
            i += 1;
        }
        panic!("this text is not in the message catalogue (crates/types/src/i18n/en.rs)")
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub fn en(self) -> &'static str {
        EN[self.index()]
    }

    /// A stable, readable code for the wire: the first words of the English text
    /// (`email_is_required`), numbered when two texts would share one.
    pub fn code(self) -> String {
        codes()[self.index()].clone()
    }

    /// The message with this code, if the catalogue has one.
    pub fn from_code(code: &str) -> Option<Msg> {
        codes()
            .iter()
            .position(|c| c == code)
            .map(|i| Msg(i as u16))
    }
}

/// The code of every message, in catalogue order: worked out once, since every refused
/// form names one.
fn codes() -> &'static [String] {
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

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Every message in `lang`, in catalogue order (English for Español, which has no table
/// of its own yet: the pages are translated into five languages).
#[cfg(feature = "server")]
pub fn table(lang: Language) -> &'static [&'static str] {
    translations::table(lang)
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

    #[test]
    fn codes_are_unique_and_lead_back() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..EN.len() {
            let m = Msg(i as u16);
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
