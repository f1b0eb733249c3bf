//! Request guards that sit in front of every route.

use app::ui::admin::STAFF_LOGIN;
use app::ui::i18n::PageLanguage;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use roster_core::request::{client_address, ClientInfo, RequestMeta};
use roster_core::sign_in;
use roster_core::state::AppState;
use roster_core::Principal;
use roster_types::{links, AppError, FieldError, Language};

/// A JSON error response in the same shape as server-function errors.
pub fn json_error(err: &AppError) -> Response {
    let mut body = serde_json::to_value(err).unwrap_or_default();
    body["message"] = serde_json::Value::String(err.to_string());
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response();
    if let Some(secs) = err.retry_after() {
        res.headers_mut().insert(header::RETRY_AFTER, secs.into());
    }
    res
}

/// The client's address (through trusted proxies only) and the cookie prefix, computed
/// once for everything behind this layer.
pub async fn client_info(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    let ip = client_address(peer, req.headers(), &state.settings.trusted_proxies);
    req.extensions_mut().insert(ClientInfo {
        ip,
        secure: state.settings.secure_cookies,
    });
    next.run(req).await
}

/// Server functions answer every error with 500 and the error as JSON; the status (and
/// `Retry-After`) follow the error instead, so that `curl` and scripts see 401/403/422.
/// The error type stays free of HTTP frameworks: its `status()` is applied here.
pub async fn api_status(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // An error body is a few hundred bytes (details are cut short); the bound only keeps
    // memory in check.
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return json_error(&AppError::internal("unreadable error body"));
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(parts.status);
        if let Some(secs) = err.retry_after() {
            parts.headers.insert(header::RETRY_AFTER, secs.into());
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The largest request body the API reads.
pub const MAX_BODY: usize = 1024 * 1024;

/// Input every API endpoint refuses before any of its own checks: a body over `MAX_BODY`
/// (413), form or query text that is not UTF-8 (400), and NUL characters, which no field
/// may hold and PostgreSQL cannot store (422, naming the field).
pub async fn api_input(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    if let Some(query) = req.uri().query() {
        if let Err(e) = check_form(query.as_bytes()) {
            return json_error(&e);
        }
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            let mut res = json_error(&AppError::BadRequest {
                detail: format!("the body is larger than {} KB", MAX_BODY / 1024),
            });
            *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return res;
        }
    };
    if is_form {
        if let Err(e) = check_form(&bytes) {
            return json_error(&e);
        }
    } else if !bytes.is_empty() && std::str::from_utf8(&bytes).is_err() {
        return json_error(&not_utf8());
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn not_utf8() -> AppError {
    AppError::BadRequest {
        detail: "text must be UTF-8".into(),
    }
}

/// Every name and value of a form-encoded text, percent-decoded: UTF-8 and free of NUL.
pub fn check_form(raw: &[u8]) -> Result<(), AppError> {
    let mut fields = Vec::new();
    for pair in raw.split(|b| *b == b'&') {
        let mut kv = pair.splitn(2, |b| *b == b'=');
        let (k, v) = (kv.next().unwrap_or(&[]), kv.next().unwrap_or(&[]));
        let decode = |s: &[u8]| -> Vec<u8> {
            let plus: Vec<u8> = s
                .iter()
                .map(|b| if *b == b'+' { b' ' } else { *b })
                .collect();
            percent_encoding::percent_decode(&plus).collect()
        };
        let (k, v) = (decode(k), decode(v));
        let (Ok(k), Ok(v)) = (String::from_utf8(k), String::from_utf8(v)) else {
            return Err(not_utf8());
        };
        if k.contains('\0') || v.contains('\0') {
            let field: String = k.replace('\0', "").chars().take(64).collect();
            if !fields.iter().any(|f: &FieldError| f.field == field) {
                fields.push(FieldError::new(
                    &field,
                    roster_types::msg!("This must not contain a NUL character."),
                ));
            }
        }
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid { fields })
    }
}

/// Headers on every answer: a restrictive Content-Security-Policy where the page set none
/// (pages set their own, with the nonce of their hydration script), HSTS over HTTPS, and
/// `no-store` on everything but the static assets, so that no cache keeps a page, an API
/// answer, an enrolment secret, recovery codes or an export.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (is_asset, is_code) = {
        let p = req.uri().path();
        let code = crate::assets::is_code_file(p);
        (
            p.starts_with("/pkg/") || p == "/favicon.svg" || p == "/favicon.ico",
            code,
        )
    };
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if is_code {
        lean_code_headers(h);
    } else {
        document_headers(h);
    }
    if !is_asset {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.settings.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Keeps tokens in URLs (the setup link) out of Referer headers; on a script it also
    // governs what the script's own imports send.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// What only a document reads: its Content-Security-Policy, framing and opener rules.
fn document_headers(h: &mut axum::http::HeaderMap) {
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            ),
        );
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
}

/// A content-hashed script, WASM module or stylesheet: no document headers (a policy, a
/// frame or opener rule means nothing on them) and no revalidation headers (they are
/// immutable). A first visit fetches dozens of them, so their headers are a tenth of its
/// bytes; `nosniff` and the referrer policy stay.
fn lean_code_headers(h: &mut axum::http::HeaderMap) {
    for name in [header::LAST_MODIFIED, header::ACCEPT_RANGES] {
        h.remove(name);
    }
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
    // A browser's own word, which no page's script can set: it decides. A form posted to
    // its own page under `Referrer-Policy: no-referrer` says `Origin: null` but
    // `Sec-Fetch-Site: same-origin`.
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
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

/// Admin pages need a staff session and `/account` a user's; without one, go to sign-in.
/// Every page is given its language (`PageLanguage`) here, before it renders.
pub async fn admin_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let path = path.as_str();
    let open = path == STAFF_LOGIN
        || path == "/admin/setup"
        || path == links::STAFF_FORGOT
        || path == links::STAFF_RESET;
    let (mut parts, body) = req.into_parts();
    // Pages are read with GET; the plain forms of admin pages and of the sign-in pages post
    // to the page itself (`forms`) and are answered with it, so they get its language, and
    // an admin page's are guarded the same way.
    let form_post = parts.method == Method::POST
        && (path.starts_with("/admin/")
            || path.starts_with("/login")
            || path == links::VERIFY_EMAIL);
    if parts.method != Method::GET && !form_post {
        return next.run(Request::from_parts(parts, body)).await;
    }
    // The page's language: the signed-in account's own, else the browser's.
    let browser = Language::from_accept_language(
        parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    );
    parts.extensions.insert(PageLanguage(browser));
    parts
        .extensions
        .insert(roster_core::request::PageCache::default());
    let account = if (path == "/admin" || path.starts_with("/admin/")) && !open {
        Some((Principal::Staff, STAFF_LOGIN))
    } else if path == "/account" {
        Some((Principal::User, "/login"))
    } else {
        None
    };
    let Some((principal, login)) = account else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let meta = RequestMeta::from_parts(&parts);
    match sign_in::resolve(&state, principal, &meta).await {
        Ok(Some((_, creds))) => {
            let own = Language::parse(&creds.language).unwrap_or_default();
            parts.extensions.insert(PageLanguage(own));
            next.run(Request::from_parts(parts, body)).await
        }
        Ok(None) => Redirect::to(login).into_response(),
        Err(e) => json_error(&e),
    }
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
    fn forms_must_be_utf8_and_free_of_nul() {
        assert!(check_form(b"email=a%40b.c&password=x+y").is_ok());
        assert!(check_form(b"").is_ok());
        assert_eq!(check_form(b"q=%FF%FE"), Err(not_utf8()));
        let e = check_form(b"first_name=An%00n&q=ok").unwrap_err();
        assert_eq!(
            e.field("first_name").as_deref(),
            Some("This must not contain a NUL character.")
        );
        assert!(e.field("q").is_none());
        assert!(check_form(b"a%00b=1").is_err());
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
        // A plain form posted to its own page by a browser (no-referrer policy).
        assert!(!is_cross_origin(&post(&[
            ("host", "a"),
            ("origin", "null"),
            ("sec-fetch-site", "same-origin")
        ])));
        // A sandboxed frame or another site's page: the browser says so.
        assert!(is_cross_origin(&post(&[
            ("host", "a"),
            ("origin", "null"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(is_cross_origin(&post(&[
            ("host", "a"),
            ("origin", "http://a"),
            ("sec-fetch-site", "something-new")
        ])));
    }
}
