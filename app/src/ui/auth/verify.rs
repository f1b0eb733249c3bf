//! `/verify-email?token=…`: the link a new user is mailed. Opening it shows a button;
//! posting it (`server/src/forms/verify_email.rs`) turns Email Verified on. A GET changes
//! nothing, so a mail scanner that fetches links cannot use the link up.

use super::reset::Card;
use crate::tr;
use crate::ui::common::posted;
use leptos::prelude::*;
use roster_types::links::VERIFY_EMAIL;
use roster_types::AppError;

/// What the page shows: the button for this token, the result, or why not.
#[derive(Clone, Debug, PartialEq)]
pub enum VerifyAnswer {
    Confirm(String),
    Done,
    Refused(AppError),
}

#[component]
pub fn VerifyEmail() -> impl IntoView {
    let answer =
        posted::<VerifyAnswer>().unwrap_or(VerifyAnswer::Refused(AppError::MailLinkInvalid));
    let heading = if answer == VerifyAnswer::Done {
        tr!("Email confirmed")
    } else {
        tr!("Confirm my email")
    };
    let body = match answer {
        VerifyAnswer::Confirm(token) => view! {
            <form method="post" action=VERIFY_EMAIL>
                <input type="hidden" name="token" value=token />
                <button class="btn primary wide" type="submit">{tr!("Confirm my email")}</button>
            </form>
        }
        .into_any(),
        VerifyAnswer::Done => view! {
            <div class="banner success" role="status">{tr!("Your email is confirmed. You can sign in now.")}</div>
        }
        .into_any(),
        VerifyAnswer::Refused(e) => view! {
            <div class="banner error" role="alert">{crate::ui::i18n::error_text(&e)}</div>
        }
        .into_any(),
    };
    view! {
        <Card>
            <h1>{heading}</h1>
            {body}
            <p><a href="/login">{tr!("Back to sign-in")}</a></p>
        </Card>
    }
}
