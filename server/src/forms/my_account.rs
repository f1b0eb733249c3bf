//! `POST /admin/me`: My account's forms — the language, the password, and the End buttons
//! of the sessions list. Each names what it asks for in its `intent`.

use super::{read_form, refused, Forms, Refusal};
use app::ui::staff::me::{Attempt, Intent, Notice};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use roster_core::request::RequestMeta;
use roster_core::{staff_account, Principal, Signed};
use roster_types::AppError;
use serde::Deserialize;
use uuid::Uuid;

/// Every field of My account's forms; each form sends its own.
#[derive(Deserialize, Default)]
#[serde(default)]
struct MyAccountPost {
    intent: String,
    language: String,
    current_password: String,
    new_password: String,
    session_id: String,
}

pub async fn my_account(State(forms): State<Forms>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let post = match read_form::<MyAccountPost>(body).await {
        Ok(post) => post,
        Err(e) => return refuse(&forms, parts, None, e).await,
    };
    let Some(intent) = Intent::parse(&post.intent) else {
        let e = AppError::BadRequest {
            detail: "the form names no change this page makes".into(),
        };
        return refuse(&forms, parts, None, e).await;
    };
    let meta = RequestMeta::from_parts(&parts);
    match act(&forms, &meta, intent, &post).await {
        Ok(notice) => Redirect::to(&notice.href()).into_response(),
        Err(e) => refuse(&forms, parts, Some(intent), e).await,
    }
}

/// Make the change the post asks for, as the staff member signed in on this request.
async fn act(
    forms: &Forms,
    meta: &RequestMeta,
    intent: Intent,
    post: &MyAccountPost,
) -> Result<Notice, AppError> {
    let state = &forms.state;
    let (session, me, _) = roster_core::staff::authorize(state, meta, None).await?;
    let signed = Signed {
        state,
        meta,
        principal: Principal::Staff,
        session: session.id,
        account: &me,
        impersonator: None,
    };
    Ok(match intent {
        // The page answering the redirect is in the new language: that says it is saved.
        Intent::Language => {
            staff_account::set_language(signed, &post.language).await?;
            Notice::None
        }
        Intent::Password => {
            let (current, new) = (&post.current_password, &post.new_password);
            staff_account::change_password(signed, current, new).await?;
            Notice::PasswordChanged
        }
        Intent::EndSession => {
            let id = Uuid::parse_str(&post.session_id).map_err(|_| AppError::BadRequest {
                detail: "session_id is not a session's id".into(),
            })?;
            Notice::Ended(staff_account::end_sessions(signed, Some(id)).await?)
        }
        Intent::EndOthers => Notice::Ended(staff_account::end_sessions(signed, None).await?),
    })
}

/// My account again, saying why `intent` was refused (and holding nothing that was typed).
async fn refuse(forms: &Forms, parts: Parts, intent: Option<Intent>, error: AppError) -> Response {
    let how = Refusal::from(&error);
    refused(&forms.render, parts, Attempt { intent, error }, how).await
}
