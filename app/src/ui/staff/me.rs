//! `/admin/me`: the signed-in staff member's own password and sessions.

use crate::api::staff_auth::{end_staff_sessions, staff_change_password, staff_sessions};
use crate::ui::common::{use_toasts, ChangePasswordCard, Refresh, SessionList};
use leptos::prelude::*;

#[component]
pub fn StaffAccountPage() -> impl IntoView {
    view! {
        <div class="page-head"><h1>"My account"</h1></div>
        <ChangePasswordCard submit=staff_change_password />
        <MySessions />
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
                Err(e) => toasts.show(e.to_string()),
            }
            refresh.bump();
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
