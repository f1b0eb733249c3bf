//! What every answer tells the browser: a Content-Security-Policy with the page's own
//! nonce, no caching of anything but static assets, HSTS and `__Host-` cookies over HTTPS.

use super::common::*;
use roster_core::state::Settings;
use roster_types::StaffPermission;

#[tokio::test]
async fn pages_carry_a_strict_policy_with_their_own_nonce() {
    let s = start(false).await;
    let (status, html, h) = s.browser().page("/admin/login").await;
    assert_eq!(status, 200);
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce in the policy")
        .to_string();
    assert!(nonce.len() >= 16, "{csp}");
    assert!(
        csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    // Every inline script of the page carries it; no other nonce appears.
    let scripts = html.matches("<script").count();
    assert!(scripts > 0, "{html}");
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        html.matches("nonce=").count()
    );
    assert!(
        html.matches(&format!("nonce=\"{nonce}\"")).count() >= 1,
        "{html}"
    );
    assert!(
        !html.contains("style=\""),
        "an inline style the policy would block"
    );
    // A second request gets another nonce.
    let (_, _, h2) = s.browser().page("/admin/login").await;
    assert_ne!(h2["content-security-policy"], h["content-security-policy"]);
    for (k, v) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
        ("cache-control", "no-store"),
    ] {
        assert_eq!(h[k], v, "{k}");
    }
    assert!(
        !h.contains_key("strict-transport-security"),
        "not over plain HTTP"
    );
}

#[tokio::test]
async fn api_answers_secrets_and_exports_are_never_cached() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let (_, _, h) = c.call("/api/users/list", &[]).await;
    assert_eq!(h["cache-control"], "no-store");
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    let (_, _, h) = c.page("/admin/audit/export.csv").await;
    assert_eq!(h["cache-control"], "no-store");
    let (_, _, h) = s.browser().call("/api/auth/user/sign-in", &ANN).await;
    assert_eq!(h["cache-control"], "no-store");
}

/// POST `/api/auth/staff/me` with exactly this `cookie` header: the status.
async fn me_with_cookie(s: &Server, cookie: String) -> u16 {
    let r = reqwest::Client::new()
        .post(format!("{}/api/auth/staff/me", s.url))
        .header("cookie", cookie);
    r.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn over_https_cookies_are_host_only_and_hsts_is_sent() {
    let s = start_with_settings(Settings {
        secure_cookies: true,
        public_url: "https://roster.example.com".into(),
        sign_in_per_minute: 100,
        ..Default::default()
    })
    .await;
    add_staff(&s, "ops@example.com", StaffPermission::ALL, false).await;
    let (status, _, h) = s
        .browser()
        .sign_in_with(STAFF_SIGN_IN, "ops@example.com", PASSWORD)
        .await;
    assert_eq!(status, 200);
    assert!(h["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
    let cookies: Vec<&str> = h
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(
        cookies.len(),
        2,
        "session and known-browser cookies: {cookies:?}"
    );
    for c in &cookies {
        assert!(c.starts_with("__Host-"), "{c}");
        let secure = c.contains("; Secure") && c.contains("HttpOnly") && c.contains("Path=/");
        assert!(secure && !c.contains("Domain="), "{c}");
    }
    // A cookie without the prefix is not read.
    let token = cookies[0]
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1;
    assert_eq!(
        me_with_cookie(&s, format!("roster_admin={token}")).await,
        401
    );
    assert_eq!(
        me_with_cookie(&s, format!("__Host-roster_admin={token}")).await,
        200
    );
}
