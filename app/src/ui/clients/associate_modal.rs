use super::permissions::{codes, PermissionPicker};
use crate::api::clients::associate_user;
use crate::api::users::list_users;
use crate::ui::common::{Debounce, ErrorBanner, Modal, ModalFooter};
use crate::ui::i18n::error_text;
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::users::UserRow;
use roster_types::ClientPermission;
use uuid::Uuid;

/// `+ Associate User`: find a user as you type (name, email, phone), choose permissions.
#[component]
pub fn AssociateUserModal(
    client_id: Uuid,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_done: Callback<bool>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let pause = Debounce::new(250);
    let on_input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        pause.run(move || query.set(text.get_untracked()));
    };
    let found = Resource::new(
        move || query.get(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(vec![])
            } else {
                list_users(q, 1, 25, "name".into(), false)
                    .await
                    .map(|p| p.rows)
            }
        },
    );
    let picked: RwSignal<Option<UserRow>> = RwSignal::new(None);
    let chosen: RwSignal<Vec<ClientPermission>> = RwSignal::new(vec![]);
    let error = RwSignal::new(None::<String>);
    let save = Action::new(move |(user, ps): &(Uuid, String)| {
        let (user, ps) = (*user, ps.clone());
        async move { associate_user(client_id, user, ps).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(owner)) => on_done.run(owner),
        Some(Err(e)) => error.set(Some(error_text(&e))),
        None => {}
    });
    view! {
        <Modal title=tr!("Associate User") on_close=on_close wide=true>
            <div class="field">
                <label for="associate-search">{tr!("Find a user")}</label>
                <input id="associate-search" type="search" autocomplete="off" placeholder=tr!("Name, email or phone")
                    prop:value=move || text.get() on:input=on_input />
            </div>
            <Transition fallback=|| ()>
                {move || found.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                    Ok(rows) if rows.is_empty() && !query.get().trim().is_empty() => view! { <p class="muted">{tr!("No users match.")}</p> }.into_any(),
                    Ok(rows) => view! {
                        <ul class="pick-list" aria-label=tr!("Matching users")>
                            {rows.into_iter().map(|u| {
                                let id = u.id;
                                let label = format!("{} <{}>", u.display_name(), u.email);
                                let pick = u.clone();
                                view! {
                                    <li>
                                        <button type="button" class="pick" aria-pressed=move || picked.with(|p| p.as_ref().is_some_and(|p| p.id == id)).to_string()
                                            on:click=move |_| picked.set(Some(pick.clone()))>{label}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
            <p class="muted">{move || picked.get().map(|u| trf!("Selected: {name} <{email}>", name = u.display_name(), email = u.email)).unwrap_or_else(|| tr!("No user selected yet.").into())}</p>
            <PermissionPicker chosen=chosen />
            <ErrorBanner message=error />
            <ModalFooter on_cancel=on_close>
                <button type="button" class="btn primary" disabled=move || picked.get().is_none() || save.pending().get()
                    on:click=move |_| {
                        if let Some(u) = picked.get_untracked() {
                            error.set(None);
                            save.dispatch((u.id, codes(&chosen.get_untracked())));
                        }
                    }>{tr!("Associate")}</button>
            </ModalFooter>
        </Modal>
    }
}
