use super::fields::UserFields;
use super::form_state::FormState;
use crate::api::users::{
    end_user_sessions, get_user, resend_invitation, send_password_reset, unlock_user, update_user,
    user_sessions,
};
use crate::ui::common::{
    date_time, use_can, EndWith, ErrorBanner, Modal, ModalFooter, Refresh, SelectField,
    SessionList, Toggle,
};
use crate::ui::i18n::{error_text, t};
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::users::{UserDetail, UserStatus};
use roster_types::{AppError, EditFlags, FormMode, UserForm};
use uuid::Uuid;

/// The pencil: everything from Create (password empty = unchanged), plus the verification
/// toggles and Status. Saves name the version they were based on: a save over someone
/// else's newer change is refused, never merged.
#[component]
pub fn EditUserModal(
    id: Uuid,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<UserDetail>,
    /// Something the list shows changed while the modal stays open (an unlock).
    #[prop(optional, into)]
    on_changed: Option<Callback<()>>,
    /// "Sign in as this user" asks for a reason next (given the email), for staff who may.
    #[prop(optional, into)]
    on_impersonate: Option<Callback<String>>,
) -> impl IntoView {
    let state = FormState::new(FormMode::Edit);
    let email_verified = RwSignal::new(false);
    let phone_verified = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    let loaded: RwSignal<Option<UserDetail>> = RwSignal::new(None);
    let load_error: RwSignal<Option<AppError>> = RwSignal::new(None);

    let fill = move |u: UserDetail| {
        state.fill(&u);
        email_verified.set(u.email_verified);
        phone_verified.set(u.phone_verified);
        status.set(u.status.code().to_string());
        loaded.set(Some(u));
    };
    let load = Action::new(move |id: &Uuid| {
        let id = *id;
        async move { get_user(id).await }
    });
    load.dispatch(id);
    Effect::new(move |_| match load.value().get() {
        Some(Ok(u)) => {
            load_error.set(None);
            fill(u)
        }
        Some(Err(e)) => load_error.set(Some(e)),
        None => {}
    });

    let save = Action::new(move |(version, form, flags): &(i64, UserForm, EditFlags)| {
        let (version, form, flags) = (*version, form.clone(), flags.clone());
        async move { update_user(id, version, form, flags).await }
    });
    state.follow(save, on_saved);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(u) = loaded.get_untracked() else {
            return;
        };
        if state.check_all() {
            let flags = EditFlags {
                email_verified: email_verified.get_untracked(),
                phone_verified: phone_verified.get_untracked(),
                status: UserStatus::parse(&status.get_untracked()).unwrap_or(u.status),
            };
            save.dispatch((u.version, state.form(), flags));
        }
    };
    let unlock = Action::new(move |_: &()| unlock_user(id));
    Effect::new(move |_| match unlock.value().get() {
        Some(Ok(u)) => {
            if let Some(mut cur) = loaded.get_untracked() {
                // Only the lock changed; keep what the staff member is typing.
                cur.locked = u.locked;
                cur.version = u.version;
                loaded.set(Some(cur));
            }
            if let Some(f) = on_changed {
                f.run(());
            }
        }
        Some(Err(e)) => state.show_error(e),
        None => {}
    });
    // The seed's "Reset Password" remedy: a link to the user, never a password to staff.
    let reset = Action::new(move |_: &()| send_password_reset(id));
    let reset_sent = move || matches!(reset.value().get(), Some(Ok(())));
    Effect::new(move |_| {
        if let Some(Err(e)) = reset.value().get() {
            state.show_error(e);
        }
    });
    // Invited and not accepted yet: a new invitation instead of a reset link.
    let resend = Action::new(move |_: &()| resend_invitation(id));
    let resent = move || matches!(resend.value().get(), Some(Ok(())));
    Effect::new(move |_| {
        if let Some(Err(e)) = resend.value().get() {
            state.show_error(e);
        }
    });
    let invited = move || loaded.get().is_some_and(|u| u.invited_at.is_some());
    let sessions_refresh = Refresh::new();
    let sessions = Resource::new(
        move || sessions_refresh.version(),
        move |_| user_sessions(id),
    );
    let end = Action::new(move |sid: &Option<Uuid>| end_user_sessions(id, *sid));
    Effect::new(move |_| {
        if end.value().get().is_some() {
            sessions_refresh.bump();
        }
    });
    let stale = move || matches!(state.banner.get(), Some(AppError::Stale));
    let banner = Signal::derive(move || {
        state
            .banner
            .get()
            .filter(|e| !matches!(e, AppError::Stale))
            .or(load_error.get())
            .map(|e| error_text(&e))
    });
    let title = Signal::derive(move || {
        loaded
            .get()
            .map(|u| trf!("Edit User — {email}", email = u.email))
            .unwrap_or_else(|| tr!("Edit User").into())
    });
    let status_error = state.error("status");
    // The Activity tab is there for staff who may read the trail.
    let can = use_can();
    let can_audit = move || can(roster_types::StaffPermission::AuditView);
    let activity = RwSignal::new(false);
    let impersonate =
        on_impersonate.filter(|_| can(roster_types::StaffPermission::UsersImpersonate));

    view! {
        <Modal title=title on_close=on_close wide=true>
            <Show when=can_audit>
                <div class="tabs" role="tablist" aria-label=tr!("User")>
                    <button type="button" role="tab" aria-selected=move || (!activity.get()).to_string()
                        on:click=move |_| activity.set(false)>{tr!("Details")}</button>
                    <button type="button" role="tab" aria-selected=move || activity.get().to_string()
                        on:click=move |_| activity.set(true)>{tr!("Activity")}</button>
                </div>
            </Show>
            <Show when=move || activity.get()>
                <section role="tabpanel" aria-label=tr!("Activity") class="activity-panel">
                    <crate::ui::audit::Activity target_id=id />
                </section>
            </Show>
            <form on:submit=submit novalidate hidden=move || activity.get()>
                <Show when=stale>
                    <div class="banner error" role="alert">
                        <p>{error_text(&AppError::Stale)}</p>
                        <button type="button" class="btn small" on:click=move |_| { load.dispatch(id); }>{tr!("Reload")}</button>
                    </div>
                </Show>
                <ErrorBanner message=banner />
                <Show when=move || loaded.get().is_some_and(|u| u.locked)>
                    <div class="banner warn" role="status">
                        <p>{move || loaded.get().and_then(|u| u.lock_reason).map_or(tr!("Sign-in is locked after repeated failed attempts.").to_string(), |r| trf!("Sign-in is {reason}.", reason = t(r.label())))}</p>
                        <button type="button" class="btn small" on:click=move |_| { unlock.dispatch(()); }>{tr!("Unlock")}</button>
                    </div>
                </Show>
                <Show when=move || loaded.get().is_some() fallback=|| view! { <p class="muted">{tr!("Loading…")}</p> }>
                    <UserFields state=state />
                    {move || loaded.get().and_then(|u| u.admin_notes_by.clone().zip(u.admin_notes_at)).map(|(by, at)| view! {
                        <p class="meta-line" data-testid="notes-changed">{tr!("Admin Notes last changed by ")} <strong>{by}</strong> " on " {date_time(&at)}</p>
                    })}
                    <fieldset class="toggles">
                        <legend>{tr!("Verification and access")}</legend>
                        <Toggle label=tr!("Email Verified") name="email_verified" checked=email_verified hint=tr!("Users sign in only with a verified email.") />
                        <Toggle label=tr!("Phone Verified") name="phone_verified" checked=phone_verified />
                    </fieldset>
                    <Show when=invited fallback=move || view! {
                        <div class="reset-line">
                            <button type="button" class="btn small" disabled=move || reset.pending().get()
                                on:click=move |_| { reset.dispatch(()); }>{tr!("Send password reset")}</button>
                            <p role="status" class="muted">{move || reset_sent().then(|| loaded.get().map(|u| trf!("A reset link was sent to {email}. It works for an hour.", email = u.email)))}</p>
                        </div>
                    }>
                        <div class="reset-line">
                            <button type="button" class="btn small" disabled=move || resend.pending().get()
                                on:click=move |_| { resend.dispatch(()); }>{tr!("Resend invitation")}</button>
                            <p role="status" class="muted">{move || if resent() {
                                loaded.get().map(|u| trf!("A new invitation was sent to {email}. It works for 7 days; the older link no longer does.", email = u.email))
                            } else {
                                loaded.get().and_then(|u| u.invitation_expires_at().zip(u.invited_at)).map(|(until, at)| trf!("Invited on {sent}; the invitation works until {until} (UTC).", sent = date_time(&at), until = date_time(&until)))
                            }}</p>
                        </div>
                    </Show>
                    {move || {
                        let is_new = loaded.get().map(|u| u.status == UserStatus::New).unwrap_or(false);
                        let mut options = vec![];
                        if is_new {
                            options.push(("NEW".to_string(), tr!("New (has not signed in yet)").to_string()));
                        }
                        options.push(("ACTIVE".to_string(), tr!("Active").to_string()));
                        options.push(("INACTIVE".to_string(), tr!("Inactive (cannot sign in)").to_string()));
                        view! { <SelectField label=tr!("Status") name="status" value=status options=options error=status_error /> }
                    }}
                    <section class="sessions-section" aria-label=tr!("Sessions")>
                        <h3>{tr!("Sessions")}</h3>
                        <Transition fallback=|| ()>
                            {move || sessions.get().map(|r| match r {
                                Ok(rows) => view! {
                                    <SessionList rows=rows end_all_label=tr!("End all sessions")
                                        end=Some(EndWith::Callback(Callback::new(move |sid: Option<Uuid>| { end.dispatch(sid); }))) />
                                }.into_any(),
                                Err(e) => view! { <p class="muted">{error_text(&e)}</p> }.into_any(),
                            })}
                        </Transition>
                    </section>
                    {move || impersonate.zip(loaded.get()).map(|(go, u)| view! {
                        <div class="reset-line">
                            <button type="button" class="btn small" on:click=move |_| go.run(u.email.clone())>{tr!("Sign in as this user")}</button>
                            <p class="muted">{tr!("For support: see their account as they do, with a reason they will read.")}</p>
                        </div>
                    })}
                    {move || loaded.get().map(|u| view! {
                        <p class="meta-line">
                            "UUID " <code>{u.id.to_string()}</code>
                            " · " {trf!("Created {when}", when = date_time(&u.created_at))}
                            " · " {trf!("Last sign-in {when}", when = u.last_sign_in_at.as_ref().map(date_time).unwrap_or_else(|| tr!("never").into()))}
                        </p>
                    })}
                </Show>
                <ModalFooter on_cancel=on_close>
                    <button type="submit" class="btn primary" disabled=move || save.pending().get() || loaded.get().is_none()>
                        {move || if save.pending().get() { tr!("Saving…") } else { tr!("Save") }}
                    </button>
                </ModalFooter>
            </form>
        </Modal>
    }
}
