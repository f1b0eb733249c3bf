//! `/admin/me`: the signed-in staff member's own language, password and sessions.

use crate::api::staff_auth::{
    end_staff_sessions, set_staff_language, staff_change_password, staff_sessions,
};
use crate::tr;
use crate::ui::common::{
    go_to, use_toasts, ChangePasswordCard, PageHead, Refresh, SelectField, SessionList,
};
use crate::ui::i18n::{error_text, field_message, language};
use leptos::prelude::*;
use roster_types::Language;

#[component]
pub fn StaffAccountPage() -> impl IntoView {
    view! {
        <PageHead title=tr!("My account") />
        <MyLanguage />
        <ChangePasswordCard submit=staff_change_password />
        <MySessions />
    }
}

/// The language of the admin pages. Saving reloads the page in it: every admin page
/// is then rendered in that language, on the server as in the browser.
#[component]
fn MyLanguage() -> impl IntoView {
    let chosen = RwSignal::new(language().code().to_string());
    let options: Vec<(String, String)> = Language::ALL
        .iter()
        .map(|l| (l.code().to_string(), l.label().to_string()))
        .collect();
    let save = Action::new(|code: &String| set_staff_language(code.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            go_to("/admin/me");
        }
    });
    let error = Signal::derive(move || match save.value().get() {
        Some(Err(e)) => field_message(&e, "language").or(Some(error_text(&e))),
        _ => None,
    });
    view! {
        <section class="card">
            <h2>{tr!("Language")}</h2>
            <form on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(chosen.get_untracked());
            }>
                <SelectField label=tr!("Language") name="language" value=chosen options=options error=error />
                <p class="muted small">{tr!("The admin pages are shown in this language.")}</p>
                <button type="submit" class="btn primary">{tr!("Save language")}</button>
            </form>
        </section>
    }
}

#[component]
fn MySessions() -> impl IntoView {
    let refresh = Refresh::new();
    let rows = Resource::new(move || refresh.version(), |_| staff_sessions());
    let toasts = use_toasts();
    let end = Action::new(|which: &Option<uuid::Uuid>| end_staff_sessions(*which));
    Effect::new(move |_| {
        if let Some(r) = end.value().get() {
            match r {
                Ok(n) => toasts.show(format!("{n} session(s) ended")),
                Err(e) => toasts.show(error_text(&e)),
            }
            refresh.bump();
        }
    });
    view! {
        <section class="card">
            <h2>{tr!("Signed-in sessions")}</h2>
            <Transition fallback=|| view! { <p class="muted">{tr!("Loading…")}</p> }>
                {move || rows.get().map(|r| match r {
                    Ok(rows) => view! {
                        <SessionList rows=rows can_end=true end_all_label=tr!("End all other sessions")
                            on_end=Callback::new(move |which| { end.dispatch(which); }) />
                    }.into_any(),
                    Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
