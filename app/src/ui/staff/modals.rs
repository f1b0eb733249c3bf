//! The Staff page's modals, a lazy chunk of their own (see `controls`).

use super::permissions::StaffPermissionPicker;
use crate::api::staff::{create_staff, reset_staff_two_factor, unlock_staff, update_staff};
use crate::ui::common::{ErrorBanner, FormErrors, Modal, ModalFooter, TextField, Toggle};
use crate::ui::i18n::{error_text, t};
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::staff_members::{NewStaffForm, StaffRole, StaffRow};
use roster_types::StaffPermission;

fn codes(p: &[StaffPermission]) -> String {
    p.iter().map(|p| p.code()).collect::<Vec<_>>().join(",")
}

/// + Add staff member: email, first password and permissions.
#[component]
pub fn CreateStaffModal(
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<String>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let perms = RwSignal::new(StaffRole::Support.permissions());
    let save = Action::new(|f: &NewStaffForm| create_staff(f.clone()));
    Effect::new(move |_| {
        if let Some(Ok(s)) = save.value().get() {
            on_saved.run(trf!(
                "{email} added; they set up 2FA at first sign-in",
                email = s.email
            ));
        }
    });
    let errors = FormErrors::of(save);
    view! {
        <Modal title=tr!("Add staff member") on_close=on_close>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                let f = NewStaffForm { email: email.get_untracked(), password: password.get_untracked(), permissions: vec![codes(&perms.get_untracked())] };
                let problems = f.check();
                let ok = problems.is_empty();
                errors.local.set(problems);
                if ok { save.dispatch(f); }
            }>
                <ErrorBanner message=errors.banner() />
                <TextField label=tr!("Email") name="email" kind="email" value=email error=errors.field("email") autofocus=true />
                <TextField label=tr!("Password") name="password" kind="password" autocomplete="new-password" value=password error=errors.field("password") />
                <StaffPermissionPicker selected=perms />
                <p class="field-error" role="alert">{move || errors.field("permissions").get()}</p>
                <ModalFooter on_cancel=on_close>
                    <button type="submit" class="btn primary" disabled=move || save.pending().get()>{tr!("Add")}</button>
                </ModalFooter>
            </form>
        </Modal>
    }
}

/// Edit: permissions, Active, unlocking a locked sign-in, resetting 2FA.
#[component]
pub fn EditStaffModal(
    row: StaffRow,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<String>,
) -> impl IntoView {
    let id = row.id;
    let email = row.email.clone();
    let perms = RwSignal::new(row.permissions.clone());
    let active = RwSignal::new(row.active);
    let save = Action::new(move |(p, a): &(String, bool)| update_staff(id, p.clone(), *a));
    let reset = Action::new(move |_: &()| reset_staff_two_factor(id));
    let unlock = Action::new(move |_: &()| unlock_staff(id));
    let done = email.clone();
    let unlocked = email.clone();
    Effect::new(move |_| {
        if let Some(Ok(_)) = unlock.value().get() {
            on_saved.run(trf!("Sign-in of {email} unlocked", email = unlocked));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(s)) = save.value().get() {
            on_saved.run(trf!("Changes to {email} saved", email = s.email));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = reset.value().get() {
            on_saved.run(trf!(
                "2FA of {email} reset: they enrol again at next sign-in",
                email = done
            ));
        }
    });
    let banner = Signal::derive(move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| reset.value().get().and_then(|r| r.err()))
            .or_else(|| unlock.value().get().and_then(|r| r.err()))
            .map(|e| error_text(&e))
    });
    view! {
        <Modal title=trf!("Edit {email}", email = email) on_close=on_close>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch((codes(&perms.get_untracked()), active.get_untracked()));
            }>
                <ErrorBanner message=banner />
                <StaffPermissionPicker selected=perms />
                <Toggle label=tr!("Active") name="active" checked=active hint=tr!("Inactive staff cannot sign in; their sessions end.") />
                {row.lock_reason.map(|r| view! {
                    <section class="card subtle">
                        <h3>{tr!("Sign-in locked")}</h3>
                        <p class="muted small">{trf!("Sign-in is {reason}. Unlock it when you know it was them.", reason = t(r.label()))}</p>
                        <button type="button" class="btn small" disabled=move || unlock.pending().get() on:click=move |_| { unlock.dispatch(()); }>{tr!("Unlock")}</button>
                    </section>
                })}
                <section class="card subtle">
                    <h3>{tr!("Two-factor authentication")}</h3>
                    <p class="muted small">{if row.enrolled { tr!("Enrolled.") } else { tr!("Not enrolled yet.") }}
                        " " {tr!("Reset it when they lost their authenticator: the enrolment and recovery codes are removed and their sessions end.")}</p>
                    <button type="button" class="btn danger small" disabled=move || reset.pending().get() on:click=move |_| { reset.dispatch(()); }>{tr!("Reset 2FA")}</button>
                </section>
                <ModalFooter on_cancel=on_close>
                    <button type="submit" class="btn primary" disabled=move || save.pending().get()>{tr!("Save")}</button>
                </ModalFooter>
            </form>
        </Modal>
    }
}
