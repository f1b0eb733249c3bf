use super::associate_modal::AssociateUserModal;
use super::permissions::{codes, PermissionPicker};
use crate::api::clients::{client_users, make_owner, remove_user, set_user_permissions};
use crate::ui::common::{badge, use_toasts, ErrorBanner, Modal, ModalFooter, Refresh, Table};
use crate::ui::i18n::{error_text, t};
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::clients::ClientUserRow;
use roster_types::ClientPermission;
use uuid::Uuid;

/// The client's Users tab: who acts for it, with which permissions, and the owner.
#[component]
pub fn UsersTab(client_id: Uuid, can_edit: Signal<bool>) -> impl IntoView {
    let toasts = use_toasts();
    let refresh = Refresh::new();
    let members = Resource::new(move || refresh.version(), move |_| client_users(client_id));
    let associating = RwSignal::new(false);
    let editing: RwSignal<Option<ClientUserRow>> = RwSignal::new(None);
    let error = RwSignal::new(None::<String>);
    let act = Action::new(move |(what, user): &(&'static str, Uuid)| {
        let (what, user) = (*what, *user);
        async move {
            match what {
                "owner" => make_owner(client_id, user)
                    .await
                    .map(|_| roster_types::msg!("Ownership moved")),
                _ => remove_user(client_id, user)
                    .await
                    .map(|_| roster_types::msg!("User removed from the client")),
            }
        }
    });
    Effect::new(move |_| match act.value().get() {
        Some(Ok(msg)) => {
            error.set(None);
            toasts.show(t(msg));
            refresh.bump();
        }
        Some(Err(e)) => error.set(Some(error_text(&e))),
        None => {}
    });
    view! {
        <div class="tab-head">
            <h2>{tr!("Users")}</h2>
            <Show when=move || can_edit.get()>
                <button type="button" class="btn primary" on:click=move |_| associating.set(true)>{tr!("+ Associate User")}</button>
            </Show>
        </div>
        <ErrorBanner message=error />
        <Transition fallback=|| view! { <p class="muted">{tr!("Loading…")}</p> }>
            {move || members.get().map(|r| match r {
                Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="muted">{tr!("No users yet. The first user associated becomes the owner.")}</p> }.into_any(),
                Ok(list) => view! {
                    <Table class="members" head=view! {
                        <th scope="col">{tr!("Name")}</th><th scope="col">{tr!("Email")}</th>
                        <th scope="col">{tr!("Permissions")}</th><th scope="col"><span class="sr-only">{tr!("Actions")}</span></th>
                    }.into_any()>
                        {list.into_iter().map(|m| {
                            let uid = m.user_id;
                            let owner = m.access.owner;
                            let row = m.clone();
                            let perms = if owner {
                                tr!("All (owner)").to_string()
                            } else if m.access.permissions.is_empty() {
                                tr!("None").to_string()
                            } else {
                                m.access.permissions.iter().map(|p| t(p.label())).collect::<Vec<_>>().join(", ")
                            };
                            let email = m.email.clone();
                            let remove_label = m.email.clone();
                            view! {
                                <tr>
                                    <td>{m.name.clone()} " " {owner.then(|| badge("OWNER", "owner"))}</td>
                                    <td><a href=format!("/admin/users?q={}", crate::ui::common::encode(&m.email))>{m.email.clone()}</a></td>
                                    <td class="perms">{perms}</td>
                                    <td class="actions">
                                        <Show when=move || can_edit.get() && !owner>
                                            <button type="button" class="btn small" aria-label=trf!("Edit permissions of {email}", email = email)
                                                on:click={let row = row.clone(); move |_| editing.set(Some(row.clone()))}>{tr!("Permissions")}</button>
                                            <button type="button" class="btn small" aria-label=trf!("Make {email} the owner", email = row.email)
                                                on:click=move |_| { act.dispatch(("owner", uid)); }>{tr!("Make owner")}</button>
                                        </Show>
                                        // Shown for the owner too: the refusal says why.
                                        <Show when=move || can_edit.get()>
                                            <button type="button" class="btn small danger-text" aria-label=trf!("Remove {email}", email = remove_label)
                                                on:click=move |_| { act.dispatch(("remove", uid)); }>{tr!("Remove")}</button>
                                        </Show>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </Table>
                }.into_any(),
            })}
        </Transition>
        <Show when=move || associating.get()>
            <AssociateUserModal client_id=client_id on_close=move |_| associating.set(false) on_done=move |owner: bool| {
                associating.set(false);
                toasts.show(if owner { tr!("User associated as the owner") } else { tr!("User associated") });
                refresh.bump();
            } />
        </Show>
        {move || editing.get().map(|m| view! {
            <EditPermissionsModal client_id=client_id member=m on_close=move |_| editing.set(None) on_done=move |_| {
                editing.set(None);
                toasts.show(tr!("Permissions saved"));
                refresh.bump();
            } />
        })}
    }
}

#[component]
fn EditPermissionsModal(
    client_id: Uuid,
    member: ClientUserRow,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let chosen: RwSignal<Vec<ClientPermission>> = RwSignal::new(member.access.permissions.clone());
    let user = member.user_id;
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
        <Modal title=trf!("Permissions — {email}", email = member.email) on_close=on_close>
            <ErrorBanner message=error />
            <PermissionPicker chosen=chosen />
            <ModalFooter on_cancel=on_close>
                <button type="button" class="btn primary" on:click=move |_| { save.dispatch(codes(&chosen.get_untracked())); }>{tr!("Save")}</button>
            </ModalFooter>
        </Modal>
    }
}
