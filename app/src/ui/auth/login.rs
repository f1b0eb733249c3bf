use crate::api::{account as user_api, staff_auth as staff_api};
use crate::tr;
use crate::ui::common::FormErrors;
use crate::ui::common::{go_to, post_once, ErrorBanner, TextField};
use crate::ui::i18n::t;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use roster_types::{AppError, Enrolment, RecoveryCodes, SecondFactor, SignInStep, TotpCode};

/// Where the form stands.
#[derive(Clone, PartialEq)]
enum Stage {
    Password,
    Code,
    Enrol(Enrolment),
    /// Enrolled and signed in: the recovery codes, shown once before going on.
    Codes(RecoveryCodes),
}

/// Who is signing in: the same steps, each with its own endpoints and landing page.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Staff,
    User,
}

/// `/admin/login`: staff sign-in.
#[component]
pub fn StaffLogin() -> impl IntoView {
    view! { <SignIn audience=Audience::Staff /> }
}

/// `/login`: users' sign-in; they land on `/account`.
#[component]
pub fn UserLogin() -> impl IntoView {
    view! { <SignIn audience=Audience::User /> }
}

/// Password, then a code or a forced enrolment, in the browser's language.
#[component]
fn SignIn(audience: Audience) -> impl IntoView {
    let landing = match audience {
        Audience::Staff => "/admin",
        Audience::User => "/account",
    };
    let stage = RwSignal::new(Stage::Password);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let local_code_error = RwSignal::new(None::<String>);

    let advance = move |step: SignInStep| match step {
        SignInStep::Done => go_to(landing),
        SignInStep::Enrolled(codes) => stage.set(Stage::Codes(codes)),
        SignInStep::NeedCode => {
            code.set(String::new());
            stage.set(Stage::Code)
        }
        SignInStep::NeedEnrolment(e) => {
            code.set(String::new());
            stage.set(Stage::Enrol(e))
        }
    };

    // The browser's own `fetch` (`post_form`), not the server-function client: these are
    // the page's only calls, and the client's code would make the sign-in pages heavier.
    // Plain tasks rather than `Action`s and an `Effect`, for the same reason.
    let busy = RwSignal::new(false);
    let finish = move |result: Result<SignInStep, AppError>| match result {
        Ok(step) => {
            error.set(None);
            advance(step)
        }
        Err(AppError::SignIn {
            reason: roster_types::SignInRefusal::StepExpired,
        }) => {
            stage.set(Stage::Password);
            error.set(Some(AppError::SignIn {
                reason: roster_types::SignInRefusal::StepExpired,
            }));
        }
        Err(e) => error.set(Some(e)),
    };
    let send = move |path: &'static str, fields: Vec<(&'static str, String)>| {
        post_once::<SignInStep>(busy, path, fields, finish)
    };
    let send_password = move |e: String, p: String| {
        let path = match audience {
            Audience::Staff => <staff_api::StaffSignIn as ServerFn>::PATH,
            Audience::User => <user_api::UserSignIn as ServerFn>::PATH,
        };
        send(path, vec![("email", e), ("password", p)])
    };
    let send_code = move |c: String, enrolling: bool| {
        let path = match (audience, enrolling) {
            (Audience::Staff, true) => <staff_api::StaffConfirmEnrolment as ServerFn>::PATH,
            (Audience::Staff, false) => <staff_api::StaffSubmitCode as ServerFn>::PATH,
            (Audience::User, true) => <user_api::UserConfirmEnrolment as ServerFn>::PATH,
            (Audience::User, false) => <user_api::UserSubmitCode as ServerFn>::PATH,
        };
        send(path, vec![("code", c)])
    };

    let errors = FormErrors::new(error);
    let banner = errors.banner();
    let pending = move || busy.get();

    let submit_password = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        send_password(email.get_untracked(), password.get_untracked());
    };
    let submit_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let enrolling = matches!(stage.get_untracked(), Stage::Enrol(_));
        let raw = code.get_untracked();
        // Recovery codes exist only once enrolled.
        let checked = if enrolling {
            TotpCode::parse(&raw).map(|_| ())
        } else {
            SecondFactor::parse(&raw).map(|_| ())
        };
        match checked {
            Err(e) => {
                local_code_error.set(Some(t(roster_types::i18n::Message::msg(&e)).to_string()))
            }
            Ok(()) => {
                local_code_error.set(None);
                send_code(raw, enrolling);
            }
        }
    };
    let code_error = Signal::derive(move || {
        local_code_error
            .get()
            .or_else(|| errors.field("code").get())
    });

    view! {
        <main class="page-center">
            <div class="card narrow">
                <div class="brand-mark">"Roster"</div>
                {move || {
                    match stage.get() {
                    Stage::Password => view! {
                        <h1>{if audience == Audience::Staff { tr!("Staff sign-in") } else { tr!("Sign in") }}</h1>
                        <ErrorBanner message=banner />
                        <form on:submit=submit_password novalidate>
                            <TextField label=tr!("Email") name="email" kind="email" autocomplete="username" value=email error=errors.field("email") autofocus=true required=true />
                            <TextField label=tr!("Password") name="password" kind="password" autocomplete="current-password" value=password error=errors.field("password") required=true />
                            <button class="btn primary wide" type="submit" disabled=pending>{tr!("Sign in")}</button>
                        </form>
                    }.into_any(),
                    Stage::Code => view! {
                        <h1>{tr!("Two-factor authentication")}</h1>
                        <p class="muted">{tr!("Enter the 6-digit code from your authenticator app, or one of your recovery codes.")}</p>
                        <ErrorBanner message=banner />
                        <form on:submit=submit_code novalidate>
                            <TextField label=tr!("Authentication code") name="code" autocomplete="one-time-code" value=code error=code_error autofocus=true required=true />
                            <button class="btn primary wide" type="submit" disabled=pending>{tr!("Verify")}</button>
                        </form>
                    }.into_any(),
                    Stage::Enrol(e) => view! {
                        <h1>{tr!("Set up two-factor authentication")}</h1>
                        <p class="muted">{if audience == Audience::Staff {
                            tr!("Two-factor authentication is required for staff. Scan this QR code with an authenticator app (or type the key), then enter the code it shows.")
                        } else {
                            tr!("Two-factor authentication is on for your account. Scan this QR code with an authenticator app (or type the key), then enter the code it shows.")
                        }}</p>
                        <div class="qr" role="img" aria-label=tr!("QR code for your authenticator app") inner_html=e.qr_svg></div>
                        <p class="secret-line">{tr!("Key:")}" "<code data-testid="totp-secret">{e.secret}</code></p>
                        <ErrorBanner message=banner />
                        <form on:submit=submit_code novalidate>
                            <TextField label=tr!("Authentication code") name="code" autocomplete="one-time-code" inputmode="numeric" value=code error=code_error autofocus=true required=true />
                            <button class="btn primary wide" type="submit" disabled=pending>{tr!("Confirm and sign in")}</button>
                        </form>
                    }.into_any(),
                    Stage::Codes(codes) => view! {
                        <h1>{tr!("Save your recovery codes")}</h1>
                        <RecoveryCodeList codes=codes />
                        <button class="btn primary wide" type="button" on:click=move |_| go_to(landing)>{tr!("I have saved them — continue")}</button>
                    }.into_any(),
                }}}
            </div>
        </main>
    }
}

/// The ten codes, shown once, with a text file to keep them in.
#[component]
pub fn RecoveryCodeList(codes: RecoveryCodes) -> impl IntoView {
    // Codes are [0-9a-z-]: the line breaks are all that needs escaping in the URL.
    let href = format!(
        "data:text/plain;charset=utf-8,{}%0A",
        codes.codes.join("%0A")
    );
    view! {
        <p>{tr!("If you lose your authenticator app, each of these codes signs you in once. They are shown only now: write them down or keep them in a password manager.")}</p>
        <ol class="recovery-codes" aria-label=tr!("Recovery codes")>
            {codes.codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
        </ol>
        <p><a href=href download="roster-recovery-codes.txt">{tr!("Download")}" (.txt)"</a></p>
    }
}
