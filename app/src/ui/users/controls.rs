use super::bulk::BulkDialog;
use super::clients_modal::UserClientsModal;
use super::create_modal::CreateUserModal;
use super::delete_dialog::DeleteUserDialog;
use super::edit_modal::EditUserModal;
use super::impersonate_dialog::ImpersonateDialog;
use super::import::ImportDialog;
use super::page::RESULTS_ID;
use super::PATH;
use crate::ui::common::{
    IslandFrame, KnownStaff, LazyDialog, ListState, PageHead, SearchBox, ToastRegion, Toasts,
};
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::users::UserSort;
use roster_types::{StaffMe, StaffPermission};
use uuid::Uuid;

#[derive(Clone)]
enum Dialog {
    Create,
    Edit(Uuid),
    Delete(Uuid, String),
    Clients(Uuid),
    Impersonate(Uuid, String),
    /// Bulk actions over the list as it stands.
    Bulk(super::ListQuery),
    Import,
}

/// The interactive part of Manage Users: the head with + Create, the search box, the
/// modals and the toasts. The table below is server HTML; its buttons are read here by
/// their `data-` attributes (one listener for the page instead of code for every row), and
/// after a search, a page change or a change made in a modal the results come again from
/// the server (`ListState`).
#[island(lazy)]
pub fn UsersControls(me: StaffMe) -> impl IntoView {
    crate::ui::common::preload_island("UsersControls");
    crate::ui::i18n::provide_texts();
    // The Edit modal shows what the staff member may do (use_can); the shell looked them up.
    let can_create = me.can(StaffPermission::UsersCreate);
    let can_bulk = me.can(StaffPermission::UsersEdit) || me.can(StaffPermission::UsersDelete);
    provide_context(KnownStaff(me));
    let toasts = Toasts::provide();

    let list = ListState::<UserSort>::new(PATH, RESULTS_ID);
    // The modals' code arrives with the first one opened (see `load_dialogs`); meanwhile
    // the list shows "Updating…".
    let dialog = LazyDialog::<Dialog, DialogView>::new();
    let open = move |d: Dialog| dialog.open(d, list.loading, load_dialogs);
    list.on_buttons(move |what, id, email| match what.as_str() {
        "edit" => open(Dialog::Edit(id)),
        "delete" => open(Dialog::Delete(id, email)),
        "clients" => open(Dialog::Clients(id)),
        "impersonate" => open(Dialog::Impersonate(id, email)),
        _ => {}
    });
    let close = Callback::new(move |_| dialog.close());
    let changed = Callback::new(move |message: String| {
        dialog.close();
        toasts.show(message);
        list.reload();
    });
    let reload_only = Callback::new(move |_| list.reload());
    let impersonate =
        Callback::new(move |(id, email): (Uuid, String)| open(Dialog::Impersonate(id, email)));

    view! {
        <IslandFrame>
            <PageHead title=tr!("Manage Users") intro=tr!("People's logins. Link them to clients under Clients → Manage Clients → a client → Users.")>
                <div class="page-actions">
                    // The users the search finds, every page of them.
                    <a class="btn" href=move || export_href(&list.current.get()) download="roster-users.csv" rel="external">{tr!("Export CSV")}</a>
                    {can_bulk.then(|| view! {
                        <button type="button" class="btn" on:click=move |_| open(Dialog::Bulk(list.current.get_untracked()))>{tr!("Bulk actions")}</button>
                    })}
                    {can_create.then(|| view! {
                        <button type="button" class="btn" on:click=move |_| open(Dialog::Import)>{tr!("Import CSV")}</button>
                    })}
                    {can_create.then(|| view! {
                        <button type="button" class="btn primary" on:click=move |_| open(Dialog::Create)>{tr!("+ Create")}</button>
                    })}
                </div>
            </PageHead>
            <SearchBox list id="user-search" label=tr!("Search users") placeholder=tr!("Search by name, email, phone or UUID") />
            {move || dialog.view(|d, draw| draw(d, Calls { close, changed, reload: reload_only, impersonate }))}
            <ToastRegion />
        </IslandFrame>
    }
}

/// The CSV of the users the search and the filters find (`server/src/export.rs`): the
/// list's URL without its page, order and page size.
fn export_href(list: &super::ListQuery) -> String {
    super::ListQuery {
        q: list.q.clone(),
        filters: list.filters.clone(),
        ..Default::default()
    }
    .to_url("/admin/users/export.csv")
}

/// What the modals call back: `close`; `changed` closes with a toast and brings the
/// results again; `reload` brings them again with the modal left open (a change inside
/// Edit); `impersonate` swaps Edit for the sign-in-as dialog.
#[derive(Clone, Copy)]
struct Calls {
    close: Callback<()>,
    changed: Callback<String>,
    reload: Callback<()>,
    impersonate: Callback<(Uuid, String)>,
}

/// What draws the open modal: `dialog_view`, reached through `load_dialogs`.
type DialogView = fn(Dialog, Calls) -> AnyView;

/// The modals (Create, Edit, Delete, the user's clients, sign in as) with their forms and server
/// calls: a lazy chunk of their own (`cargo leptos --split`), loaded when the first is
/// opened, so a visit that opens none downloads none of their code.
#[lazy]
fn load_dialogs() -> DialogView {
    dialog_view
}

/// The open modal.
fn dialog_view(d: Dialog, calls: Calls) -> AnyView {
    let Calls {
        close,
        changed,
        reload,
        impersonate,
    } = calls;
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
            } on_changed=move |_| reload.run(())
              on_impersonate=move |email: String| impersonate.run((id, email)) />
        }
        .into_any(),
        Dialog::Delete(id, email) => view! {
            <DeleteUserDialog id=id email=email on_close=close on_deleted=move |email: String| {
                changed.run(trf!("User {email} deleted", email = email));
            } />
        }
        .into_any(),
        Dialog::Clients(id) => view! { <UserClientsModal id=id on_close=close /> }.into_any(),
        Dialog::Impersonate(id, email) => {
            view! { <ImpersonateDialog id=id email=email on_close=close /> }.into_any()
        }
        Dialog::Import => {
            view! { <ImportDialog on_close=close on_changed=move |_| reload.run(()) /> }.into_any()
        }
        Dialog::Bulk(query) => {
            view! { <BulkDialog query=query on_close=close on_changed=move |_| reload.run(()) /> }
                .into_any()
        }
    }
}
