//! The tables of the languages other than English, and the compile-time check that each
//! covers exactly the English list. Server-only: the browser receives one table at a time.

use super::{str_eq, EN, ENGLISH};
use crate::Language;
use std::sync::OnceLock;

mod de;
mod fr;
mod pl;
mod uk;

/// Whether `pairs` translates every English message once and nothing else.
const fn covers(pairs: &[(&str, &str)]) -> bool {
    if pairs.len() != ENGLISH.len() {
        return false;
    }
    let mut i = 0;
    while i < ENGLISH.len() {
        // The tables keep the English order, so the same place is looked at first and the
        // check stays linear; a table out of order is still checked, only slower.
        let mut found = str_eq(pairs[i].0, ENGLISH[i]);
        let mut j = 0;
        while !found && j < pairs.len() {
            found = str_eq(pairs[j].0, ENGLISH[i]);
            j += 1;
        }
        if !found {
            return false;
        }
        i += 1;
    }
    true
}

/// A compile error names the table that does not cover exactly the English list.
macro_rules! must_cover {
    ($($table:expr => $file:literal),* $(,)?) => {
        $(const _: () = assert!(
            covers($table),
            concat!($file, " does not translate exactly the English list")
        );)*
    };
}

must_cover!(uk::UK => "uk.rs", de::DE => "de.rs", pl::PL => "pl.rs", fr::FR => "fr.rs");

fn ordered(pairs: &'static [(&'static str, &'static str)]) -> Vec<&'static str> {
    let by_en: std::collections::HashMap<&str, &str> = pairs.iter().copied().collect();
    EN.iter().map(|e| by_en[e]).collect()
}

pub(super) fn table(lang: Language) -> &'static [&'static str] {
    static UK: OnceLock<Vec<&'static str>> = OnceLock::new();
    static DE: OnceLock<Vec<&'static str>> = OnceLock::new();
    static PL: OnceLock<Vec<&'static str>> = OnceLock::new();
    static FR: OnceLock<Vec<&'static str>> = OnceLock::new();
    match lang {
        Language::En | Language::Es => EN,
        Language::Uk => UK.get_or_init(|| ordered(uk::UK)),
        Language::De => DE.get_or_init(|| ordered(de::DE)),
        Language::Pl => PL.get_or_init(|| ordered(pl::PL)),
        Language::Fr => FR.get_or_init(|| ordered(fr::FR)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names the message a table lacks (the compile-time check can only say that one does).
    #[test]
    fn every_language_translates_every_message() {
        for (name, pairs) in [
            ("uk", uk::UK),
            ("de", de::DE),
            ("pl", pl::PL),
            ("fr", fr::FR),
        ] {
            for e in EN {
                assert!(pairs.iter().any(|(en, _)| en == e), "{name} lacks {e:?}");
            }
        }
    }

    #[test]
    fn translations_keep_the_placeholders() {
        for lang in [Language::Uk, Language::De, Language::Pl, Language::Fr] {
            for (en, tr) in EN.iter().zip(table(lang)) {
                for word in en.split('{').skip(1).filter_map(|s| s.split_once('}')) {
                    let p = format!("{{{}}}", word.0);
                    assert!(tr.contains(&p), "{lang:?}: {tr:?} lacks {p} of {en:?}");
                }
            }
        }
    }

    #[test]
    fn the_tables_are_translations_not_copies() {
        for lang in [Language::Uk, Language::De, Language::Pl, Language::Fr] {
            let same = EN.iter().zip(table(lang)).filter(|(e, t)| e == t).count();
            // Names of things (Roster, UUID, 2FA, OK…) may stay as they are.
            assert!(
                same * 10 < EN.len(),
                "{lang:?}: {same} texts left in English"
            );
        }
    }
}
