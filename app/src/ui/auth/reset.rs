//! Forgot password, as plain HTML forms like the sign-in pages: `…/login/forgot` asks for a
//! link by mail, `…/login/reset?token=…` (the link) sets the new password. The server's
//! handlers (`server/src/forms/password_reset.rs`) do the work and hand these pages what to
//! show (`ForgotAnswer`, `ResetAnswer`); a typed password never comes back.

use super::login::Audience;
use crate::tr;
use crate::ui::common::{posted, ErrorBanner, FormErrors, PageReady, TextField};
use leptos::prelude::*;
use roster_types::links;
use roster_types::AppError;

impl Audience {
    /// Where to ask for a reset link.
    pub fn forgot_path(self) -> &'static str {
        match self {
            Audience::Staff => links::STAFF_FORGOT,
            Audience::User => links::USER_FORGOT,
        }
    }

    /// The page a reset link opens.
    pub fn reset_path(self) -> &'static str {
        match self {
            Audience::Staff => links::STAFF_RESET,
            Audience::User => links::USER_RESET,
        }
    }
}

/// What the forgot-password page shows after a post.
#[derive(Clone, Debug, Default)]
pub struct ForgotAnswer {
    /// Asked: the same words whether or not the email has an account.
    pub sent: bool,
    pub email: String,
    pub error: Option<AppError>,
}

/// What the reset page shows.
#[derive(Clone, Debug, PartialEq)]
pub enum ResetScreen {
    /// The new-password form for this token.
    Form(String),
    /// The link is used, expired or unknown.
    Invalid,
    Done,
}

#[derive(Clone, Debug)]
pub struct ResetAnswer {
    pub screen: ResetScreen,
    pub error: Option<AppError>,
}

#[component]
pub fn UserForgot() -> impl IntoView {
    view! { <Forgot audience=Audience::User /> }
}

#[component]
pub fn StaffForgot() -> impl IntoView {
    view! { <Forgot audience=Audience::Staff /> }
}

#[component]
pub fn UserReset() -> impl IntoView {
    view! { <Reset audience=Audience::User /> }
}

#[component]
pub fn StaffReset() -> impl IntoView {
    view! { <Reset audience=Audience::Staff /> }
}

#[component]
fn Forgot(audience: Audience) -> impl IntoView {
    let answer = posted::<ForgotAnswer>().unwrap_or_default();
    let errors = FormErrors::new(Signal::stored(answer.error));
    let email = RwSignal::new(answer.email);
    let body = if answer.sent {
        view! {
            <div class="banner success" role="status">{tr!("If an account uses that email, a link to choose a new password is on its way. It works for an hour.")}</div>
        }
        .into_any()
    } else {
        view! {
            <p class="muted">{tr!("Enter the email you sign in with. If an account uses it, a link to choose a new password is sent to it; the link works for an hour.")}</p>
            <ErrorBanner message=errors.banner() />
            <form method="post" action=audience.forgot_path() novalidate>
                <TextField label=tr!("Email") name="email" kind="email" autocomplete="username" value=email error=errors.field("email") autofocus=true required=true />
                <button class="btn primary wide" type="submit">{tr!("Send the link")}</button>
            </form>
        }
        .into_any()
    };
    view! {
        <Card>
            <h1>{tr!("Reset your password")}</h1>
            {body}
            <p><a href=audience.path()>{tr!("Back to sign-in")}</a></p>
        </Card>
    }
}

#[component]
fn Reset(audience: Audience) -> impl IntoView {
    let answer = posted::<ResetAnswer>().unwrap_or(ResetAnswer {
        screen: ResetScreen::Invalid,
        error: None,
    });
    let errors = FormErrors::new(Signal::stored(answer.error));
    let password = RwSignal::new(String::new());
    let body = match answer.screen {
        ResetScreen::Form(token) => view! {
            <ErrorBanner message=errors.banner() />
            <form method="post" action=audience.reset_path() novalidate>
                <input type="hidden" name="token" value=token />
                <TextField label=tr!("New password") name="new_password" kind="password" autocomplete="new-password" value=password error=errors.field("new_password") autofocus=true required=true />
                <button class="btn primary wide" type="submit">{tr!("Choose a new password")}</button>
            </form>
        }
        .into_any(),
        ResetScreen::Invalid => view! {
            <div class="banner error" role="alert">{AppError::MailLinkInvalid.to_string()}</div>
            <p><a class="btn primary wide" href=audience.forgot_path()>{tr!("Ask for a new link")}</a></p>
        }
        .into_any(),
        ResetScreen::Done => view! {
            <div class="banner success" role="status">{tr!("Your password was changed and every session signed out. Sign in with the new password.")}</div>
        }
        .into_any(),
    };
    view! {
        <Card>
            <h1>{tr!("Choose a new password")}</h1>
            {body}
            <p><a href=audience.path()>{tr!("Back to sign-in")}</a></p>
        </Card>
    }
}

/// The centred card of the sign-in pages.
#[component]
pub(super) fn Card(children: Children) -> impl IntoView {
    view! {
        <main class="page-center">
            <div class="card narrow">
                <div class="brand-mark">"Roster"</div>
                {children()}
            </div>
            <PageReady />
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_audience_has_its_own_forgot_and_reset_pages_beside_its_sign_in() {
        for a in [Audience::Staff, Audience::User] {
            assert!(a.forgot_path().starts_with(a.path()));
            assert!(a.reset_path().starts_with(a.path()));
        }
        assert_ne!(Audience::Staff.reset_path(), Audience::User.reset_path());
    }
}
