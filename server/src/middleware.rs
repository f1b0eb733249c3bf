//! Request guards that sit in front of every route.

use app::domain::AppError;
use app::server::db::accounts::Principal;
use app::server::request::{RequestMeta, STAFF_COOKIE, USER_COOKIE};
use app::server::sign_in;
use app::server::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// A JSON error response in the same shape as server-function errors.
pub fn json_error(err: &AppError) -> Response {
    let mut body = serde_json::to_value(err).unwrap_or_default();
    body["message"] = serde_json::Value::String(err.to_string());
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Refuse state-changing requests that a browser says come from another site. Requests
/// without these headers (scripts, curl) carry no ambient cookies from a browser, and the
/// session cookie is SameSite=Strict besides.
pub async fn same_origin(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && is_cross_origin(&req)
    {
        return json_error(&AppError::CrossOrigin);
    }
    next.run(req).await
}

fn is_cross_origin(req: &Request) -> bool {
    let h = req.headers();
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site == "cross-site" || site == "same-site" {
            return true;
        }
    }
    match (
        h.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        h.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin_host(origin) != Some(host),
        _ => false,
    }
}

fn origin_host(origin: &str) -> Option<&str> {
    origin
        .split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/'))
}

/// Admin pages need a staff session; without one, go to sign-in (and come back after).
pub async fn admin_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let open = path == "/admin/login" || path == "/admin/setup";
    if (path == "/admin" || path.starts_with("/admin/")) && !open && req.method() == Method::GET {
        let (parts, body) = req.into_parts();
        let meta = RequestMeta::from_parts(&parts);
        match sign_in::resolve(&state, Principal::Staff, &meta, STAFF_COOKIE).await {
            Ok(Some(_)) => return next.run(Request::from_parts(parts, body)).await,
            Ok(None) => return Redirect::to("/admin/login").into_response(),
            Err(e) => return json_error(&e),
        }
    }
    if path == "/account" && req.method() == Method::GET {
        let (parts, body) = req.into_parts();
        let meta = RequestMeta::from_parts(&parts);
        return match sign_in::resolve(&state, Principal::User, &meta, USER_COOKIE).await {
            Ok(Some(_)) => next.run(Request::from_parts(parts, body)).await,
            Ok(None) => Redirect::to("/login").into_response(),
            Err(e) => json_error(&e),
        };
    }
    next.run(req).await
}

/// `GET /healthz`: 200 when the database answers.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            Body::from(format!(
                r#"{{"status":"ok","database":"{}"}}"#,
                state.db.engine()
            )),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "application/json")],
                Body::from(r#"{"status":"unavailable"}"#),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut b = Request::builder().method("POST").uri("/api/x");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn cross_origin_rules() {
        assert!(!is_cross_origin(&post(&[("host", "127.0.0.1:3000")])));
        assert!(!is_cross_origin(&post(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000")
        ])));
        assert!(is_cross_origin(&post(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://evil.example")
        ])));
        assert!(is_cross_origin(&post(&[
            ("host", "127.0.0.1:3000"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!is_cross_origin(&post(&[
            ("host", "127.0.0.1:3000"),
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(is_cross_origin(&post(&[("origin", "null"), ("host", "a")])));
    }
}
