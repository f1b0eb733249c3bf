//! `POST /admin/login` and `POST /login`: the sign-in page's steps as plain forms. Each
//! step is the same call the sign-in API makes (`roster_core::sign_in`), so its limits,
//! locks and audit events are the same; the answer is the next step's page with the
//! cookies the step earned, the same step again with why it was refused, or the landing
//! page once signed in.

use super::{answered, read_form, Forms, Refusal};
use app::ui::auth::login::{Answer, Audience, Screen, Step};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use roster_core::request::RequestMeta;
use roster_core::sign_in::{self, StepInput};
use roster_core::Principal;
use roster_types::{AppError, SignInRefusal, SignInStep};
use serde::Deserialize;

/// Every field of the sign-in forms; each step sends its own.
#[derive(Deserialize, Default)]
#[serde(default)]
struct SignInPost {
    step: String,
    email: String,
    password: String,
    code: String,
}

pub async fn staff_sign_in(State(forms): State<Forms>, req: Request) -> Response {
    sign_in(&forms, Audience::Staff, req).await
}

pub async fn user_sign_in(State(forms): State<Forms>, req: Request) -> Response {
    sign_in(&forms, Audience::User, req).await
}

async fn sign_in(forms: &Forms, audience: Audience, req: Request) -> Response {
    let p = match audience {
        Audience::Staff => Principal::Staff,
        Audience::User => Principal::User,
    };
    let (parts, body) = req.into_parts();
    let post = match read_form::<SignInPost>(body).await {
        Ok(post) => post,
        Err(e) => return answer(forms, parts, Screen::Password, String::new(), Some(e)).await,
    };
    let meta = RequestMeta::from_parts(&parts);
    let state = &forms.state;
    let step = Step::parse(&post.step);
    let outcome = match step {
        Some(Step::Password) => {
            let (email, password) = (post.email.as_str(), post.password.as_str());
            let input = StepInput::Password { email, password };
            sign_in::step(state, p, &meta, input).await
        }
        Some(Step::Code) => sign_in::step(state, p, &meta, StepInput::Code(&post.code)).await,
        Some(Step::Enrol) => sign_in::step(state, p, &meta, StepInput::Enrol(&post.code)).await,
        None => Err(AppError::BadRequest {
            detail: "the form names no step of signing in".into(),
        }),
    };
    let out = match outcome {
        Ok(out) => out,
        Err(e) => {
            // The same step again, unless the sign-in it belonged to is gone.
            let expired = matches!(
                e,
                AppError::SignIn {
                    reason: SignInRefusal::StepExpired
                }
            );
            let screen = match step {
                Some(Step::Code) if !expired => Screen::Code,
                Some(Step::Enrol) if !expired => {
                    match sign_in::pending_enrolment(state, p, &meta).await {
                        Ok(e) => Screen::Enrol(e),
                        Err(_) => Screen::Password,
                    }
                }
                _ => Screen::Password,
            };
            let email = if screen == Screen::Password {
                post.email
            } else {
                String::new()
            };
            return answer(forms, parts, screen, email, Some(e)).await;
        }
    };
    let cookies = out.cookies(state, p);
    let mut res = match out.step {
        SignInStep::Done => Redirect::to(audience.landing()).into_response(),
        SignInStep::NeedCode => answer(forms, parts, Screen::Code, String::new(), None).await,
        SignInStep::NeedEnrolment(e) => {
            answer(forms, parts, Screen::Enrol(e), String::new(), None).await
        }
        SignInStep::Enrolled(codes) => {
            answer(forms, parts, Screen::Codes(codes), String::new(), None).await
        }
    };
    for c in cookies.iter().filter_map(|c| HeaderValue::from_str(c).ok()) {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

/// The sign-in page showing `screen`, with why the last post was refused; answered as the
/// error says (its status, and when to try again), or 200.
async fn answer(
    forms: &Forms,
    mut parts: Parts,
    screen: Screen,
    email: String,
    error: Option<AppError>,
) -> Response {
    let how = error.as_ref().map_or(
        Refusal {
            status: 200,
            retry_after: None,
        },
        Refusal::from,
    );
    parts.extensions.insert(Answer {
        screen,
        email,
        error,
    });
    answered(&forms.render, parts, how).await
}
