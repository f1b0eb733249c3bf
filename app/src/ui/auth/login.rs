//! `/admin/login` and `/login`: signing in as plain HTML forms, with no WASM of their own.
//! Each step posts to the page itself (`server/src/forms/sign_in.rs`): the password, then
//! a code or a first enrolment. The server answers with the next step's page (`Screen`,
//! with the cookies the step earned), with the same step again and why it was refused, or,
//! once signed in, with a redirect to the landing page. A password never comes back.

use crate::tr;
use crate::ui::common::{posted, ErrorBanner, FormErrors, TextField};
use leptos::prelude::*;
use roster_types::{AppError, Enrolment, RecoveryCodes};

/// Who is signing in: the same steps, each with its own page and landing page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Staff,
    User,
}

impl Audience {
    /// The sign-in page, where its forms post.
    pub fn path(self) -> &'static str {
        match self {
            Audience::Staff => crate::ui::admin::STAFF_LOGIN,
            Audience::User => "/login",
        }
    }

    /// Where a completed sign-in lands.
    pub fn landing(self) -> &'static str {
        match self {
            Audience::Staff => "/admin",
            Audience::User => "/account",
        }
    }
}

/// What a sign-in post is: its `step` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Password,
    Code,
    /// The first code of an enrolment.
    Enrol,
}

impl Step {
    pub fn parse(raw: &str) -> Option<Step> {
        match raw {
            "password" => Some(Step::Password),
            "code" => Some(Step::Code),
            "enrol" => Some(Step::Enrol),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Step::Password => "password",
            Step::Code => "code",
            Step::Enrol => "enrol",
        }
    }
}

/// What the sign-in page shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    Password,
    Code,
    Enrol(Enrolment),
    /// Enrolled and signed in: the recovery codes, shown once before going on.
    Codes(RecoveryCodes),
}

/// The page the server answers a sign-in post with (none: the password step, empty).
#[derive(Clone, Debug)]
pub struct Answer {
    pub screen: Screen,
    /// The email typed at the password step, kept when it is refused.
    pub email: String,
    pub error: Option<AppError>,
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
    let Answer {
        screen,
        email,
        error,
    } = posted::<Answer>().unwrap_or(Answer {
        screen: Screen::Password,
        email: String::new(),
        error: None,
    });
    let action = audience.path();
    let errors = FormErrors::new(Signal::stored(error));
    let banner = errors.banner();
    // Back from a refused password, the email is kept: the password is what to type next.
    let email_kept = !email.is_empty();
    let (email, password, code) = (
        RwSignal::new(email),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let step = |s: Step| view! { <input type="hidden" name="step" value=s.code() /> };
    let screen = match screen {
        Screen::Password => view! {
            <h1>{if audience == Audience::Staff { tr!("Staff sign-in") } else { tr!("Sign in") }}</h1>
            <ErrorBanner message=banner />
            <form method="post" action=action novalidate>
                {step(Step::Password)}
                <TextField label=tr!("Email") name="email" kind="email" autocomplete="username" value=email error=errors.field("email") autofocus=!email_kept required=true />
                <TextField label=tr!("Password") name="password" kind="password" autocomplete="current-password" value=password error=errors.field("password") autofocus=email_kept required=true />
                <button class="btn primary wide" type="submit">{tr!("Sign in")}</button>
            </form>
            <p><a href=audience.forgot_path()>{tr!("Forgot password?")}</a></p>
        }
        .into_any(),
        Screen::Code => view! {
            <h1>{tr!("Two-factor authentication")}</h1>
            <p class="muted">{tr!("Enter the 6-digit code from your authenticator app, or one of your recovery codes.")}</p>
            <ErrorBanner message=banner />
            <form method="post" action=action novalidate>
                {step(Step::Code)}
                <TextField label=tr!("Authentication code") name="code" autocomplete="one-time-code" value=code error=errors.field("code") autofocus=true required=true />
                <button class="btn primary wide" type="submit">{tr!("Verify")}</button>
            </form>
        }
        .into_any(),
        Screen::Enrol(e) => view! {
            <h1>{tr!("Set up two-factor authentication")}</h1>
            <p class="muted">{if audience == Audience::Staff {
                tr!("Two-factor authentication is required for staff. Scan this QR code with an authenticator app (or type the key), then enter the code it shows.")
            } else {
                tr!("Two-factor authentication is on for your account. Scan this QR code with an authenticator app (or type the key), then enter the code it shows.")
            }}</p>
            // The SVG is the server's own drawing of the key, never input.
            <div class="qr" role="img" aria-label=tr!("QR code for your authenticator app") inner_html=e.qr_svg></div>
            <p class="secret-line">{tr!("Key:")}" "<code data-testid="totp-secret">{e.secret}</code></p>
            <ErrorBanner message=banner />
            <form method="post" action=action novalidate>
                {step(Step::Enrol)}
                <TextField label=tr!("Authentication code") name="code" autocomplete="one-time-code" inputmode="numeric" value=code error=errors.field("code") autofocus=true required=true />
                <button class="btn primary wide" type="submit">{tr!("Confirm and sign in")}</button>
            </form>
        }
        .into_any(),
        Screen::Codes(codes) => view! {
            <h1>{tr!("Save your recovery codes")}</h1>
            <RecoveryCodeList codes=codes />
            <a class="btn primary wide" href=audience.landing()>{tr!("I have saved them — continue")}</a>
        }
        .into_any(),
    };
    view! { <super::reset::Card>{screen}</super::reset::Card> }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_is_read_back_from_its_code_and_nothing_else_is_a_step() {
        for s in [Step::Password, Step::Code, Step::Enrol] {
            assert_eq!(Step::parse(s.code()), Some(s));
        }
        for bad in ["", "Password", "enroll", "code\0", "done"] {
            assert_eq!(Step::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn each_audience_signs_in_on_its_own_page_and_lands_on_its_own() {
        assert_eq!(Audience::Staff.path(), "/admin/login");
        assert_eq!(Audience::User.path(), "/login");
        assert_eq!(Audience::Staff.landing(), "/admin");
        assert_eq!(Audience::User.landing(), "/account");
    }
}
