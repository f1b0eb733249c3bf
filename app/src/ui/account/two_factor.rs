use crate::api::account::{
    confirm_my_two_factor, disable_my_two_factor, new_recovery_codes, start_my_two_factor,
};
use crate::tr;
use crate::ui::auth::RecoveryCodeList;
use crate::ui::common::FormErrors;
use crate::ui::common::TextField;
use crate::ui::i18n::error_text;
use leptos::prelude::*;
use roster_types::account::TwoFactorView;
use roster_types::{AppError, Enrolment, RecoveryCodes};

/// What the card shows besides the state line.
#[derive(Clone, PartialEq)]
enum Step {
    Idle,
    /// Scanning the new secret and typing the first code.
    Enrolling(Enrolment),
    /// The current password, before turning off (`false`) or new codes (`true`).
    Confirming {
        new_codes: bool,
    },
    Codes(RecoveryCodes),
}

/// The user's own 2FA: set up when off; new recovery codes when on; turn off when they
/// turned it on themselves (what staff switched on, only staff switch off).
#[component]
pub fn TwoFactorCard(
    state: TwoFactorView,
    /// The account changed: reload it.
    #[prop(into)]
    on_change: Callback<()>,
) -> impl IntoView {
    let step = RwSignal::new(Step::Idle);
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);

    let start = Action::new(|_: &()| start_my_two_factor());
    let confirm = Action::new(|c: &String| confirm_my_two_factor(c.clone()));
    let disable = Action::new(|p: &String| disable_my_two_factor(p.clone()));
    let regenerate = Action::new(|p: &String| new_recovery_codes(p.clone()));

    Effect::new(move |_| match start.value().get() {
        Some(Ok(e)) => {
            code.set(String::new());
            step.set(Step::Enrolling(e))
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    for codes in [confirm.value(), regenerate.value()] {
        Effect::new(move |_| match codes.get() {
            Some(Ok(c)) => {
                error.set(None);
                password.set(String::new());
                step.set(Step::Codes(c))
            }
            Some(Err(e)) => error.set(Some(e)),
            None => {}
        });
    }
    Effect::new(move |_| match disable.value().get() {
        Some(Ok(())) => on_change.run(()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });

    let errors = FormErrors::new(error);
    let banner = move || {
        error
            .get()
            .filter(|e| !matches!(e, AppError::Invalid { .. }))
            .map(|e| view! { <div class="banner error" role="alert">{error_text(&e)}</div> })
    };
    let busy = move || {
        start.pending().get()
            || confirm.pending().get()
            || disable.pending().get()
            || regenerate.pending().get()
    };
    let cancel = move |_| {
        error.set(None);
        step.set(Step::Idle)
    };

    view! {
        <section class="card" aria-labelledby="two-factor-heading">
            <h2 id="two-factor-heading">{tr!("Two-factor authentication")}</h2>
            <p data-testid="two-factor-state">
                <strong>{if state.enrolled { tr!("On") } else { tr!("Off") }}</strong>
                {state.enrolled.then(|| format!(" · {} {}", tr!("Recovery codes left:"), state.codes_left))}
            </p>
            {banner}
            {move || match step.get() {
                Step::Idle if !state.enrolled => view! {
                    <p class="muted">{tr!("Add a second step to your sign-in: a code from an authenticator app on your phone.")}</p>
                    <button type="button" class="btn primary" disabled=busy on:click=move |_| { error.set(None); start.dispatch(()); }>{tr!("Set up")}</button>
                }.into_any(),
                Step::Idle => view! {
                    {state.required.then(|| view! { <p class="muted">{tr!("Your administrator requires two-factor authentication for your account; only they can turn it off.")}</p> })}
                    <div class="actions">
                        <button type="button" class="btn" on:click=move |_| { error.set(None); step.set(Step::Confirming { new_codes: true }) }>{tr!("New recovery codes")}</button>
                        {(!state.required).then(|| view! {
                            <button type="button" class="btn danger" on:click=move |_| { error.set(None); step.set(Step::Confirming { new_codes: false }) }>{tr!("Turn off two-factor authentication")}</button>
                        })}
                    </div>
                }.into_any(),
                Step::Enrolling(e) => view! {
                    <p class="muted">{tr!("Scan this QR code with an authenticator app (or type the key), then enter the code it shows.")}</p>
                    <div class="qr" role="img" aria-label=tr!("QR code for your authenticator app") inner_html=e.qr_svg></div>
                    <p class="secret-line">{tr!("Key:")}" "<code data-testid="totp-secret">{e.secret}</code></p>
                    <form novalidate on:submit=move |ev| { ev.prevent_default(); error.set(None); confirm.dispatch(code.get_untracked()); }>
                        <TextField label=tr!("Authentication code") name="code" autocomplete="one-time-code" inputmode="numeric" value=code error=errors.field("code") autofocus=true />
                        <div class="actions">
                            <button type="button" class="btn" on:click=cancel>{tr!("Cancel")}</button>
                            <button type="submit" class="btn primary" disabled=busy>{tr!("Confirm")}</button>
                        </div>
                    </form>
                }.into_any(),
                Step::Confirming { new_codes } => view! {
                    <form novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        error.set(None);
                        if new_codes { regenerate.dispatch(password.get_untracked()); } else { disable.dispatch(password.get_untracked()); }
                    }>
                        <p>{tr!("Enter your current password to confirm.")}</p>
                        <TextField label=tr!("Current password") name="current_password" kind="password" autocomplete="current-password" value=password error=errors.field("current_password") autofocus=true />
                        <div class="actions">
                            <button type="button" class="btn" on:click=cancel>{tr!("Cancel")}</button>
                            <button type="submit" class=if new_codes { "btn primary" } else { "btn danger" } disabled=busy>
                                {if new_codes { tr!("New recovery codes") } else { tr!("Turn off two-factor authentication") }}
                            </button>
                        </div>
                    </form>
                }.into_any(),
                Step::Codes(codes) => view! {
                    <h3>{tr!("Save your recovery codes")}</h3>
                    <RecoveryCodeList codes=codes />
                    <button type="button" class="btn primary" on:click=move |_| on_change.run(())>{tr!("I have saved them — continue")}</button>
                }.into_any(),
            }}
        </section>
    }
}
