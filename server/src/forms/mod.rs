//! Forms that need no WASM: an admin page's plain `<form method="post">` posts to the page's
//! own URL. A change that is done answers with a redirect (303, so a reload does not post
//! again); one that is refused answers with the same page rendered again, holding what was
//! typed and why (the page reads its `Attempt` from the request, see
//! `app::ui::common::posted`), and the error's status.

mod client_profile;
mod invitation;
mod mail;
mod my_account;
mod password_reset;
mod sign_in;
mod verify_email;

pub use client_profile::client_profile;
pub use invitation::{accept_invitation, accept_invitation_page};
pub use mail::mail;
pub use my_account::my_account;
pub use password_reset::{
    staff_forgot, staff_reset, staff_reset_page, user_forgot, user_reset, user_reset_page,
};
pub use sign_in::{staff_sign_in, user_sign_in};
pub use verify_email::{verify_email, verify_email_page};

use crate::middleware::check_form;
use app::ui::admin::STAFF_LOGIN;
use axum::body::Body;
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use roster_core::state::AppState;
use roster_types::AppError;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

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

/// The body as a form: at most `MAX_FORM`, UTF-8, no NUL, each field once.
async fn read_form<T: DeserializeOwned>(body: Body) -> Result<T, AppError> {
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

/// How a refusal is answered: the error's status, and when to try again for one that
/// says (too many tries, the server busy), as the API answers it.
#[derive(Clone, Copy)]
struct Refusal {
    status: u16,
    retry_after: Option<u64>,
}

impl From<&AppError> for Refusal {
    fn from(e: &AppError) -> Self {
        Refusal {
            status: e.status(),
            retry_after: e.retry_after(),
        }
    }
}

/// The page of this request rendered again with `attempt` (what was refused and why),
/// answered as the error that refused it says (`Refusal`).
async fn refused<A: Clone + Send + Sync + 'static>(
    render: &Render,
    mut parts: Parts,
    attempt: A,
    how: Refusal,
) -> Response {
    // Signed out meanwhile (the session ended, or too many wrong current passwords ended
    // it): these pages are for signed-in staff, as the page guard says for a GET.
    if how.status == 401 {
        return Redirect::to(STAFF_LOGIN).into_response();
    }
    parts.extensions.insert(attempt);
    answered(render, parts, how).await
}

/// The page of this request rendered again, answered as `how` says.
async fn answered(render: &Render, parts: Parts, how: Refusal) -> Response {
    let status = StatusCode::from_u16(how.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut res = page_again(render, parts, status).await;
    if let Some(secs) = how.retry_after {
        res.headers_mut().insert(header::RETRY_AFTER, secs.into());
    }
    res
}

/// The page of this request rendered again as if read (GET), answered with `status`.
async fn page_again(render: &Render, mut parts: Parts, status: StatusCode) -> Response {
    parts.method = Method::GET;
    parts.headers.remove(axum::http::header::CONTENT_TYPE);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let mut res = render(Request::from_parts(parts, Body::empty())).await;
    *res.status_mut() = status;
    res
}
