//! `/admin/me`: the signed-in staff member's own language, password and sessions. The page
//! is server HTML and needs no WASM of its own: each form is a plain `<form method="post">`
//! to the page itself (`server/src/forms/my_account.rs`). A change that is done answers
//! with a redirect that says so (`Notice`); one that is refused answers with this page
//! again and why (`Attempt`) — never with a password that was typed.

use crate::api::staff_auth::staff_sessions;
use crate::ui::common::{
    posted, EndWith, ErrorBanner, FormErrors, PageHead, PageReady, PasswordFields, SelectField,
    SessionList, END_OTHERS, END_SESSION,
};
use crate::ui::i18n::{error_text, field_message, language};
use crate::{tr, trf};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use roster_types::{AppError, Language};

/// The page's path, where its forms post.
pub const PATH: &str = "/admin/me";

/// What a post of My account asks for: its `intent` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    Language,
    Password,
    EndSession,
    EndOthers,
}

impl Intent {
    pub fn parse(raw: &str) -> Option<Intent> {
        match raw {
            "language" => Some(Intent::Language),
            "password" => Some(Intent::Password),
            END_SESSION => Some(Intent::EndSession),
            END_OTHERS => Some(Intent::EndOthers),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Intent::Language => "language",
            Intent::Password => "password",
            Intent::EndSession => END_SESSION,
            Intent::EndOthers => END_OTHERS,
        }
    }
}

/// A post of My account that was refused, handed to the page that answers it. It holds
/// no password: the password fields come back empty.
#[derive(Clone, Debug)]
pub struct Attempt {
    /// `None`: the post named no form of this page.
    pub intent: Option<Intent>,
    pub error: AppError,
}

/// What the page says after a change that was done, read from its URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    None,
    /// `?done=password`
    PasswordChanged,
    /// `?ended=N`: N sessions were ended.
    Ended(u64),
}

impl Notice {
    pub fn parse(done: Option<&str>, ended: Option<&str>) -> Notice {
        if done == Some("password") {
            return Notice::PasswordChanged;
        }
        match ended.map(str::parse::<u64>) {
            Some(Ok(n)) => Notice::Ended(n),
            _ => Notice::None,
        }
    }

    /// The page's URL saying so (where a change that is done redirects).
    pub fn href(self) -> String {
        match self {
            Notice::None => PATH.to_string(),
            Notice::PasswordChanged => format!("{PATH}?done=password"),
            Notice::Ended(n) => format!("{PATH}?ended={n}"),
        }
    }
}

#[component]
pub fn StaffAccountPage() -> impl IntoView {
    let notice = use_query_map()
        .with_untracked(|q| Notice::parse(q.get("done").as_deref(), q.get("ended").as_deref()));
    let refused = posted::<Attempt>();
    let error_of = |intent: Option<Intent>| {
        refused
            .as_ref()
            .filter(|a| a.intent == intent)
            .map(|a| a.error.clone())
    };
    let unknown = error_of(None).map(|e| error_text(&e));
    let sessions_error = error_of(Some(Intent::EndSession))
        .or_else(|| error_of(Some(Intent::EndOthers)))
        .map(|e| error_text(&e));
    let ended = match notice {
        Notice::Ended(n) => Some(view! {
            <p class="banner success" role="status">{trf!("Sessions ended: {n}", n = n)}</p>
        }),
        _ => None,
    };
    view! {
        <PageHead title=tr!("My account") />
        <ErrorBanner message=unknown />
        <MyLanguage error=error_of(Some(Intent::Language)) />
        <MyPassword error=error_of(Some(Intent::Password)) changed=notice == Notice::PasswordChanged />
        <section class="card">
            <h2>{tr!("Signed-in sessions")}</h2>
            {ended}
            <ErrorBanner message=sessions_error />
            <MySessions />
        </section>
        <PageReady />
    }
}

/// The staff member's sessions, each with an End form (none for this one).
#[component]
fn MySessions() -> impl IntoView {
    let rows = staff_sessions();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! {
                        <SessionList rows end=Some(EndWith::Post(PATH)) end_all_label=tr!("End all other sessions") />
                    }.into_any(),
                    Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The language of the admin pages. A save answers with the page again in that language:
/// every admin page is then rendered in it.
#[component]
fn MyLanguage(error: Option<AppError>) -> impl IntoView {
    let chosen = RwSignal::new(language().code().to_string());
    let options: Vec<(String, String)> = Language::ALL
        .iter()
        .map(|l| (l.code().to_string(), l.label().to_string()))
        .collect();
    let message = error.map(|e| field_message(&e, "language").unwrap_or_else(|| error_text(&e)));
    view! {
        <section class="card">
            <h2>{tr!("Language")}</h2>
            <form method="post" action=PATH>
                <input type="hidden" name="intent" value=Intent::Language.code() />
                <SelectField label=tr!("Language") name="language" value=chosen options=options error=Signal::stored(message) />
                <p class="muted small">{tr!("The admin pages are shown in this language.")}</p>
                <button type="submit" class="btn primary">{tr!("Save language")}</button>
            </form>
        </section>
    }
}

/// Change one's own password: the current one first; the other sessions end.
#[component]
fn MyPassword(error: Option<AppError>, changed: bool) -> impl IntoView {
    let errors = FormErrors::new(Signal::stored(error));
    let (current, new) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    view! {
        <section class="card">
            <h2>{tr!("Change password")}</h2>
            <form method="post" action=PATH novalidate>
                <input type="hidden" name="intent" value=Intent::Password.code() />
                <PasswordFields errors current new done=Signal::stored(changed) />
                <button type="submit" class="btn primary">{tr!("Change password")}</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_intent_is_read_back_from_its_code() {
        for i in [
            Intent::Language,
            Intent::Password,
            Intent::EndSession,
            Intent::EndOthers,
        ] {
            assert_eq!(Intent::parse(i.code()), Some(i));
        }
        for bad in ["", "LANGUAGE", "delete", "password ", "end-session\0"] {
            assert_eq!(Intent::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_notice_is_read_from_the_url_it_redirects_to() {
        for n in [Notice::PasswordChanged, Notice::Ended(0), Notice::Ended(7)] {
            let href = n.href();
            let query = href.split_once('?').unwrap().1;
            let (k, v) = query.split_once('=').unwrap();
            let parsed = match k {
                "done" => Notice::parse(Some(v), None),
                _ => Notice::parse(None, Some(v)),
            };
            assert_eq!(parsed, n);
        }
        assert_eq!(Notice::None.href(), PATH);
        assert_eq!(Notice::parse(None, None), Notice::None);
        assert_eq!(Notice::parse(Some("language"), None), Notice::None);
        for bad in ["-1", "1e3", "<script>", "99999999999999999999999", ""] {
            assert_eq!(Notice::parse(None, Some(bad)), Notice::None, "{bad:?}");
        }
    }
}
