//! `/admin/me`: the signed-in staff member's own language, password and sessions. The
//! page is server HTML; its forms are one small island (`MyAccountControls`) that calls
//! the server with the browser's own `fetch`, and the sessions are a server list whose
//! End buttons the island reads by their `data-` attributes, as the list pages do.

use crate::api::staff_auth::{
    staff_sessions, EndStaffSessions, SetStaffLanguage, StaffChangePassword,
};
use crate::ui::common::results::{self, Button};
use crate::ui::common::{
    go_to, post_form, post_once, ChangePasswordCard, IslandFrame, PageHead, SelectField,
    SessionList, ToastRegion, Toasts, END_OTHER_SESSIONS, END_SESSION,
};
use crate::ui::i18n::{error_text, field_message, language};
use crate::{tr, trf};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use roster_types::{AppError, Language};
use serde::de::IgnoredAny;
use uuid::Uuid;

/// The id of the sessions list, which the island brings again after a change.
const SESSIONS_ID: &str = "my-sessions";

#[component]
pub fn StaffAccountPage() -> impl IntoView {
    view! {
        <PageHead title=tr!("My account") />
        <MyAccountControls />
        <section class="card">
            <h2>{tr!("Signed-in sessions")}</h2>
            <div id=SESSIONS_ID class="needs-island"><MySessions /></div>
        </section>
    }
}

/// The staff member's sessions, rendered on the server only.
#[component]
fn MySessions() -> impl IntoView {
    let rows = staff_sessions();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! { <SessionList rows can_end=true end_all_label=tr!("End all other sessions") /> }.into_any(),
                    Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The interactive part of My account: the language and password forms, the sessions'
/// End buttons and the toasts.
#[island(lazy)]
pub fn MyAccountControls() -> impl IntoView {
    crate::ui::common::preload_island("MyAccountControls");
    crate::ui::i18n::provide_texts();
    let toasts = Toasts::provide();
    let loading = RwSignal::new(false);
    results::on_buttons(SESSIONS_ID, move |b| {
        let which = match b {
            Button::Row { what, id, .. } if what == END_SESSION => Some(id),
            Button::Action(what) if what == END_OTHER_SESSIONS => None,
            _ => return,
        };
        end_sessions(which, toasts, loading);
    });
    // A new password ends the other sessions: the list shows it.
    let changed = move |_: ()| results::reload(SESSIONS_ID, loading);
    view! {
        <IslandFrame>
            <MyLanguage />
            <ChangePasswordCard path={<StaffChangePassword as ServerFn>::PATH} on_changed=changed />
            <ToastRegion />
        </IslandFrame>
    }
}

/// End one session (`Some`) or every other one, say how many ended, and show the list
/// as it is now.
fn end_sessions(which: Option<Uuid>, toasts: Toasts, loading: RwSignal<bool>) {
    let id = which.map(|i| i.to_string());
    leptos::task::spawn_local_scoped(async move {
        let fields: Vec<(&str, &str)> = id.iter().map(|i| ("session_id", i.as_str())).collect();
        match post_form::<u64>(<EndStaffSessions as ServerFn>::PATH, &fields).await {
            Ok(n) => toasts.show(trf!("Sessions ended: {n}", n = n)),
            Err(e) => toasts.show(error_text(&e)),
        }
        results::reload(SESSIONS_ID, loading);
    });
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
    let error = RwSignal::new(None::<AppError>);
    let message = Signal::derive(move || {
        error
            .get()
            .map(|e| field_message(&e, "language").unwrap_or_else(|| error_text(&e)))
    });
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let path = <SetStaffLanguage as ServerFn>::PATH;
        let fields = vec![("language", chosen.get_untracked())];
        post_once::<IgnoredAny>(busy, path, fields, move |answer| match answer {
            Ok(_) => go_to("/admin/me"),
            Err(e) => error.set(Some(e)),
        });
    };
    view! {
        <section class="card">
            <h2>{tr!("Language")}</h2>
            <form on:submit=submit>
                <SelectField label=tr!("Language") name="language" value=chosen options=options error=message />
                <p class="muted small">{tr!("The admin pages are shown in this language.")}</p>
                <button type="submit" class="btn primary" disabled=move || busy.get()>{tr!("Save language")}</button>
            </form>
        </section>
    }
}
