use super::{post_once, TextField};
use crate::tr;
use crate::ui::common::{ErrorBanner, FormErrors};
use leptos::prelude::*;
use roster_types::AppError;
use serde::de::IgnoredAny;

/// Change one's own password: the current one is required; other sessions end. The user's
/// `/account` passes its endpoint's path; the call is the browser's own `fetch` from a
/// plain task (`post_form`), so the page's island holds no server-function client for it.
/// Staff have the same card as a plain form on `/admin/me`.
#[component]
pub fn ChangePasswordCard(
    path: &'static str,
    /// Called once the password has changed (the other sessions have ended).
    #[prop(optional, into)]
    on_changed: Option<Callback<()>>,
) -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let errors = FormErrors::new(error);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        let fields = vec![
            ("current_password", current.get_untracked()),
            ("new_password", new.get_untracked()),
        ];
        post_once::<IgnoredAny>(busy, path, fields, move |answer| match answer {
            Ok(_) => {
                error.set(None);
                current.set(String::new());
                new.set(String::new());
                done.set(true);
                if let Some(f) = on_changed {
                    f.run(());
                }
            }
            Err(e) => error.set(Some(e)),
        });
    };
    view! {
        <section class="card">
            <h2>{tr!("Change password")}</h2>
            <form novalidate on:submit=submit>
                <PasswordFields errors current new done=done.into() />
                <button type="submit" class="btn primary" disabled=move || busy.get()>{tr!("Change password")}</button>
            </form>
        </section>
    }
}

/// The inside of a password change form: what went wrong or that it worked, the current
/// password and the new one.
#[component]
pub fn PasswordFields(
    errors: FormErrors,
    current: RwSignal<String>,
    new: RwSignal<String>,
    done: Signal<bool>,
) -> impl IntoView {
    view! {
        <ErrorBanner message=errors.banner() />
        <Show when=move || done.get()>
            <div class="banner success" role="status">{tr!("Password changed. Your other sessions were signed out.")}</div>
        </Show>
        <TextField label=tr!("Current password") name="current_password" kind="password" autocomplete="current-password" value=current error=errors.field("current_password") />
        <TextField label=tr!("New password") name="new_password" kind="password" autocomplete="new-password" value=new error=errors.field("new_password") />
    }
}
