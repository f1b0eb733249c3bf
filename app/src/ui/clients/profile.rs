//! A client page's Profile tab: the client form, Save and Delete. An island of its own,
//! posting with the browser's `fetch` (`post_once`) from plain tasks, so the page holds
//! no server-function client and no list or tab code.

use super::client_form::{ClientFields, ClientFormState};
use super::page::HEAD_ID;
use super::PATH;
use crate::api::clients::{DeleteClient, UpdateClient};
use crate::tr;
use crate::ui::common::results;
use crate::ui::common::{go_to, post_once, ErrorBanner, IslandFrame, Modal, ToastRegion, Toasts};
use crate::ui::i18n::error_text;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use roster_types::clients::ClientForm;
use serde::de::IgnoredAny;
use serde::Deserialize;
use uuid::Uuid;

/// What the page needs of a saved client: its fields as the server keeps them (trimmed)
/// and the version the next save must name.
#[derive(Deserialize)]
struct Saved {
    version: i64,
    first_name: String,
    last_name: String,
    company_name: String,
    tax_id: Option<String>,
    status: String,
}

/// The Profile tab. `version` is the client's as the page was rendered: a save names it,
/// so a change made meanwhile by someone else is refused instead of overwritten.
#[island(lazy)]
pub fn ClientProfile(id: Uuid, version: i64, form: ClientForm, can_edit: bool) -> impl IntoView {
    crate::ui::common::preload_island("ClientProfile");
    crate::ui::i18n::provide_texts();
    let toasts = Toasts::provide();
    let state = ClientFormState::new();
    state.fill(form);
    let version = RwSignal::new(version);
    let busy = RwSignal::new(false);
    let loading = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !state.check() {
            return;
        }
        let f = state.form();
        let fields = vec![
            ("id", id.to_string()),
            ("version", version.get_untracked().to_string()),
            ("first_name", f.first_name),
            ("last_name", f.last_name),
            ("company_name", f.company_name),
            ("tax_id", f.tax_id),
            ("status", f.status),
        ];
        post_once::<Saved>(
            busy,
            <UpdateClient as ServerFn>::PATH,
            fields,
            move |answer| match answer {
                Ok(s) => {
                    version.set(s.version);
                    state.fill(ClientForm {
                        first_name: s.first_name,
                        last_name: s.last_name,
                        company_name: s.company_name,
                        tax_id: s.tax_id.unwrap_or_default(),
                        status: s.status,
                    });
                    toasts.show(tr!("Client saved"));
                    // The heading names the client: bring it again as the server now renders it.
                    results::reload(HEAD_ID, loading);
                }
                Err(e) => state.show_error(e),
            },
        );
    };
    let confirming = RwSignal::new(false);
    let delete_error = RwSignal::new(None::<String>);
    let remove = move |_| {
        let fields = vec![("id", id.to_string())];
        post_once::<IgnoredAny>(
            busy,
            <DeleteClient as ServerFn>::PATH,
            fields,
            move |answer| match answer {
                Ok(_) => go_to(PATH),
                Err(e) => delete_error.set(Some(error_text(&e))),
            },
        );
    };
    let banner = Signal::derive(move || state.banner.get().map(|e| error_text(&e)));
    view! {
        <IslandFrame>
            <form novalidate on:submit=save>
                <ErrorBanner message=banner />
                <fieldset disabled=!can_edit class="plain">
                    <ClientFields state=state />
                </fieldset>
                {can_edit.then(|| view! {
                    <footer class="modal-actions">
                        <button type="button" class="btn danger" on:click=move |_| confirming.set(true)>{tr!("Delete client")}</button>
                        <button type="submit" class="btn primary" disabled=move || busy.get()>{tr!("Save")}</button>
                    </footer>
                })}
            </form>
            <Show when=move || confirming.get()>
                <Modal title=tr!("Delete Client") on_close=move |_| confirming.set(false)>
                    <p>{tr!("Delete this client? Its user associations are removed too. To keep its history, set its status to Closed instead.")}</p>
                    <ErrorBanner message=delete_error />
                    <footer class="modal-actions">
                        <button type="button" class="btn" on:click=move |_| confirming.set(false)>{tr!("Cancel")}</button>
                        <button type="button" class="btn danger" disabled=move || busy.get() on:click=remove>{tr!("Delete")}</button>
                    </footer>
                </Modal>
            </Show>
            <ToastRegion />
        </IslandFrame>
    }
}
