//! The Password field: a strength meter (length here at once, the server's estimate a
//! moment later) and a Generate button.

use super::form_state::FormState;
use crate::api::users::password_strength;
use crate::ui::common::Debounce;
use crate::ui::i18n::t;
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::i18n::Msg;
use roster_types::msg;
use roster_types::password::Password;

const LEVELS: [Msg; 5] = [
    msg!("Very weak"),
    msg!("Weak"),
    msg!("Fair"),
    msg!("Strong"),
    msg!("Very strong"),
];

#[component]
pub fn PasswordField(state: FormState, hint: &'static str) -> impl IntoView {
    let value = state.password;
    let error = state.error("password");
    let shown = RwSignal::new(false);
    // The server's verdict for the text it was asked about; stale answers are ignored.
    let server: RwSignal<Option<(String, u8, Option<String>)>> = RwSignal::new(None);
    let ask = Action::new(move |(p, e, f, l): &(String, String, String, String)| {
        let (p, e, f, l) = (p.clone(), e.clone(), f.clone(), l.clone());
        async move { (p.clone(), password_strength(p, e, f, l).await) }
    });
    Effect::new(move |_| {
        if let Some((asked, Ok(s))) = ask.value().get() {
            if asked == value.get_untracked() {
                server.set(Some((asked, s.score, s.problem)));
            }
        }
    });
    // Ask the server once typing pauses.
    let pause = Debounce::new(350);
    Effect::new(move |_| {
        let p = value.get();
        if Password::check_length(&p).is_err() {
            // A short password is judged here; a pending check of an older value is void.
            pause.run(|| ());
            return;
        }
        pause.run(move || {
            ask.dispatch((
                p,
                state.email.get_untracked(),
                state.first_name.get_untracked(),
                state.last_name.get_untracked(),
            ));
        });
    });
    let score = Signal::derive(move || {
        let p = value.get();
        if p.is_empty() {
            return None;
        }
        if Password::check_length(&p).is_err() {
            return Some(0u8);
        }
        match server.get() {
            Some((asked, s, _)) if asked == p => Some(s),
            _ => None,
        }
    });
    let verdict = Signal::derive(move || {
        let p = value.get();
        match server.get() {
            Some((asked, _, problem)) if asked == p => problem,
            _ => None,
        }
    });
    let generate = move |_| {
        value.set(generate_password());
        shown.set(true);
        state.check_one("password");
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for="f-password">{tr!("Password")}</label>
            <div class="input-with-buttons">
                <input
                    id="f-password"
                    name="password"
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete="new-password"
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    aria-describedby="f-password-meter f-password-error"
                    bind:value=value
                    on:blur=move |_| state.check_one("password")
                />
                <button type="button" class="btn small" aria-pressed=move || shown.get().to_string() on:click=move |_| shown.update(|s| *s = !*s)>
                    {move || if shown.get() { tr!("Hide") } else { tr!("Show") }}
                </button>
                <button type="button" class="btn small" on:click=generate>{tr!("Generate")}</button>
            </div>
            <div class="meter" id="f-password-meter" aria-live="polite">
                <div class="meter-bar" data-score=move || score.get().map(|s| s.to_string()).unwrap_or_default()>
                    <span></span><span></span><span></span><span></span>
                </div>
                <span class="meter-text">
                    {move || match score.get() {
                        Some(s) => trf!("Strength: {level}", level = t(LEVELS[usize::from(s.min(4))])),
                        None if value.get().is_empty() => hint.to_string(),
                        None => tr!("Checking strength…").to_string(),
                    }}
                </span>
            </div>
            <p class="field-hint">{move || verdict.get()}</p>
            <p class="field-error" id="f-password-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// 20 characters from an alphabet without look-alikes (about 115 bits), drawn from the
/// browser's cryptographic random source.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_!@#%+=";
    // Rejection sampling keeps every character equally likely.
    let limit = 256 - 256 % ALPHABET.len();
    let mut out = String::with_capacity(20);
    while out.len() < 20 {
        #[allow(unused_mut)]
        let mut bytes = [0u8; 32];
        #[cfg(feature = "hydrate")]
        {
            if let Ok(c) = window().crypto() {
                let _ = c.get_random_values_with_u8_array(&mut bytes);
            }
        }
        for b in bytes {
            if usize::from(b) < limit && out.len() < 20 {
                out.push(ALPHABET[usize::from(b) % ALPHABET.len()] as char);
            }
        }
    }
    out
}
