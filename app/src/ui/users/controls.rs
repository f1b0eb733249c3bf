use super::clients_modal::UserClientsModal;
use super::create_modal::CreateUserModal;
use super::delete_dialog::DeleteUserDialog;
use super::edit_modal::EditUserModal;
use super::query::ListQuery;
use super::results;
use super::PATH;
use crate::ui::common::{Debounce, IslandFrame, KnownStaff, PageHead, Query, ToastRegion, Toasts};
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::{StaffMe, StaffPermission};
use uuid::Uuid;

#[derive(Clone)]
enum Dialog {
    Create,
    Edit(Uuid),
    Delete(Uuid, String),
    Clients(Uuid),
}

/// The interactive part of Manage Users: the head with + Create, the search box, the
/// modals and the toasts. The table below is server HTML; its buttons are read here by
/// their `data-` attributes (one listener for the page instead of code for every row), and
/// after a search, a page change or a change made in a modal the results come again from
/// the server (`results::reload`).
#[island(lazy)]
pub fn UsersControls(me: StaffMe) -> impl IntoView {
    crate::ui::common::preload_island("UsersControls");
    crate::ui::i18n::provide_texts();
    // The Edit modal shows what the staff member may do (use_can); the shell looked them up.
    let can_create = me.can(StaffPermission::UsersCreate);
    provide_context(KnownStaff(me));
    let query = Query::provide();
    let toasts = Toasts::provide();
    let current = Memo::new(move |_| query.with(|m| ListQuery::from_params(|k| m.get(k))));
    let go = move |url: &str| query.navigate(url);

    let loading = RwSignal::new(false);
    let reload = move || results::reload(loading);
    // A new query (search, paging, sort, back and forward) brings its results.
    Effect::new(move |first: Option<()>| {
        current.track();
        if first.is_some() {
            reload();
        }
    });

    let dialog: RwSignal<Option<Dialog>> = RwSignal::new(None);
    // The modals' code arrives with the first one opened (see `load_dialogs`).
    let dialogs: RwSignal<Option<DialogView>> = RwSignal::new(None);
    let open = move |d: Dialog| {
        if dialogs.get_untracked().is_some() {
            dialog.set(Some(d));
            return;
        }
        loading.set(true);
        leptos::task::spawn_local(async move {
            dialogs.set(Some(load_dialogs().await));
            loading.set(false);
            dialog.set(Some(d));
        });
    };
    let close = Callback::new(move |_| dialog.set(None));
    results::on_buttons(move |b| match b {
        results::Button::Go(url) => go(&url),
        results::Button::PerPage(per) => go(&ListQuery {
            per_page: per,
            page: 1,
            ..current.get_untracked()
        }
        .to_url(PATH)),
        results::Button::User { what, id, email } => match what.as_str() {
            "edit" => open(Dialog::Edit(id)),
            "delete" => open(Dialog::Delete(id, email)),
            "clients" => open(Dialog::Clients(id)),
            _ => {}
        },
    });

    // The search box: follows the typing after a pause; back/forward sets it from the URL.
    let text = RwSignal::new(current.get_untracked().q);
    Effect::new(move |_| {
        let q = current.get().q;
        if q != text.get_untracked() {
            text.set(q);
        }
    });
    let pause = Debounce::new(250);
    let search_now = move || {
        let q = current.get_untracked();
        let t = text.get_untracked();
        if t != q.q {
            go(&ListQuery { q: t, page: 1, ..q }.to_url(PATH));
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        pause.run(search_now);
    };
    let changed = Callback::new(move |message: String| {
        dialog.set(None);
        toasts.show(message);
        reload();
    });
    let reload_only = Callback::new(move |_| reload());

    view! {
        <IslandFrame>
            <PageHead title=tr!("Manage Users") intro=tr!("People's logins. Link them to clients under Clients → Manage Clients → a client → Users.")>
                {can_create.then(|| view! {
                    <button type="button" class="btn primary" on:click=move |_| open(Dialog::Create)>{tr!("+ Create")}</button>
                })}
            </PageHead>
            <form class="toolbar" role="search" on:submit=move |ev| { ev.prevent_default(); search_now(); }>
                <label class="sr-only" for="user-search">{tr!("Search users")}</label>
                <input id="user-search" type="search" class="search" placeholder=tr!("Search by name, email, phone or UUID")
                    autocomplete="off" prop:value=move || text.get() on:input=on_input />
                <span class="loading" aria-hidden=move || (!loading.get()).to_string()>
                    {move || loading.get().then_some(tr!("Updating…"))}
                </span>
            </form>
            {move || dialog.get().zip(dialogs.get()).map(|(d, view)| view(d, close, changed, reload_only))}
            <ToastRegion />
        </IslandFrame>
    }
}

/// What draws the open modal: `dialog_view`, reached through `load_dialogs`.
type DialogView = fn(Dialog, Callback<()>, Callback<String>, Callback<()>) -> AnyView;

/// The four modals (Create, Edit, Delete, the user's clients) with their forms and server
/// calls: a lazy chunk of their own (`cargo leptos --split`), loaded when the first is
/// opened, so a visit that opens none downloads none of their code.
#[lazy]
fn load_dialogs() -> DialogView {
    dialog_view
}

/// The open modal. `changed` closes it with a toast and brings the results again; `reload`
/// brings them again with the modal left open (a change inside Edit).
fn dialog_view(
    d: Dialog,
    close: Callback<()>,
    changed: Callback<String>,
    reload: Callback<()>,
) -> AnyView {
    match d {
        Dialog::Create => view! {
            <CreateUserModal on_close=close on_created=move |u: roster_types::users::UserDetail| {
                changed.run(trf!("User {email} created", email = u.email));
            } />
        }
        .into_any(),
        Dialog::Edit(id) => view! {
            <EditUserModal id=id on_close=close on_saved=move |u: roster_types::users::UserDetail| {
                changed.run(trf!("Changes to {email} saved", email = u.email));
            } on_changed=move |_| reload.run(()) />
        }
        .into_any(),
        Dialog::Delete(id, email) => view! {
            <DeleteUserDialog id=id email=email on_close=close on_deleted=move |email: String| {
                changed.run(trf!("User {email} deleted", email = email));
            } />
        }
        .into_any(),
        Dialog::Clients(id) => view! { <UserClientsModal id=id on_close=close /> }.into_any(),
    }
}
