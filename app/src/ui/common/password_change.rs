use super::TextField;
use crate::ui::i18n::{error_text, t, t_owned};
use leptos::prelude::*;
use roster_types::{AppError, Language};

/// Change one's own password: the current one is required; other sessions end. Users
/// (`/account`, in their language) and staff (`/admin/me`) each pass their endpoint.
#[component]
pub fn ChangePasswordCard<F, Fut>(
    /// `/account` speaks the user's language; staff screens English.
    #[prop(optional)]
    lang: Language,
    submit: F,
) -> impl IntoView
where
    F: Fn(String, String) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), AppError>> + Send + 'static,
{
    let l = lang;
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let save = Action::new(move |(c, n): &(String, String)| submit(c.clone(), n.clone()));
    let error = move |field: &'static str| {
        Signal::derive(move || match save.value().get() {
            Some(Err(e)) => e.field(field).map(|m| t_owned(l, &m)),
            _ => None,
        })
    };
    let done = move || matches!(save.value().get(), Some(Ok(())));
    let banner = move || match save.value().get() {
        Some(Err(e)) if !matches!(e, AppError::Invalid { .. }) => Some(error_text(l, &e)),
        _ => None,
    };
    Effect::new(move |_| {
        if done() {
            current.set(String::new());
            new.set(String::new());
        }
    });
    view! {
        <section class="card">
            <h2>{t(l, "Change password")}</h2>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch((current.get_untracked(), new.get_untracked()));
            }>
                {move || banner().map(|m| view! { <div class="banner error" role="alert">{m}</div> })}
                <Show when=done>
                    <div class="banner success" role="status">{t(l, "Password changed. Your other sessions were signed out.")}</div>
                </Show>
                <TextField label=t(l, "Current password") name="current_password" kind="password" autocomplete="current-password" value=current error=error("current_password") />
                <TextField label=t(l, "New password") name="new_password" kind="password" autocomplete="new-password" value=new error=error("new_password") />
                <button type="submit" class="btn primary" disabled=move || save.pending().get()>{t(l, "Change password")}</button>
            </form>
        </section>
    }
}
