//! The sign-in pages are plain HTML forms posted to the page itself (no WASM): the
//! password, then a code or a first enrolment. Posted by hand as an attacker would: wrong
//! and unknown credentials (the same answer), guesses until the lock, hostile bodies, a
//! code with no sign-in behind it, another site's page, and one code twice at once.

use super::common::*;
use roster_core::security::totp;

const STAFF: &str = "/admin/login";
const USERS: &str = "/login";

fn password_step(email: &str, password: &str) -> String {
    urlencoded(&[
        ("step", "password"),
        ("email", email),
        ("password", password),
    ])
}

fn code_step(step: &str, code: &str) -> String {
    urlencoded(&[("step", step), ("code", code)])
}

/// The text between `start` and the next `end` in `page`.
fn between<'a>(page: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = page.find(start)? + start.len();
    Some(&page[from..from + page[from..].find(end)?])
}

fn secret_in(page: &str) -> Vec<u8> {
    let key = between(page, "data-testid=\"totp-secret\">", "</code>").expect("the key is shown");
    totp::secret_from_base32(key).unwrap()
}

fn recovery_codes_in(page: &str) -> Vec<String> {
    page.split("<li><code>")
        .skip(1)
        .map(|rest| rest[..rest.find("</code>").unwrap()].to_string())
        .collect()
}

/// The page's main text, without the markup that differs by what was typed.
fn refusal(page: &str) -> &str {
    between(page, "role=\"alert\" class=\"banner error\">", "<").unwrap_or("")
}

#[tokio::test]
async fn staff_sign_in_without_wasm_keeps_the_email_and_never_the_password() {
    let s = start(false).await;
    add_staff(&s, "mo@example.com", &[], false).await;
    let b = s.browser();

    let (status, page, _) = b.page(STAFF).await;
    assert_eq!(status, 200);
    assert!(page.contains("<form method=\"post\" action=\"/admin/login\""));
    assert!(!page.contains("LoginIsland"), "no island of its own");

    // A wrong password and an unknown email: the same refusal, the email kept, the
    // password never sent back.
    let wrong = "certainly-not-the-password";
    let (known, page_known, _) = b
        .post_page(STAFF, password_step("mo@example.com", wrong))
        .await;
    let (unknown, page_unknown, _) = b
        .post_page(STAFF, password_step("nobody@example.com", wrong))
        .await;
    assert_eq!(known, unknown);
    assert_eq!(known, 401);
    assert_eq!(refusal(&page_known), refusal(&page_unknown));
    assert_eq!(refusal(&page_known), "Email or password is incorrect.");
    assert!(page_known.contains("value=\"mo@example.com\""));
    // The email kept, the password is what to type next: it has the focus.
    let password_field = between(&page_known, "id=\"f-password\"", ">").unwrap();
    assert!(password_field.contains("autofocus"), "{password_field}");
    assert!(!page_known.contains(wrong) && !page_unknown.contains(wrong));
    // Markup for an email is kept as text.
    let (_, page, _) = b
        .post_page(STAFF, password_step("\"><svg onload=alert(1)>", wrong))
        .await;
    assert!(!page.contains("<svg onload"));
    // Nothing filled in: both fields say so.
    let (status, page, _) = b.post_page(STAFF, password_step("", "")).await;
    assert_eq!(status, 422);
    assert!(page.contains("Email is required.") && page.contains("Password is required."));

    // The right one: to the admin pages, with a session cookie that opens them.
    let (status, _, headers) = b
        .post_page(STAFF, password_step("mo@example.com", PASSWORD))
        .await;
    assert_eq!(status, 303);
    assert_eq!(headers["location"], "/admin");
    let cookies: Vec<&str> = headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(cookies
        .iter()
        .any(|c| c.contains("HttpOnly") && c.contains("SameSite=Strict")));
    assert_eq!(b.page("/admin/me").await.0, 200);
}

#[tokio::test]
async fn enrolment_and_codes_work_as_forms_and_a_wrong_code_shows_the_same_key() {
    let s = start(true).await;
    add_staff(&s, "eve@example.com", &[], true).await;
    let b = s.browser();
    let (status, page, _) = b
        .post_page(STAFF, password_step("eve@example.com", PASSWORD))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Set up two-factor authentication"));
    assert!(page.contains("<svg"), "the QR code");
    let secret = secret_in(&page);
    // The admin pages stay closed halfway.
    assert_eq!(b.page("/admin").await.0, 303);

    // A wrong code, then one that is not a code: the same key again, the field says why.
    for (bad, want) in [("000000", 401), ("abc<script>", 422)] {
        let (status, page, _) = b.post_page(STAFF, code_step("enrol", bad)).await;
        assert_eq!(status, want, "{bad}");
        assert_eq!(secret_in(&page), secret, "{bad}");
        assert!(!page.contains("abc<script>"), "typed markup is text");
        let said = page.contains("aria-invalid=\"true\"") || !refusal(&page).is_empty();
        assert!(said, "{bad}: the page says why");
    }
    // The right code: the recovery codes, shown once, and signed in.
    let (status, page, headers) = b
        .post_page(STAFF, code_step("enrol", &code_in(&secret, 0)))
        .await;
    assert_eq!(status, 200);
    assert!(headers.get("set-cookie").is_some());
    let codes = recovery_codes_in(&page);
    assert_eq!(codes.len(), 10, "{page}");
    assert!(page.contains("href=\"/admin\""), "continue");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(b.page("/admin").await.0, 200);

    // Next time: the code step. A recovery code works once.
    let c = s.browser_from("127.0.0.71");
    let (status, page, _) = c
        .post_page(STAFF, password_step("eve@example.com", PASSWORD))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Two-factor authentication") && page.contains("value=\"code\""));
    let (status, _, headers) = c.post_page(STAFF, code_step("code", &codes[0])).await;
    assert_eq!(
        (status, &headers["location"]),
        (303, &"/admin".parse().unwrap())
    );
    let d = s.browser_from("127.0.0.72");
    d.post_page(STAFF, password_step("eve@example.com", PASSWORD))
        .await;
    let (status, page, _) = d.post_page(STAFF, code_step("code", &codes[0])).await;
    assert_ne!(status, 303, "a recovery code signs in once");
    assert!(page.contains("value=\"code\""), "the code step again");
}

#[tokio::test]
async fn one_code_posted_twice_at_once_signs_in_one_browser() {
    let s = start(true).await;
    add_staff(&s, "eve@example.com", &[], true).await;
    let b = s.browser();
    let (_, page, _) = b
        .post_page(STAFF, password_step("eve@example.com", PASSWORD))
        .await;
    let secret = secret_in(&page);
    b.post_page(STAFF, code_step("enrol", &code_in(&secret, 0)))
        .await;
    // Two browsers at the code step, the same code from each at the same moment.
    let (x, y) = (s.browser_from("127.0.0.73"), s.browser_from("127.0.0.74"));
    for c in [&x, &y] {
        c.post_page(STAFF, password_step("eve@example.com", PASSWORD))
            .await;
    }
    // The next code: the one enrolment used is spent.
    let code = code_in(&secret, 1);
    let (a, b2) = tokio::join!(
        x.post_page(STAFF, code_step("code", &code)),
        y.post_page(STAFF, code_step("code", &code))
    );
    let mut statuses = [a.0, b2.0];
    statuses.sort();
    assert_eq!(statuses[0], 303, "{statuses:?}");
    assert_ne!(statuses[1], 303, "a code signs in once: {statuses:?}");
}

#[tokio::test]
async fn hostile_sign_in_posts_are_refused_with_the_page_and_sign_in_no_one() {
    let s = start(false).await;
    add_staff(&s, "mo@example.com", &[], false).await;
    let b = s.browser();
    let ok = password_step("mo@example.com", PASSWORD);
    let hostile: Vec<(Vec<u8>, u16)> = vec![
        (
            b"step=password&email=mo%40example.com&password=a%00b".to_vec(),
            422,
        ),
        (b"step=password&email=%FF%FE&password=x".to_vec(), 400),
        (format!("{ok}&step=password").into_bytes(), 400),
        (format!("{ok}&x={}", "a".repeat(100_000)).into_bytes(), 400),
        (
            format!("step=password&email={}&password=x", "a".repeat(2 << 20)).into_bytes(),
            400,
        ),
        (b"email=mo%40example.com&password=x".to_vec(), 400),
        (b"step=done&email=mo%40example.com".to_vec(), 400),
        (b"%%%&&==&".to_vec(), 400),
        (vec![], 400),
    ];
    for (body, want) in hostile {
        let shown = String::from_utf8_lossy(&body[..body.len().min(60)]).to_string();
        let (status, page, headers) = b.post_page(STAFF, body).await;
        assert_eq!(status, want, "{shown}");
        assert!(
            page.contains("Staff sign-in") && page.contains("role=\"alert\""),
            "{shown}"
        );
        assert!(headers.get("set-cookie").is_none(), "{shown}");
    }
    // A code with no sign-in behind it: back to the password, saying why.
    for step in ["code", "enrol"] {
        let (status, page, _) = b.post_page(STAFF, code_step(step, "123456")).await;
        assert_eq!(status, 401, "{step}");
        assert!(
            page.contains("Your sign-in took too long.") && page.contains("value=\"password\"")
        );
    }
    // Another site's page posting the form (login cross-site request forgery).
    for path in [STAFF, USERS] {
        let r = b
            .post(b.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", "http://evil.example")
            .header("sec-fetch-site", "cross-site")
            .body(ok.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "{path}");
        assert!(r.headers().get("set-cookie").is_none());
    }
    assert_eq!(b.page("/admin").await.0, 303, "signed in by none of them");
}

#[tokio::test]
async fn guessing_through_the_form_is_limited_and_locks_the_guessing_browser() {
    // Three sign-ins a minute from one address.
    let s = start_with(false, 3).await;
    add_staff(&s, "mo@example.com", &[], false).await;
    let b = s.browser_from("127.0.0.81");
    let mut statuses = vec![];
    for i in 0..5 {
        let (status, _, headers) = b
            .post_page(
                STAFF,
                password_step("mo@example.com", &format!("guess {i}")),
            )
            .await;
        statuses.push(status);
        // A limited sign-in says when to try again, as the API does.
        assert_eq!(status == 429, headers.contains_key("retry-after"), "{i}");
    }
    assert_eq!(statuses[..3], [401, 401, 401], "{statuses:?}");
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    // Another address is not limited by it.
    let other = s.browser_from("127.0.0.82");
    let (status, _, _) = other
        .post_page(STAFF, password_step("mo@example.com", PASSWORD))
        .await;
    assert_eq!(status, 303);

    // Without the address limit, five wrong passwords lock the account for browsers it
    // does not know: the right password then says so (a wrong one still says only that
    // it is wrong, so a guesser learns nothing).
    let s = start_with(false, 1000).await;
    add_staff(&s, "mo@example.com", &[], false).await;
    let g = s.browser_from("127.0.0.83");
    for i in 0..5 {
        let (status, _, _) = g
            .post_page(
                STAFF,
                password_step("mo@example.com", &format!("guess {i}")),
            )
            .await;
        assert_eq!(status, 401);
    }
    let (status, page, _) = g
        .post_page(STAFF, password_step("mo@example.com", "guess 5"))
        .await;
    assert_eq!(status, 401);
    assert_eq!(refusal(&page), "Email or password is incorrect.");
    let (status, page, headers) = g
        .post_page(STAFF, password_step("mo@example.com", PASSWORD))
        .await;
    assert_eq!(status, 423);
    assert!(refusal(&page).starts_with("Too many failed attempts."));
    assert!(headers.get("set-cookie").is_none());
}

#[tokio::test]
async fn users_sign_in_on_their_own_page_and_land_on_their_account() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", roster_types::StaffPermission::ALL).await;
    ready_user(&staff, "false").await;
    let ann = s.browser();
    let (status, page, _) = ann.page(USERS).await;
    assert_eq!(status, 200);
    assert!(page.contains("<form method=\"post\" action=\"/login\""));
    // Ann's password is not a staff password: the staff page refuses it.
    let (status, _, _) = ann
        .post_page(STAFF, password_step(ANN[0].1, ANN[1].1))
        .await;
    assert_eq!(status, 401);
    let (status, _, headers) = ann
        .post_page(USERS, password_step(ANN[0].1, ANN[1].1))
        .await;
    assert_eq!(status, 303);
    assert_eq!(headers["location"], "/account");
    assert_eq!(ann.page("/account").await.0, 200);
    assert_eq!(ann.page("/admin").await.0, 303, "a user is not staff");
}

#[tokio::test]
async fn the_wrong_kind_of_sign_in_and_the_same_post_twice_at_once() {
    let s = start(false).await;
    // Ann halfway through her own (user) sign-in, made to enrol by staff.
    let staff = staff_client(&s, "ops@example.com", roster_types::StaffPermission::ALL).await;
    ready_user(&staff, "true").await;
    let ann = s.browser();
    let (status, page, _) = ann
        .post_page(USERS, password_step(ANN[0].1, ANN[1].1))
        .await;
    assert_eq!(status, 200);
    let secret = secret_in(&page);
    // Her pending user sign-in is nothing on the staff page: back to the password.
    let (status, page, headers) = ann
        .post_page(STAFF, code_step("enrol", &code_in(&secret, 0)))
        .await;
    assert_eq!(status, 401);
    assert!(page.contains("Your sign-in took too long.") && page.contains("Staff sign-in"));
    assert!(headers.get("set-cookie").is_none());
    // A signed-in staff member's session is not a pending one either.
    let (status, _, _) = staff.post_page(STAFF, code_step("code", "123456")).await;
    assert_eq!(status, 401);

    // A bidi mark in the email: the same refusal as any wrong email, never a 500.
    let b = s.browser();
    let (status, page, _) = b
        .post_page(STAFF, password_step("ops\u{202e}@example.com", PASSWORD))
        .await;
    assert!(status == 401 || status == 422, "{status}");
    let said = !refusal(&page).is_empty() || page.contains("aria-invalid=\"true\"");
    assert!(said, "the page says why");
    assert_ne!(b.page("/admin").await.0, 200, "signed in by nothing");

    // The same right password posted twice at the same moment: both go on to the code.
    add_staff(&s, "twin@example.com", &[], true).await;
    let t = s.browser();
    let post = password_step("twin@example.com", PASSWORD);
    let (a, c) = tokio::join!(t.post_page(STAFF, post.clone()), t.post_page(STAFF, post));
    assert_eq!((a.0, c.0), (200, 200));
    assert!(a.1.contains("Set up two-factor authentication"));
    assert!(c.1.contains("Set up two-factor authentication"));
}
