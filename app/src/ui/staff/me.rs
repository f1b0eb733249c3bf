//! `/admin/me`: the signed-in staff member's own password and sessions.

use crate::api::staff_auth::{end_staff_sessions, staff_change_password, staff_sessions};
use crate::domain::AppError;
use crate::ui::common::{use_toasts, SessionList, TextField};
use leptos::prelude::*;

#[component]
pub fn StaffAccountPage() -> impl IntoView {
    view! {
        <div class="page-head"><h1>"My account"</h1></div>
        <ChangePassword />
        <MySessions />
    }
}

#[component]
fn ChangePassword() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let save = Action::new(|(c, n): &(String, String)| staff_change_password(c.clone(), n.clone()));
    let error = move |field: &'static str| {
        Signal::derive(move || match save.value().get() {
            Some(Err(e)) => e.field(field),
            _ => None,
        })
    };
    let done = move || matches!(save.value().get(), Some(Ok(())));
    let banner = move || match save.value().get() {
        Some(Err(e)) if !matches!(e, AppError::Invalid { .. }) => Some(e.to_string()),
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
            <h2>"Change password"</h2>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch((current.get_untracked(), new.get_untracked()));
            }>
                {move || banner().map(|m| view! { <div class="banner error" role="alert">{m}</div> })}
                <Show when=done>
                    <div class="banner success" role="status">"Password changed. Your other sessions were signed out."</div>
                </Show>
                <TextField label="Current password" name="current_password" kind="password" autocomplete="current-password" value=current error=error("current_password") />
                <TextField label="New password" name="new_password" kind="password" autocomplete="new-password" value=new error=error("new_password") />
                <button type="submit" class="btn primary" disabled=move || save.pending().get()>"Change password"</button>
            </form>
        </section>
    }
}

#[component]
fn MySessions() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let rows = Resource::new(move || refresh.get(), |_| staff_sessions());
    let toasts = use_toasts();
    let end = Action::new(|which: &Option<uuid::Uuid>| end_staff_sessions(*which));
    Effect::new(move |_| {
        if let Some(r) = end.value().get() {
            match r {
                Ok(n) => toasts.show(format!("{n} session(s) ended")),
                Err(e) => toasts.show(e.to_string()),
            }
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <section class="card">
            <h2>"Signed-in sessions"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || rows.get().map(|r| match r {
                    Ok(rows) => view! {
                        <SessionList rows=rows can_end=true end_all_label="End all other sessions"
                            on_end=Callback::new(move |which| { end.dispatch(which); }) />
                    }.into_any(),
                    Err(e) => view! { <div class="banner error" role="alert">{e.to_string()}</div> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
