use super::TextField;
use crate::tr;
use crate::ui::common::{ErrorBanner, FormErrors};
use leptos::prelude::*;
use roster_types::AppError;

/// Change one's own password: the current one is required; other sessions end. Users
/// (`/account`, in their language) and staff (`/admin/me`) each pass their endpoint.
#[component]
pub fn ChangePasswordCard<F, Fut>(submit: F) -> impl IntoView
where
    F: Fn(String, String) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), AppError>> + Send + 'static,
{
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let save = Action::new(move |(c, n): &(String, String)| submit(c.clone(), n.clone()));
    let errors = FormErrors::of(save);
    let done = move || matches!(save.value().get(), Some(Ok(())));
    Effect::new(move |_| {
        if done() {
            current.set(String::new());
            new.set(String::new());
        }
    });
    view! {
        <section class="card">
            <h2>{tr!("Change password")}</h2>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch((current.get_untracked(), new.get_untracked()));
            }>
                <ErrorBanner message=errors.banner() />
                <Show when=done>
                    <div class="banner success" role="status">{tr!("Password changed. Your other sessions were signed out.")}</div>
                </Show>
                <TextField label=tr!("Current password") name="current_password" kind="password" autocomplete="current-password" value=current error=errors.field("current_password") />
                <TextField label=tr!("New password") name="new_password" kind="password" autocomplete="new-password" value=new error=errors.field("new_password") />
                <button type="submit" class="btn primary" disabled=move || save.pending().get()>{tr!("Change password")}</button>
            </form>
        </section>
    }
}
