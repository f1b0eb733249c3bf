//! `POST /admin/mail`: Retry a failed mail (permission mail-view); 303 back to the page.

use super::{read_form, refused, Forms};
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use roster_core::request::RequestMeta;
use roster_types::{AppError, StaffPermission};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize, Default)]
#[serde(default)]
struct RetryPost {
    id: String,
}

pub async fn mail(State(forms): State<Forms>, req: Request) -> Response {
    use app::ui::mail::{RetryRefused, PATH};
    let (parts, body) = req.into_parts();
    let meta = RequestMeta::from_parts(&parts);
    let state = &forms.state;
    let done = async {
        let post: RetryPost = read_form(body).await?;
        let (_, me, _) =
            roster_core::staff::authorize(state, &meta, Some(StaffPermission::MailView)).await?;
        let id = Uuid::parse_str(&post.id).map_err(|_| AppError::NotFound)?;
        let actor = roster_core::audit::actor(roster_core::Principal::Staff, &me);
        roster_core::mail::retry(state, &meta.ip.to_string(), actor, id).await
    };
    match done.await {
        Ok(()) => Redirect::to(PATH).into_response(),
        Err(e) => {
            let how = (&e).into();
            refused(&forms.render, parts, RetryRefused(e), how).await
        }
    }
}
