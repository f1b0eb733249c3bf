//! Signing in over HTTP: sessions and cookies, the setup link, forced enrolment, origins, limits.

use crate::common::*;
use roster_core::security::totp;
use roster_types::StaffPermission;
use serde_json::Value;

#[tokio::test]
async fn health_check_reports_the_database() {
    let s = start(true).await;
    let r = reqwest::get(format!("{}/healthz", s.url)).await.unwrap();
    assert_eq!(r.status(), 200);
    let engine = s.state.db.engine();
    assert_eq!(r.json::<Value>().await.unwrap()["database"], engine);
}

#[tokio::test]
async fn without_a_session_the_api_answers_401_with_a_json_message() {
    let s = start(true).await;
    let (status, body, _) = s.browser().call("/api/users/list", &[]).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "unauthenticated");
    assert!(body["message"].as_str().unwrap().contains("not signed in"));
    // admin pages redirect instead
    let r = s
        .browser()
        .get(format!("{}/admin/users", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin/login");
}

#[tokio::test]
async fn requests_from_another_origin_are_refused() {
    let s = start(true).await;
    let r = s
        .browser()
        .post(format!("{}/api/auth/staff/sign-in", s.url))
        .header("origin", "http://evil.example")
        .form(&[("email", "a@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "cross_origin");
}

#[tokio::test]
async fn password_sign_in_sets_a_strict_http_only_cookie_and_opens_the_api() {
    let s = start(false).await;
    add_staff(&s, "ops@example.com", StaffPermission::ALL, false).await;
    let c = s.browser();
    let (status, body, _) = c
        .sign_in_with(
            "/api/auth/staff/sign-in",
            "ops@example.com",
            "wrong password here",
        )
        .await;
    assert_eq!(status, 401);
    assert_eq!(body["reason"], "bad_credentials");
    assert_eq!(body["message"], "Email or password is incorrect.");

    let (status, body, headers) = c
        .sign_in_with("/api/auth/staff/sign-in", "ops@example.com", PASSWORD)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["step"], "done");
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("roster_admin=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );

    let (status, body, _) = c.call("/api/users/list", &[("q", "x")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], 0);
    let (status, body, _) = c.call("/api/auth/staff/me", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body["email"], "ops@example.com");

    let (status, _, _) = c.call("/api/auth/staff/sign-out", &[]).await;
    assert_eq!(status, 200);
    let (status, _, _) = c.call("/api/users/list", &[]).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn required_two_factor_forces_enrolment_over_http() {
    let s = start(true).await;
    add_staff(&s, "new@example.com", StaffPermission::ALL, true).await;
    let c = s.browser();
    let (status, body, _) = c
        .sign_in_with("/api/auth/staff/sign-in", "new@example.com", PASSWORD)
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["step"], "need_enrolment");
    // not signed in yet
    let (status, _, _) = c.call("/api/users/list", &[]).await;
    assert_eq!(status, 401);
    let (status, body2, _) = c.call("/api/auth/staff/enrol", &[("code", "12")]).await;
    assert_eq!(status, 422);
    assert_eq!(body2["fields"][0]["field"], "code");

    let secret = totp::secret_from_base32(body["secret"].as_str().unwrap()).unwrap();
    let code = totp::code_at(&secret, chrono::Utc::now().timestamp() as u64);
    let (status, body, _) = c.call("/api/auth/staff/enrol", &[("code", &code)]).await;
    assert_eq!(status, 200, "{body}");
    // signed in, with the recovery codes shown this once
    assert_eq!(body["step"], "enrolled");
    assert_eq!(body["codes"].as_array().unwrap().len(), 10);
    let (status, _, _) = c.call("/api/users/list", &[]).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_setup_link_creates_one_staff_member_over_http() {
    let s = start(true).await;
    let token = roster_core::setup::issue_link_if_empty(&s.state)
        .await
        .unwrap()
        .unwrap();
    let c = s.browser();
    let set_up = |email, password| {
        let form = [
            ("token", token.as_str()),
            ("email", email),
            ("password", password),
        ];
        let c = c.clone();
        async move { c.call("/api/setup/create-staff", &form).await }
    };
    let (status, body, _) = set_up("bad", "short").await;
    assert_eq!((status, fields(&body)), (422, vec!["email", "password"]));
    assert_eq!(set_up("first@example.com", PASSWORD).await.0, 200);
    let (status, body, _) = set_up("second@example.com", PASSWORD).await;
    assert_eq!(status, 410);
    assert_eq!(body["error"], "setup_link_invalid");
}

#[tokio::test]
async fn missing_arguments_are_a_400_not_a_500() {
    let s = start(true).await;
    let (status, body, _) = s.browser().call("/api/auth/staff/sign-in", &[]).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "bad_request");
}

#[tokio::test]
async fn sign_in_attempts_past_the_address_limit_get_429() {
    let s = start_with(false, 3).await;
    let c = s.browser();
    let wrong = [
        ("email", "nobody@example.com"),
        ("password", "not it at all"),
    ];
    for _ in 0..3 {
        assert_eq!(c.call("/api/auth/user/sign-in", &wrong).await.0, 401);
    }
    let (status, body, _) = c.call("/api/auth/user/sign-in", &wrong).await;
    assert_eq!(status, 429, "{body}");
    assert!(body["retry_after_secs"].as_u64().unwrap() >= 1);
}

/// The admin menu's Sign out, as the button sends it: a POST with no body and no content
/// type. Twice at once, with a body of hostile bytes, and from sessions of the wrong kind.
#[tokio::test]
async fn sign_out_as_the_menu_sends_it_ends_only_that_staff_session() {
    let s = start(false).await;
    let bare_post = |c: &Browser| {
        let c = c.clone();
        async move {
            let r = c
                .post(c.url("/api/auth/staff/sign-out"))
                .send()
                .await
                .unwrap();
            r.status().as_u16()
        }
    };
    // A user's session and Ann's staff session stay when a user signs out as staff.
    let (staff, ann) = signed_in_ann(&s).await;
    assert_eq!(bare_post(&ann).await, 200);
    assert_eq!(
        ann.call("/api/account/me", &[]).await.0,
        200,
        "the user's own session"
    );
    assert_eq!(staff.call("/api/users/list", &[]).await.0, 200);
    // A half-finished sign-in (password given, 2FA not yet) signing out: nothing breaks.
    let half = half_signed_in_staff(&s, "half@example.com").await;
    assert_eq!(bare_post(&half).await, 200);
    // Hostile bodies are refused or ignored, never a 500, and sign nobody else out.
    for body in [
        vec![0xff, 0xfe, 0x00],
        "\u{202e}x=\u{0}".as_bytes().to_vec(),
        vec![b'a'; 2 << 20],
    ] {
        let r = half
            .post(half.url("/api/auth/staff/sign-out"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(r.status().as_u16() < 500, "{}", r.status());
    }
    assert_eq!(staff.call("/api/users/list", &[]).await.0, 200);
    // Two clicks at the same moment: both answered, the session ended once.
    let (a, b) = tokio::join!(bare_post(&staff), bare_post(&staff));
    assert_eq!((a, b), (200, 200));
    assert_eq!(staff.call("/api/users/list", &[]).await.0, 401);
}

/// POST a body exactly as the sign-in page and the Sign out button send it
/// (`ui::common::post`): form-typed, every reserved byte percent-encoded (spaces as `%20`).
async fn post_as_the_page(c: &Browser, path: &str, body: &str) -> (u16, String) {
    let r = c
        .post(c.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The sign-in page's own encoding: its answers, right or wrong, read back as the page reads
/// them (a `SignInStep`, else an `AppError`); hostile fields and two at once are no 500.
#[tokio::test]
async fn sign_in_as_the_page_sends_it_answers_what_the_page_reads() {
    use roster_types::{AppError, SignInStep};
    let s = start(false).await;
    add_staff(&s, "page@example.com", StaffPermission::ALL, false).await;
    let c = s.browser();
    let password = PASSWORD.replace(' ', "%20");
    let (status, text) = post_as_the_page(
        &c,
        STAFF_SIGN_IN,
        &format!("email=page%40example.com&password={password}"),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    assert!(
        serde_json::from_str::<SignInStep>(&text).is_ok(),
        "a step: {text}"
    );
    assert_eq!(c.call("/api/users/list", &[]).await.0, 200);

    let other = s.browser();
    for body in [
        "email=page%40example.com&password=wrong%20guess%20entirely".to_string(),
        "email=page%40example.com%00&password=x".to_string(),
        "email=%E2%80%AEpage%40example.com&password=x".to_string(),
        "email=%FF%FE&password=%FF".to_string(),
        format!("email={}&password=x", "a".repeat(2 << 20)),
        "email=only".to_string(),
    ] {
        let (status, text) = post_as_the_page(&other, STAFF_SIGN_IN, &body).await;
        assert!((400..500).contains(&status), "{status}: {text:.200}");
        assert!(
            serde_json::from_str::<AppError>(&text).is_ok(),
            "an error the page can show: {text:.200}"
        );
    }
    // Twice at the same moment, as a double click would.
    let body = format!("email=page%40example.com&password={password}");
    let twin = s.browser();
    let (a, b) = tokio::join!(
        post_as_the_page(&twin, STAFF_SIGN_IN, &body),
        post_as_the_page(&twin, STAFF_SIGN_IN, &body)
    );
    assert_eq!((a.0, b.0), (200, 200), "{a:?} {b:?}");
    assert_eq!(twin.call("/api/users/list", &[]).await.0, 200);

    // Sign out as the button now sends it: form-typed and empty. It ends that session only.
    assert_eq!(
        post_as_the_page(&c, "/api/auth/staff/sign-out", "").await.0,
        200
    );
    assert_eq!(c.call("/api/users/list", &[]).await.0, 401);
    assert_eq!(twin.call("/api/users/list", &[]).await.0, 200);
}
