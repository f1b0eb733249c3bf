//! Forms that need no WASM: an admin page's plain `<form method="post">` posts to the page's
//! own URL. A change that is done answers with a redirect (303, so a reload does not post
//! again); one that is refused answers with the same page rendered again, holding what was
//! typed and why (the page reads the `Attempt` from the request), and the error's status.

use crate::middleware::check_form;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use roster_core::acting::Acting;
use roster_core::request::RequestMeta;
use roster_core::state::AppState;
use roster_types::clients::ClientForm;
use roster_types::{AppError, StaffPermission};
use serde::Deserialize;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use uuid::Uuid;

/// A form is a handful of short fields: anything longer is not one of ours.
const MAX_FORM: usize = 64 * 1024;

/// Renders a page for a request (the router's Leptos handler).
pub type Render =
    Arc<dyn Fn(Request) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync>;

#[derive(Clone)]
pub struct Forms {
    pub state: AppState,
    pub render: Render,
}

/// The Profile form of a client's page, as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ProfilePost {
    intent: String,
    version: String,
    #[serde(flatten)]
    form: ClientForm,
}

/// `POST /admin/clients/{id}`: save the Profile tab, or delete the client.
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
    let refused = |version: Option<i64>, form: Option<ClientForm>, error: AppError| {
        let mut parts = parts.clone();
        let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
        parts.extensions.insert(Attempt {
            version,
            form,
            error,
        });
        page_again(&forms.render, parts, status)
    };
    let post = match read_form(body).await {
        Ok(p) => p,
        Err(e) => return refused(None, None, e).await,
    };
    let version = post.version.parse::<i64>().ok();
    let meta = RequestMeta::from_parts(&parts);
    let state = &forms.state;
    let (_, me, _) =
        match roster_core::staff::authorize(state, &meta, Some(StaffPermission::ClientsEdit)).await
        {
            Ok(s) => s,
            Err(e) => return refused(version, Some(post.form), e).await,
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
            Err(e) => refused(version, None, e).await,
        };
    }
    // The page always sends its version; a post without one cannot say what it replaces.
    let Some(version) = version else {
        return refused(None, Some(post.form), AppError::Stale).await;
    };
    match roster_core::clients::update(by(), id, version, &post.form).await {
        Ok(_) => saved(id),
        // Sent twice (a double click): the first did it, so the second finds the client
        // already as it says and is done too.
        Err(AppError::Stale) if already_saved(state, id, &post.form).await => saved(id),
        Err(e) => refused(Some(version), Some(post.form), e).await,
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

/// The body as a form: at most `MAX_FORM`, UTF-8, no NUL, each field once.
async fn read_form(body: Body) -> Result<ProfilePost, AppError> {
    let bytes = axum::body::to_bytes(body, MAX_FORM)
        .await
        .map_err(|_| AppError::BadRequest {
            detail: format!("the form is larger than {} KB", MAX_FORM / 1024),
        })?;
    check_form(&bytes)?;
    serde_urlencoded::from_bytes(&bytes).map_err(|e| AppError::BadRequest {
        detail: e.to_string(),
    })
}

/// The page of this request rendered again as if read (GET), answered with `status`.
async fn page_again(
    render: &Render,
    mut parts: axum::http::request::Parts,
    status: StatusCode,
) -> Response {
    parts.method = Method::GET;
    parts.headers.remove(axum::http::header::CONTENT_TYPE);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let mut res = render(Request::from_parts(parts, Body::empty())).await;
    *res.status_mut() = status;
    res
}
