//! `/accept-invitation`: GET checks the link and shows the password form for its account,
//! POST accepts (`roster_core::invitations`). A refused password shows the same form with
//! the same link; a used or expired link says so.

use super::{answered, read_form, Forms, Refusal};
use app::ui::auth::invitation::{InvitationAnswer, InvitationScreen};
use axum::extract::{Query, Request, State};
use axum::http::request::Parts;
use axum::response::Response;
use roster_core::invitations;
use roster_core::request::RequestMeta;
use roster_types::AppError;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LinkQuery {
    token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AcceptPost {
    token: String,
    new_password: String,
}

pub async fn accept_invitation_page(
    State(forms): State<Forms>,
    Query(q): Query<LinkQuery>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let (screen, error) = form_for(&forms, q.token).await;
    show(&forms, parts, screen, error).await
}

/// The form for a working link, or why not.
async fn form_for(forms: &Forms, token: String) -> (InvitationScreen, Option<AppError>) {
    match invitations::invitee(&forms.state, &token).await {
        Ok(Some(u)) => (
            InvitationScreen::Form {
                token,
                email: u.email,
            },
            None,
        ),
        Ok(None) => (InvitationScreen::Invalid, Some(AppError::MailLinkInvalid)),
        Err(e) => (InvitationScreen::Invalid, Some(e)),
    }
}

pub async fn accept_invitation(State(forms): State<Forms>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let meta = RequestMeta::from_parts(&parts);
    let post = match read_form::<AcceptPost>(body).await {
        Ok(post) => post,
        Err(e) => return show(&forms, parts, InvitationScreen::Invalid, Some(e)).await,
    };
    let done = invitations::accept(&forms.state, &meta, &post.token, &post.new_password).await;
    match done {
        // The Done screen says whether 2FA comes next.
        Ok(u) => {
            let screen = InvitationScreen::Done {
                two_factor: u.two_factor,
            };
            show(&forms, parts, screen, None).await
        }
        Err(e @ AppError::MailLinkInvalid) => {
            show(&forms, parts, InvitationScreen::Invalid, Some(e)).await
        }
        // The password refused (or the server busy): the same form, the same link.
        Err(e) => {
            let (screen, _) = form_for(&forms, post.token).await;
            show(&forms, parts, screen, Some(e)).await
        }
    }
}

/// The page showing `screen`, answered with the error's status (or 200).
async fn show(
    forms: &Forms,
    mut parts: Parts,
    screen: InvitationScreen,
    error: Option<AppError>,
) -> Response {
    let how = error.as_ref().map_or(
        Refusal {
            status: 200,
            retry_after: None,
        },
        Refusal::from,
    );
    let error = match screen {
        InvitationScreen::Invalid => None,
        _ => error,
    };
    parts.extensions.insert(InvitationAnswer { screen, error });
    answered(&forms.render, parts, how).await
}
