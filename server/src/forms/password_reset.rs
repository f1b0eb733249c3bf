//! Forgot password as plain forms (`app::ui::auth::reset`): `POST …/login/forgot` asks for
//! a link; `GET …/login/reset?token=…` checks the link before showing its form, and
//! `POST` sets the new password. The work is `roster_core::password_reset`, as for the API.

use super::{answered, read_form, Forms, Refusal};
use app::ui::auth::login::Audience;
use app::ui::auth::reset::{ForgotAnswer, ResetAnswer, ResetScreen};
use axum::extract::{Query, Request, State};
use axum::http::request::Parts;
use axum::response::Response;
use roster_core::password_reset;
use roster_core::request::RequestMeta;
use roster_core::Principal;
use roster_types::AppError;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
struct ForgotPost {
    email: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResetPost {
    token: String,
    new_password: String,
}

fn principal(a: Audience) -> Principal {
    match a {
        Audience::Staff => Principal::Staff,
        Audience::User => Principal::User,
    }
}

const OK: Refusal = Refusal {
    status: 200,
    retry_after: None,
};

pub async fn user_forgot(State(forms): State<Forms>, req: Request) -> Response {
    forgot(&forms, Audience::User, req).await
}

pub async fn staff_forgot(State(forms): State<Forms>, req: Request) -> Response {
    forgot(&forms, Audience::Staff, req).await
}

async fn forgot(forms: &Forms, audience: Audience, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    let meta = RequestMeta::from_parts(&parts);
    let (answer, how) = match read_form::<ForgotPost>(body).await {
        Ok(post) => {
            let asked =
                password_reset::request(&forms.state, &meta, principal(audience), &post.email)
                    .await;
            match asked {
                Ok(()) => (
                    ForgotAnswer {
                        sent: true,
                        ..Default::default()
                    },
                    OK,
                ),
                Err(e) => refusal_of_forgot(post.email, e),
            }
        }
        Err(e) => refusal_of_forgot(String::new(), e),
    };
    parts.extensions.insert(answer);
    answered(&forms.render, parts, how).await
}

fn refusal_of_forgot(email: String, e: AppError) -> (ForgotAnswer, Refusal) {
    let how = Refusal::from(&e);
    let answer = ForgotAnswer {
        sent: false,
        email,
        error: Some(e),
    };
    (answer, how)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LinkQuery {
    token: String,
}

pub async fn user_reset_page(
    State(forms): State<Forms>,
    Query(q): Query<LinkQuery>,
    req: Request,
) -> Response {
    reset_page(&forms, Audience::User, q.token, req).await
}

pub async fn staff_reset_page(
    State(forms): State<Forms>,
    Query(q): Query<LinkQuery>,
    req: Request,
) -> Response {
    reset_page(&forms, Audience::Staff, q.token, req).await
}

/// The link is checked before its form is shown: a used or expired one says so at once.
async fn reset_page(forms: &Forms, audience: Audience, token: String, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let works = password_reset::link_works(&forms.state, principal(audience), &token).await;
    let (screen, error) = match works {
        Ok(true) => (ResetScreen::Form(token), None),
        Ok(false) => (ResetScreen::Invalid, Some(AppError::MailLinkInvalid)),
        Err(e) => (ResetScreen::Invalid, Some(e)),
    };
    show(forms, parts, screen, error).await
}

pub async fn user_reset(State(forms): State<Forms>, req: Request) -> Response {
    reset(&forms, Audience::User, req).await
}

pub async fn staff_reset(State(forms): State<Forms>, req: Request) -> Response {
    reset(&forms, Audience::Staff, req).await
}

async fn reset(forms: &Forms, audience: Audience, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let meta = RequestMeta::from_parts(&parts);
    let post = match read_form::<ResetPost>(body).await {
        Ok(post) => post,
        Err(e) => return show(forms, parts, ResetScreen::Invalid, Some(e)).await,
    };
    let p = principal(audience);
    let done = password_reset::reset(&forms.state, &meta, p, &post.token, &post.new_password).await;
    match done {
        Ok(()) => show(forms, parts, ResetScreen::Done, None).await,
        Err(e @ AppError::MailLinkInvalid) => {
            show(forms, parts, ResetScreen::Invalid, Some(e)).await
        }
        // The password refused (or the server busy): the same form, the same link.
        Err(e) => show(forms, parts, ResetScreen::Form(post.token), Some(e)).await,
    }
}

/// The reset page showing `screen`, answered with the error's status (or 200).
async fn show(
    forms: &Forms,
    mut parts: Parts,
    screen: ResetScreen,
    error: Option<AppError>,
) -> Response {
    let how = error.as_ref().map_or(OK, Refusal::from);
    // The Invalid screen says why itself; the form shows the error in its banner.
    let error = match screen {
        ResetScreen::Invalid => None,
        _ => error,
    };
    parts.extensions.insert(ResetAnswer { screen, error });
    answered(&forms.render, parts, how).await
}
