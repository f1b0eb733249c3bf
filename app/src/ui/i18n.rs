//! The page's language and its texts. Every text goes through `tr!` with its English words (checked
//! against the catalogue at compile time, see `roster_types::i18n`). The server renders a
//! page in the language of whoever asked for it (a staff member's choice, a user's
//! Language, the browser's for sign-in pages) and puts that language's table in the HTML;
//! the browser reads it before hydrating, so both render the same words. A language switch
//! (a user saving their Language) fetches the new table.

use leptos::prelude::*;
#[cfg(feature = "hydrate")]
use roster_types::i18n::Catalogue;
use roster_types::i18n::{fill, Msg};
use roster_types::{AppError, FieldError, Language};

/// The page's language and its table, in catalogue order; empty in English, whose words
/// are where each text is used. In the browser `codes` names each entry (a field error
/// from the server names its message by code).
#[derive(Clone, Copy)]
pub struct Texts {
    pub lang: Language,
    table: &'static [&'static str],
    #[cfg_attr(feature = "ssr", allow(dead_code))]
    codes: &'static [&'static str],
}

impl Texts {
    pub fn english() -> Self {
        Self::english_words(Language::En)
    }

    /// A language whose pages show the English words (English, and Español for now).
    fn english_words(lang: Language) -> Self {
        Self {
            lang,
            table: &[],
            codes: &[],
        }
    }

    /// `lang` with its table, on the server.
    #[cfg(feature = "ssr")]
    pub fn of(lang: Language) -> Self {
        if matches!(lang, Language::En | Language::Es) {
            return Self::english_words(lang);
        }
        Self {
            lang,
            table: roster_types::i18n::table(lang),
            codes: &[],
        }
    }

    /// The page's `lang` attribute: the language its words are in (Español shows English).
    pub fn html_lang(self) -> &'static str {
        match self.lang {
            Language::Es => Language::En.code(),
            l => l.code(),
        }
    }

    pub fn get(self, m: Msg) -> &'static str {
        self.table.get(m.index()).copied().unwrap_or(m.en())
    }

    /// The text of the message with this code, when the page has a table.
    fn by_code(self, code: &str) -> Option<&'static str> {
        if self.table.is_empty() {
            return None;
        }
        #[cfg(feature = "ssr")]
        let i = roster_types::i18n::Msg::from_code(code).map(Msg::index);
        #[cfg(not(feature = "ssr"))]
        let i = self.codes.iter().position(|c| *c == code);
        i.and_then(|i| self.table.get(i)).copied()
    }
}

/// `tr!("Sign in")`: the text in the page's language. Inside a reactive closure it
/// follows a language switch.
#[macro_export]
macro_rules! tr {
    ($en:literal) => {
        $crate::tx!($crate::ui::i18n::now(), $en)
    };
}

/// `trf!("User {email} created", email = e)`: a text with named placeholders.
#[macro_export]
macro_rules! trf {
    ($en:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::tx!($crate::ui::i18n::now(), $en, $($name = $value),+)
    };
}

/// The signal holding the page's texts (English where none was provided).
fn texts() -> Option<RwSignal<Texts>> {
    use_context::<RwSignal<Texts>>()
}

pub fn t(m: Msg) -> &'static str {
    now().get(m)
}

/// The page's texts as they are now, for a view that shows many (a table's rows): one
/// lookup of the context instead of one per text. Read in a reactive closure, the view
/// follows a language switch like `tr!`.
pub fn now() -> Texts {
    texts().map_or(Texts::english(), |s| s.get())
}

/// `tx!(texts, "Name")`: `tr!` with texts looked up once (`now()`).
#[macro_export]
macro_rules! tx {
    ($texts:expr, $en:literal) => {
        $texts.get(roster_types::msg!($en))
    };
    ($texts:expr, $en:literal, $($name:ident = $value:expr),+ $(,)?) => {
        roster_types::i18n::fill(
            $texts.get(roster_types::msg!($en)),
            &[$((stringify!($name), &$value.to_string())),+],
        )
    };
}

/// The page's language.
pub fn language() -> Language {
    texts().map_or(Language::En, |s| s.get().lang)
}

/// An error as the page shows it, in its language.
pub fn error_text(e: &AppError) -> String {
    if let AppError::Invalid { fields } = e {
        if let [one] = fields.as_slice() {
            return field_text(one);
        }
    }
    let (m, args) = e.text();
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fill(t(m), &args)
}

/// A field's message in the page's language (English as sent when the page has no table
/// or the code is unknown).
pub fn field_text(f: &FieldError) -> String {
    match texts().and_then(|s| s.get().by_code(&f.code)) {
        Some(template) => {
            let args: Vec<(&str, &str)> = f
                .args
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            fill(template, &args)
        }
        None => f.message.clone(),
    }
}

/// The message for one field of a refused form, in the page's language.
pub fn field_message(e: &AppError, field: &str) -> Option<String> {
    match e {
        AppError::Invalid { fields } => fields.iter().find(|f| f.field == field).map(field_text),
        _ => None,
    }
}

/// Provide the page's texts: on the server the language the router chose for this request,
/// in the browser the table the server put in the page.
pub fn provide_texts() {
    #[cfg(feature = "ssr")]
    let texts = page_texts();
    #[cfg(not(feature = "ssr"))]
    let texts = from_page();
    provide_context(RwSignal::new(texts));
}

/// The texts of the page being rendered: the language the router chose for the request.
#[cfg(feature = "ssr")]
pub fn page_texts() -> Texts {
    Texts::of(
        use_context::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<PageLanguage>().copied())
            .map_or(Language::En, |p| p.0),
    )
}

/// The language a page is rendered in, chosen by the router before the page renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageLanguage(pub Language);

/// The id of the element that carries the table in the page.
pub const TABLE_ID: &str = "roster-texts";

/// The catalogue as the shell writes it into the page: JSON, with `<` escaped so no text
/// can end the element early. English needs none (its words are in the code).
/// Worked out once per language: every non-English page carries it.
#[cfg(feature = "ssr")]
pub fn table_json(t: Texts) -> Option<&'static str> {
    use std::sync::OnceLock;
    static JSON: [OnceLock<String>; Language::ALL.len()] = [const { OnceLock::new() }; 6];
    if t.table.is_empty() {
        return None;
    }
    let slot = Language::ALL.iter().position(|l| *l == t.lang)?;
    let json = JSON[slot].get_or_init(|| {
        serde_json::to_string(&roster_types::i18n::catalogue(t.lang))
            .unwrap_or_default()
            .replace('<', "\\u003c")
    });
    Some(json.as_str())
}

#[cfg(not(feature = "ssr"))]
fn from_page() -> Texts {
    #[cfg(feature = "hydrate")]
    {
        let doc = document();
        let lang = doc
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Language::parse(&l).ok())
            .unwrap_or_default();
        let catalogue = doc
            .get_element_by_id(TABLE_ID)
            .and_then(|e| e.text_content())
            .and_then(|j| serde_json::from_str::<Catalogue>(&j).ok());
        catalogue
            .and_then(|c| from_catalogue(lang, c))
            .unwrap_or_else(|| Texts::english_words(lang))
    }
    #[cfg(not(feature = "hydrate"))]
    Texts::english()
}

/// A whole catalogue, kept for the rest of the page's life (at most one per language).
#[cfg(feature = "hydrate")]
fn from_catalogue(lang: Language, c: Catalogue) -> Option<Texts> {
    let whole = |v: &Vec<String>| v.len() == roster_types::i18n::COUNT;
    if !whole(&c.texts) || !whole(&c.codes) {
        return None;
    }
    let leak = |v: Vec<String>| -> &'static [&'static str] {
        let strs: Vec<&'static str> = v.into_iter().map(|s| &*s.leak()).collect();
        strs.leak()
    };
    Some(Texts {
        lang,
        table: leak(c.texts),
        codes: leak(c.codes),
    })
}

/// Show the page in `lang` from now on (a user saved their Language): the new table is
/// fetched, then every text in a reactive closure follows.
pub fn switch_to(lang: Language) {
    let Some(signal) = texts() else { return };
    if signal.get_untracked().lang == lang {
        return;
    }
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if lang == Language::En || lang == Language::Es {
            signal.set(Texts::english_words(lang));
            return;
        }
        if let Ok(c) = crate::api::i18n::texts(lang.code().to_string()).await {
            if let Some(texts) = from_catalogue(lang, c) {
                signal.set(texts);
            }
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = signal;
}

#[cfg(test)]
mod tests {
    #[test]
    fn texts_fall_back_to_english_outside_a_page() {
        assert_eq!(tr!("Sign in"), "Sign in");
        assert_eq!(
            trf!("User {email} created", email = "a@b.c"),
            "User a@b.c created"
        );
    }

    #[test]
    fn texts_looked_up_once_give_the_same_words() {
        let t = super::now();
        assert_eq!(tx!(t, "Sign in"), tr!("Sign in"));
        assert_eq!(
            tx!(t, "Edit {email}", email = "a@b.c"),
            trf!("Edit {email}", email = "a@b.c")
        );
        assert_eq!(tx!(t, "Edit {email}", email = "a@b.c"), "Edit a@b.c");
    }
}
