//! `/verify-email`: GET shows the link's button (changing nothing), POST turns Email
//! Verified on (`roster_core::email_verification`).

use super::{answered, read_form, Forms, Refusal};
use app::ui::auth::verify::VerifyAnswer;
use axum::extract::{Query, Request, State};
use axum::response::Response;
use roster_core::request::RequestMeta;
use roster_types::AppError;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    token: String,
}

pub async fn verify_email_page(
    State(forms): State<Forms>,
    Query(q): Query<TokenForm>,
    req: Request,
) -> Response {
    let answer = if !roster_core::security::tokens::plausible(&q.token) {
        VerifyAnswer::Refused(AppError::MailLinkInvalid)
    } else {
        VerifyAnswer::Confirm(q.token)
    };
    show(&forms, req, answer).await
}

pub async fn verify_email(State(forms): State<Forms>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let meta = RequestMeta::from_parts(&parts);
    let answer = match read_form::<TokenForm>(body).await {
        Ok(f) => match roster_core::email_verification::verify(&forms.state, &meta, &f.token).await
        {
            Ok(()) => VerifyAnswer::Done,
            Err(e) => VerifyAnswer::Refused(e),
        },
        Err(e) => VerifyAnswer::Refused(e),
    };
    show(
        &forms,
        Request::from_parts(parts, axum::body::Body::empty()),
        answer,
    )
    .await
}

async fn show(forms: &Forms, req: Request, answer: VerifyAnswer) -> Response {
    let how = match &answer {
        VerifyAnswer::Refused(e) => Refusal::from(e),
        _ => Refusal {
            status: 200,
            retry_after: None,
        },
    };
    let (mut parts, _) = req.into_parts();
    parts.extensions.insert(answer);
    answered(&forms.render, parts, how).await
}
