use super::permissions::StaffPermissionPicker;
use crate::api::staff::{
    create_staff, list_staff, reset_staff_two_factor, unlock_staff, update_staff,
};
use crate::ui::common::FormErrors;
use crate::ui::common::{
    badge, lock_badge, short_date, use_me, use_toasts, ErrorBanner, Modal, ModalFooter, PageHead,
    Refresh, Table, TextField, Toggle,
};
use crate::ui::i18n::{error_text, t};
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::staff_members::{NewStaffForm, StaffRole, StaffRow};
use roster_types::StaffPermission;

#[derive(Clone, PartialEq)]
enum Dialog {
    None,
    Create,
    Edit(StaffRow),
}

fn codes(p: &[StaffPermission]) -> String {
    p.iter().map(|p| p.code()).collect::<Vec<_>>().join(",")
}

/// For reading: the codes with room to wrap.
fn codes_readable(p: &[StaffPermission]) -> String {
    p.iter().map(|p| p.code()).collect::<Vec<_>>().join(", ")
}

/// `/admin/staff` (permission staff-manage): the list, + Add staff member, Edit.
#[component]
pub fn StaffPage() -> impl IntoView {
    let me = use_me();
    let my_id = move || me.get().map(|m| m.id);
    let refresh = Refresh::new();
    let staff = Resource::new(move || refresh.version(), |_| list_staff());
    let dialog = RwSignal::new(Dialog::None);
    let toasts = use_toasts();
    let close = Callback::new(move |_: ()| dialog.set(Dialog::None));
    let saved = Callback::new(move |msg: String| {
        dialog.set(Dialog::None);
        toasts.show(msg);
        refresh.bump();
    });
    view! {
        <PageHead title=tr!("Staff")>
            <button type="button" class="btn primary" on:click=move |_| dialog.set(Dialog::Create)>{tr!("+ Add staff member")}</button>
        </PageHead>
        <Transition fallback=|| view! { <p class="muted">{tr!("Loading…")}</p> }>
            {move || staff.get().map(|r| match r {
                Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                Ok(rows) => view! {
                    <Table class="staff" head=view! {
                        <th scope="col">{tr!("Email")}</th><th scope="col">{tr!("Role")}</th><th scope="col">{tr!("Status")}</th>
                        <th scope="col">"2FA"</th><th scope="col">{tr!("Last sign-in")}</th><th scope="col"><span class="sr-only">{tr!("Actions")}</span></th>
                    }.into_any()>
                        {rows.into_iter().map(|s| {
                            let row = s.clone();
                            let you = my_id() == Some(s.id);
                            view! {
                                <tr>
                                    <td data-label=tr!("Email")>{s.email.clone()}{you.then(|| view! { " " <span class="badge ok">{tr!("you")}</span> })}</td>
                                    <td data-label=tr!("Role")>{s.role().map_or(tr!("Custom"), |r| t(r.label()))}
                                        <div class="muted small">{codes_readable(&s.permissions)}</div></td>
                                    <td data-label=tr!("Status") class="badges">{if s.active { badge("ACTIVE", "ok") } else { badge("INACTIVE", "off") }}
                                        {s.lock_reason.map(lock_badge)}</td>
                                    <td data-label="2FA">{if s.enrolled { "on" } else { "not enrolled" }}</td>
                                    <td data-label=tr!("Last sign-in")>{s.last_sign_in_at.as_ref().map(short_date).unwrap_or_else(|| "Never".into())}</td>
                                    <td class="actions-cell">
                                        <button type="button" class="btn small" aria-label=trf!("Edit {email}", email = s.email)
                                            on:click=move |_| dialog.set(Dialog::Edit(row.clone()))>{tr!("Edit")}</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </Table>
                }.into_any(),
            })}
        </Transition>
        {move || match dialog.get() {
            Dialog::None => ().into_any(),
            Dialog::Create => view! { <CreateStaffModal on_close=close on_saved=saved /> }.into_any(),
            Dialog::Edit(s) => view! { <EditStaffModal row=s on_close=close on_saved=saved /> }.into_any(),
        }}
    }
}

#[component]
fn CreateStaffModal(
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

#[component]
fn EditStaffModal(
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
