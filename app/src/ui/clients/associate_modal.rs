use super::permissions::{codes, PermissionPicker};
use crate::api::clients::{associate_user, invite_user};
use crate::api::users::list_users;
use crate::ui::common::{Debounce, ErrorBanner, Modal, ModalFooter};
use crate::ui::i18n::error_text;
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::clients::InviteOutcome;
use roster_types::users::UserRow;
use roster_types::{ClientPermission, Email};
use uuid::Uuid;

/// `+ Associate User`: find a user as you type (name, email, phone), choose permissions.
/// An email no user has can be invited: they are associated once they accept.
#[component]
pub fn AssociateUserModal(
    client_id: Uuid,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_done: Callback<String>,
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
                list_users(q, 1, 25, "name".into(), false, Default::default())
                    .await
                    .map(|p| p.rows)
            }
        },
    );
    let picked: RwSignal<Option<UserRow>> = RwSignal::new(None);
    // An email typed in full that no listed user has: the person to invite.
    let inviting: RwSignal<Option<String>> = RwSignal::new(None);
    let chosen: RwSignal<Vec<ClientPermission>> = RwSignal::new(vec![]);
    let error = RwSignal::new(None::<String>);
    let save = Action::new(move |(user, ps): &(Uuid, String)| {
        let (user, ps) = (*user, ps.clone());
        async move { associate_user(client_id, user, ps).await }
    });
    let associated = move |owner: bool| {
        let m = if owner {
            tr!("User associated as the owner")
        } else {
            tr!("User associated")
        };
        on_done.run(m.to_string());
    };
    Effect::new(move |_| match save.value().get() {
        Some(Ok(owner)) => associated(owner),
        Some(Err(e)) => error.set(Some(error_text(&e))),
        None => {}
    });
    let invite = Action::new(move |(email, ps): &(String, String)| {
        let (email, ps) = (email.clone(), ps.clone());
        async move { invite_user(client_id, email, ps).await }
    });
    Effect::new(move |_| match invite.value().get() {
        Some(Ok(InviteOutcome::Associated { owner })) => associated(owner),
        Some(Ok(InviteOutcome::Invited)) => {
            on_done.run(tr!("Invitation sent: they are associated once they accept").to_string())
        }
        Some(Err(e)) => error.set(Some(error_text(&e))),
        None => {}
    });
    // The typed text as an email nobody in the list has, if it is one.
    let unknown_email = move |rows: &[UserRow]| {
        let typed = query.get();
        let email = Email::parse(typed.trim()).ok()?;
        let norm = email.normalized();
        (!rows.iter().any(|u| u.email.to_lowercase() == norm)).then(|| email.as_str().to_string())
    };
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
                    Ok(rows) if rows.is_empty() && !query.get().trim().is_empty() && unknown_email(&rows).is_none() => view! { <p class="muted">{tr!("No users match.")}</p> }.into_any(),
                    Ok(rows) => view! {
                        {unknown_email(&rows).map(|email| {
                            let pick = email.clone();
                            view! {
                                <p class="muted">{trf!("No user has the email {email}.", email = email.clone())}</p>
                                <button type="button" class="pick" aria-pressed=move || inviting.with(|i| i.as_deref() == Some(pick.as_str())).to_string()
                                    on:click={
                                        let email = email.clone();
                                        move |_| { picked.set(None); inviting.set(Some(email.clone())); }
                                    }>{trf!("Invite {email} by email", email = email.clone())}</button>
                            }
                        })}
                        <ul class="pick-list" aria-label=tr!("Matching users")>
                            {rows.into_iter().map(|u| {
                                let id = u.id;
                                let label = format!("{} <{}>", u.display_name(), u.email);
                                let pick = u.clone();
                                view! {
                                    <li>
                                        <button type="button" class="pick" aria-pressed=move || picked.with(|p| p.as_ref().is_some_and(|p| p.id == id)).to_string()
                                            on:click=move |_| { inviting.set(None); picked.set(Some(pick.clone())); }>{label}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
            <p class="muted">{move || match (picked.get(), inviting.get()) {
                (Some(u), _) => trf!("Selected: {name} <{email}>", name = u.display_name(), email = u.email),
                (None, Some(email)) => trf!("{email} will be invited by email and associated once they accept.", email = email),
                (None, None) => tr!("No user selected yet.").into(),
            }}</p>
            <PermissionPicker chosen=chosen />
            <ErrorBanner message=error />
            <ModalFooter on_cancel=on_close>
                <button type="button" class="btn primary" disabled=move || (picked.get().is_none() && inviting.get().is_none()) || save.pending().get() || invite.pending().get()
                    on:click=move |_| {
                        error.set(None);
                        let ps = codes(&chosen.get_untracked());
                        if let Some(u) = picked.get_untracked() {
                            save.dispatch((u.id, ps));
                        } else if let Some(email) = inviting.get_untracked() {
                            invite.dispatch((email, ps));
                        }
                    }>{move || if inviting.get().is_some() { tr!("Invite") } else { tr!("Associate") }}</button>
            </ModalFooter>
        </Modal>
    }
}
