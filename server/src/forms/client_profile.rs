//! `POST /admin/clients/{id}`: a client page's Profile form (save, or delete the client).

use super::{page_again, read_form, refused, Forms, Refusal};
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use roster_core::acting::Acting;
use roster_core::request::RequestMeta;
use roster_core::state::AppState;
use roster_types::clients::ClientForm;
use roster_types::{AppError, StaffPermission};
use serde::Deserialize;
use uuid::Uuid;

/// The Profile form of a client's page, as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ProfilePost {
    intent: String,
    version: String,
    #[serde(flatten)]
    form: ClientForm,
}

pub async fn client_profile(
    State(forms): State<Forms>,
    Path(raw_id): Path<String>,
    req: Request,
) -> Response {
    use app::ui::clients::{ProfileAttempt as Attempt, DELETE, PATH};
    let (parts, body) = req.into_parts();
    let Ok(id) = Uuid::parse_str(&raw_id) else {
        // The page says so itself: no such client.
        return page_again(&forms.render, parts, StatusCode::NOT_FOUND).await;
    };
    let refuse = |version: Option<i64>, form: Option<ClientForm>, error: AppError| {
        let parts = parts.clone();
        let how = Refusal::from(&error);
        let attempt = Attempt {
            version,
            form,
            error,
        };
        async move { refused(&forms.render, parts, attempt, how).await }
    };
    let post: ProfilePost = match read_form(body).await {
        Ok(p) => p,
        Err(e) => return refuse(None, None, e).await,
    };
    let version = post.version.parse::<i64>().ok();
    let meta = RequestMeta::from_parts(&parts);
    let state = &forms.state;
    let (_, me, _) =
        match roster_core::staff::authorize(state, &meta, Some(StaffPermission::ClientsEdit)).await
        {
            Ok(s) => s,
            Err(e) => return refuse(version, Some(post.form), e).await,
        };
    let by = || Acting {
        state,
        actor: roster_core::audit::actor(roster_core::Principal::Staff, &me),
        meta: &meta,
    };
    if post.intent == DELETE {
        return match roster_core::clients::delete(by(), id).await {
            // Gone already (a second click of Delete): what was asked is done.
            Ok(()) | Err(AppError::NotFound) => Redirect::to(PATH).into_response(),
            Err(e) => refuse(version, None, e).await,
        };
    }
    // The page always sends its version; a post without one cannot say what it replaces.
    let Some(version) = version else {
        return refuse(None, Some(post.form), AppError::Stale).await;
    };
    match roster_core::clients::update(by(), id, version, &post.form).await {
        Ok(_) => saved(id),
        // Sent twice (a double click): the first did it, so the second finds the client
        // already as it says and is done too.
        Err(AppError::Stale) if already_saved(state, id, &post.form).await => saved(id),
        Err(e) => refuse(Some(version), Some(post.form), e).await,
    }
}

fn saved(id: Uuid) -> Response {
    Redirect::to(&app::ui::clients::saved_href(id)).into_response()
}

async fn already_saved(state: &AppState, id: Uuid, form: &ClientForm) -> bool {
    roster_core::clients::detail(state, id)
        .await
        .is_ok_and(|c| c.is_as(form))
}
