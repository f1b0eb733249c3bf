//! A client page's Users tab: who acts for the client, with which permissions, and the
//! owner. The table is server HTML whose buttons say what they do in `data-` attributes;
//! the island above it holds + Associate User, reads those buttons, and brings the table
//! again after a change. Associate and Permissions are a lazy chunk.

use super::associate_modal::AssociateUserModal;
use super::permissions::{codes, PermissionPicker};
use crate::api::clients::{
    client_invitations, client_users, set_user_permissions, CancelInvitation, MakeOwner, RemoveUser,
};
use crate::tx;
use crate::ui::common::markup::{badge, header, table};
use crate::ui::common::results::{self, Button};
use crate::ui::common::{
    encode, post_once, ErrorBanner, IslandFrame, LazyDialog, Modal, ModalFooter, ToastRegion,
    Toasts,
};
use crate::ui::i18n::{self, error_text, t};
use crate::{tr, trf};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use maud::html;
use roster_types::clients::{ClientUserRow, PendingInvitation};
use roster_types::{AppError, ClientPermission};
use serde::de::IgnoredAny;
use uuid::Uuid;

/// The id of the part of the page a change brings again.
const USERS_ID: &str = "client-users";
/// What a row's buttons do (`data-row-action`).
const PERMISSIONS: &str = "permissions";
const OWNER: &str = "owner";
const REMOVE: &str = "remove";
const CANCEL_INVITATION: &str = "cancel-invitation";

/// The client's users as the server has them, rendered on the server only.
#[component]
pub fn ClientUsers(client_id: Uuid, can_edit: bool) -> impl IntoView {
    let members = client_users(client_id);
    let invited = client_invitations(client_id);
    view! {
        <div id=USERS_ID class="needs-island" data-can-edit=can_edit.then_some("")>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let (members, invited) = (members.await, invited.await);
                    let members = match members {
                        Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted">{tr!("No users yet. The first user associated becomes the owner.")}</p>
                        }.into_any(),
                        Ok(list) => members_table(&list, can_edit).into_any(),
                    };
                    let invited = match invited {
                        Ok(list) if !list.is_empty() => Some(invitations_table(&list, can_edit)),
                        _ => None,
                    };
                    view! { {members} {invited} }
                })}
            </Suspense>
        </div>
    }
}

/// Invited by email and not accepted yet: they are associated, with these permissions,
/// once they accept. Staff who may edit can withdraw the offer.
fn invitations_table(list: &[PendingInvitation], can_edit: bool) -> impl IntoView {
    let tt = i18n::now();
    let head = html! {
        (header(tx!(tt, "Email"))) (header(tx!(tt, "Permissions"))) (header(tx!(tt, "Invited by")))
        th scope="col" { span class="sr-only" { (tx!(tt, "Actions")) } }
    };
    let rows = html! {
        @for p in list {
            tr {
                td data-label=(tx!(tt, "Email")) { (p.email) " " (badge("INVITED", "info")) }
                td data-label=(tx!(tt, "Permissions")) class="perms" { (names(&p.permissions)) }
                td data-label=(tx!(tt, "Invited by")) { (p.invited_by) }
                td class="actions" {
                    @if can_edit {
                        button type="button" class="btn small danger-text" aria-label=(tx!(tt, "Cancel the invitation of {email}", email = p.email))
                            data-row-action=(CANCEL_INVITATION) data-row-id=(p.user_id.to_string()) data-row-label=(p.email) { (tx!(tt, "Cancel invitation")) }
                    }
                }
            }
        }
    };
    view! {
        <h3 class="subhead">{tr!("Invited, not accepted yet")}</h3>
        {table("invitations", head, rows)}
    }
}

fn names(ps: &[ClientPermission]) -> String {
    if ps.is_empty() {
        return tr!("None").to_string();
    }
    ps.iter()
        .map(|p| t(p.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Name (OWNER marked), email (a link to the user on Manage Users), permissions, and the
/// buttons of staff who may edit: an owner can only be asked to leave (the refusal says
/// why), the others have Permissions and Make owner too.
fn members_table(list: &[ClientUserRow], can_edit: bool) -> impl IntoView {
    let tt = i18n::now();
    let head = html! {
        (header(tx!(tt, "Name"))) (header(tx!(tt, "Email"))) (header(tx!(tt, "Permissions")))
        th scope="col" { span class="sr-only" { (tx!(tt, "Actions")) } }
    };
    let rows = html! {
        @for m in list {
            @let owner = m.access.owner;
            @let id = m.user_id.to_string();
            tr {
                td data-label=(tx!(tt, "Name")) { (m.name) @if owner { " " (badge("OWNER", "owner")) } }
                td data-label=(tx!(tt, "Email")) { a href={ "/admin/users?q=" (encode(&m.email)) } { (m.email) } }
                td data-label=(tx!(tt, "Permissions")) class="perms" { (permissions_text(m)) }
                td class="actions" {
                    @if can_edit && !owner {
                        button type="button" class="btn small" aria-label=(tx!(tt, "Edit permissions of {email}", email = m.email))
                            data-row-action=(PERMISSIONS) data-row-id=(id) data-row-label=(m.email) { (tx!(tt, "Permissions")) }
                        " "
                        button type="button" class="btn small" aria-label=(tx!(tt, "Make {email} the owner", email = m.email))
                            data-row-action=(OWNER) data-row-id=(id) data-row-label=(m.email) { (tx!(tt, "Make owner")) }
                        " "
                    }
                    @if can_edit {
                        button type="button" class="btn small danger-text" aria-label=(tx!(tt, "Remove {email}", email = m.email))
                            data-row-action=(REMOVE) data-row-id=(id) data-row-label=(m.email) { (tx!(tt, "Remove")) }
                    }
                }
            }
        }
    };
    table("members", head, rows)
}

/// "All (owner)", "None", or the permissions' names.
fn permissions_text(m: &ClientUserRow) -> String {
    if m.access.owner {
        tr!("All (owner)").to_string()
    } else {
        names(&m.access.permissions)
    }
}

/// Whose Users tab this is, and whether the staff member may change it. The page
/// provides it on the server; in the browser the island reads it from the page (the id in
/// the URL, `data-can-edit` on the table's region), so it takes no props and carries no
/// code to read them.
#[derive(Clone, Copy, Debug, Default)]
pub struct UsersTab {
    pub client_id: Uuid,
    pub can_edit: bool,
}

impl UsersTab {
    fn of_page() -> UsersTab {
        if let Some(tab) = use_context::<UsersTab>() {
            return tab;
        }
        #[cfg(feature = "hydrate")]
        {
            let client_id = window()
                .location()
                .pathname()
                .ok()
                .and_then(|p| p.rsplit('/').next().and_then(|s| Uuid::parse_str(s).ok()))
                .unwrap_or_default();
            let can_edit = document()
                .get_element_by_id(USERS_ID)
                .is_some_and(|e| e.has_attribute("data-can-edit"));
            UsersTab {
                client_id,
                can_edit,
            }
        }
        #[cfg(not(feature = "hydrate"))]
        UsersTab::default()
    }
}

#[derive(Clone)]
enum Dialog {
    Associate,
    Permissions { user: Uuid, email: String },
}

/// The interactive part of the Users tab: its head with + Associate User, the rows'
/// buttons, the modals and the toasts.
#[island(lazy)]
pub fn ClientUsersControls() -> impl IntoView {
    crate::ui::common::preload_island("ClientUsersControls");
    let UsersTab {
        client_id,
        can_edit,
    } = UsersTab::of_page();
    crate::ui::i18n::provide_texts();
    let toasts = Toasts::provide();
    let loading = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let dialog = LazyDialog::<Dialog, DialogView>::new();
    let open = move |d: Dialog| dialog.open(d, loading, load_dialogs);
    let done = Callback::new(move |message: String| {
        dialog.close();
        error.set(None);
        toasts.show(message);
        results::reload(USERS_ID, loading);
    });
    results::on_buttons(USERS_ID, move |b| {
        let Button::Row { what, id, label } = b else {
            return;
        };
        let (path, message) = match what.as_str() {
            PERMISSIONS => {
                return open(Dialog::Permissions {
                    user: id,
                    email: label,
                })
            }
            OWNER => (<MakeOwner as ServerFn>::PATH, tr!("Ownership moved")),
            REMOVE => (
                <RemoveUser as ServerFn>::PATH,
                tr!("User removed from the client"),
            ),
            CANCEL_INVITATION => (
                <CancelInvitation as ServerFn>::PATH,
                tr!("Invitation cancelled"),
            ),
            _ => return,
        };
        let fields = vec![
            ("client_id", client_id.to_string()),
            ("user_id", id.to_string()),
        ];
        post_once::<IgnoredAny>(busy, path, fields, move |answer| match answer {
            Ok(_) => done.run(message.to_string()),
            Err(e) => error.set(Some(error_text(&e))),
        });
    });
    let close = Callback::new(move |_| dialog.close());
    view! {
        <IslandFrame>
            <div class="tab-head">
                <h2>{tr!("Users")}</h2>
                {can_edit.then(|| view! {
                    <button type="button" class="btn primary" on:click=move |_| open(Dialog::Associate)>{tr!("+ Associate User")}</button>
                })}
            </div>
            <ErrorBanner message=error />
            <p class="loading" aria-hidden=move || (!loading.get()).to_string()>
                {move || loading.get().then_some(tr!("Updating…"))}
            </p>
            {move || dialog.view(|d, draw| draw(d, client_id, close, done))}
            <ToastRegion />
        </IslandFrame>
    }
}

/// What draws the open modal: `dialog_view`, reached through `load_dialogs`.
type DialogView = fn(Dialog, Uuid, Callback<()>, Callback<String>) -> AnyView;

/// Associate and Permissions with their forms and server calls: a lazy chunk of their
/// own, loaded when the first is opened.
#[lazy]
fn load_dialogs() -> DialogView {
    dialog_view
}

fn dialog_view(d: Dialog, client_id: Uuid, close: Callback<()>, done: Callback<String>) -> AnyView {
    match d {
        Dialog::Associate => view! {
            <AssociateUserModal client_id on_close=close on_done=done />
        }
        .into_any(),
        Dialog::Permissions { user, email } => view! {
            <EditPermissions client_id user email on_close=close on_done=move |_| done.run(tr!("Permissions saved").to_string()) />
        }
        .into_any(),
    }
}

/// Permissions opens on the user's permissions as the server has them now (the table may
/// be older).
#[component]
fn EditPermissions(
    client_id: Uuid,
    user: Uuid,
    email: String,
    on_close: Callback<()>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let title = trf!("Permissions — {email}", email = email);
    let current = LocalResource::new(move || async move {
        client_users(client_id).await.and_then(|rows| {
            rows.into_iter()
                .find(|r| r.user_id == user)
                .map(|r| r.access.permissions)
                .ok_or(AppError::NotFound)
        })
    });
    move || {
        match current.get() {
        None => ().into_any(),
        Some(Ok(permissions)) => {
            view! { <EditPermissionsModal client_id user title=title.clone() permissions on_close on_done /> }.into_any()
        }
        Some(Err(e)) => view! {
            <Modal title=title.clone() on_close>
                <div class="banner error" role="alert">{error_text(&e)}</div>
            </Modal>
        }
        .into_any(),
    }
    }
}

#[component]
fn EditPermissionsModal(
    client_id: Uuid,
    user: Uuid,
    title: String,
    permissions: Vec<ClientPermission>,
    on_close: Callback<()>,
    on_done: Callback<()>,
) -> impl IntoView {
    let chosen = RwSignal::new(permissions);
    let save = Action::new(move |ps: &String| {
        let ps = ps.clone();
        async move { set_user_permissions(client_id, user, ps).await }
    });
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => on_done.run(()),
        Some(Err(e)) => error.set(Some(error_text(&e))),
        None => {}
    });
    view! {
        <Modal title on_close>
            <ErrorBanner message=error />
            <PermissionPicker chosen=chosen />
            <ModalFooter on_cancel=on_close>
                <button type="button" class="btn primary" on:click=move |_| { save.dispatch(codes(&chosen.get_untracked())); }>{tr!("Save")}</button>
            </ModalFooter>
        </Modal>
    }
}
