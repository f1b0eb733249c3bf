//! `/accept-invitation?token=…`: the link an invited user is mailed. The page names the
//! account and asks for a password; posting it (`server/src/forms/invitation.rs`) accepts
//! the invitation. The server checks the link before the form is shown.

use super::reset::Card;
use crate::ui::common::{posted, ErrorBanner, FormErrors, TextField};
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::links::ACCEPT_INVITATION;
use roster_types::AppError;

/// What the page shows.
#[derive(Clone, Debug, PartialEq)]
pub enum InvitationScreen {
    /// The password form for this token, for the account with this email.
    Form { token: String, email: String },
    /// The link is used, expired, voided or unknown.
    Invalid,
    /// Accepted; `two_factor` when staff require 2FA (set up at the first sign-in).
    Done { two_factor: bool },
}

#[derive(Clone, Debug)]
pub struct InvitationAnswer {
    pub screen: InvitationScreen,
    pub error: Option<AppError>,
}

#[component]
pub fn AcceptInvitation() -> impl IntoView {
    let answer = posted::<InvitationAnswer>().unwrap_or(InvitationAnswer {
        screen: InvitationScreen::Invalid,
        error: None,
    });
    let errors = FormErrors::new(Signal::stored(answer.error));
    let password = RwSignal::new(String::new());
    let body = match answer.screen {
        InvitationScreen::Form { token, email } => view! {
            <p>{trf!("Choose the password for {email}. You sign in with this email and the password.", email = email.clone())}</p>
            <ErrorBanner message=errors.banner() />
            <form method="post" action=ACCEPT_INVITATION novalidate>
                <input type="hidden" name="token" value=token />
                <input type="hidden" name="email" value=email autocomplete="username" />
                <TextField label=tr!("New password") name="new_password" kind="password" autocomplete="new-password" value=password error=errors.field("new_password") autofocus=true required=true />
                <button class="btn primary wide" type="submit">{tr!("Accept the invitation")}</button>
            </form>
        }
        .into_any(),
        InvitationScreen::Invalid => view! {
            <div class="banner error" role="alert">{crate::ui::i18n::error_text(&AppError::MailLinkInvalid)}</div>
        }
        .into_any(),
        InvitationScreen::Done { two_factor } => view! {
            <div class="banner success" role="status">
                {tr!("Your password is set. Sign in with your email and the new password.")}
                {two_factor.then(|| view! { " " {tr!("You will then set up two-factor authentication with an authenticator app.")} })}
            </div>
            <p><a class="btn primary wide" href="/login">{tr!("Sign in")}</a></p>
        }
        .into_any(),
    };
    view! {
        <Card>
            <h1>{tr!("Accept the invitation")}</h1>
            {body}
        </Card>
    }
}
