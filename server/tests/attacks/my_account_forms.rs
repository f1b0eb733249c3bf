//! My account's forms are plain HTML posted to `/admin/me` (no WASM). Posted by hand as an
//! attacker would: hostile bodies and values, guessed and foreign session ids, guessed
//! current passwords, two password changes at the same moment, another site's page, and
//! people who are not signed in as staff. A refused post changes nothing, answers with the
//! page and why, never a 500, and never shows a password that was typed.

use super::common::*;
use roster_types::StaffPermission;
use serde_json::Value;

const ME: &str = "/admin/me";

fn password_change(current: &str, new: &str) -> String {
    urlencoded(&[
        ("intent", "password"),
        ("current_password", current),
        ("new_password", new),
    ])
}

/// The trail's events of `action`, as an auditor reads them.
async fn events(auditor: &Browser, action: &str) -> Vec<Value> {
    let (status, page, _) = auditor
        .call("/api/audit/list", &[("filter[action]", action)])
        .await;
    assert_eq!(status, 200, "{page}");
    page["rows"].as_array().cloned().unwrap_or_default()
}

async fn signed_in(c: &Browser) -> bool {
    c.call("/api/auth/staff/me", &[]).await.0 == 200
}

#[tokio::test]
async fn my_account_works_without_wasm_and_never_shows_a_typed_password() {
    let s = start_with(false, 1000).await;
    let auditor = staff_client(&s, "auditor@example.com", &[StaffPermission::AuditView]).await;
    let me = staff_client(&s, "mo@example.com", &[]).await;
    let other = s.browser_from("127.0.0.31");
    assert_eq!(other.sign_in(STAFF_SIGN_IN, "mo@example.com").await.0, 200);
    let third = s.browser_from("127.0.0.32");
    assert_eq!(third.sign_in(STAFF_SIGN_IN, "mo@example.com").await.0, 200);

    // Every form posts to the page; no island on it but the hydration mark.
    let (status, page, _) = me.page(ME).await;
    assert_eq!(status, 200);
    assert_eq!(
        page.matches("<form method=\"post\" action=\"/admin/me\"")
            .count(),
        2 + 2 + 1,
        "language, password, an End for each other session, End all other sessions"
    );
    assert!(!page.contains("MyAccountControls"));

    // The language: saved, and the page that answers is in it.
    let (status, _, headers) = me
        .post_page(
            ME,
            urlencoded(&[("intent", "language"), ("language", "uk")]),
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(headers["location"], ME);
    let (_, page, _) = me.page(ME).await;
    assert!(page.contains("lang=\"uk\"") && page.contains("Мій обліковий запис"));
    // A language that is not one: refused on the field, in the page's language.
    for bad in ["xx", "<script>alert(1)</script>", "", "en\u{202e}"] {
        let (status, page, _) = me
            .post_page(ME, urlencoded(&[("intent", "language"), ("language", bad)]))
            .await;
        assert_eq!(status, 422, "{bad:?}");
        assert!(page.contains("aria-invalid=\"true\""), "{bad:?}");
        assert!(
            page.contains("f-language-error") && page.contains("<option value=\"uk\" selected")
        );
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("lang=\"uk\""));
    }
    me.post_page(
        ME,
        urlencoded(&[("intent", "language"), ("language", "en")]),
    )
    .await;
    assert_eq!(events(&auditor, "staff.updated").await.len(), 2);

    // A wrong current password: the field says so, and neither typed password comes back.
    let wrong = "certainly-not-it-4711";
    let next = "saffron harbour under seven bridges";
    let (status, page, _) = me.post_page(ME, password_change(wrong, next)).await;
    assert_eq!(status, 422);
    assert!(page.contains("That is not your current password."));
    assert!(!page.contains(wrong) && !page.contains(next));
    // A weak new one: refused on its field, nothing changed.
    let (status, page, _) = me.post_page(ME, password_change(PASSWORD, "short")).await;
    assert_eq!(status, 422);
    assert!(!page.contains(PASSWORD) && !page.contains("value=\"short\""));
    assert!(signed_in(&other).await);

    // The right one: done, the page says so, the other browsers are signed out.
    let (status, _, headers) = me.post_page(ME, password_change(PASSWORD, next)).await;
    assert_eq!(status, 303);
    assert_eq!(headers["location"], "/admin/me?done=password");
    let (_, page, _) = me.page("/admin/me?done=password").await;
    assert!(page.contains("Password changed. Your other sessions were signed out."));
    assert!(!signed_in(&other).await && !signed_in(&third).await);
    assert!(signed_in(&me).await);
    let changed = events(&auditor, "user.password_changed").await;
    assert_eq!(changed.len(), 1);
    let trail = serde_json::to_string(&events(&auditor, "").await).unwrap();
    for secret in [PASSWORD, next, wrong] {
        assert!(!trail.contains(secret), "no password in the trail");
    }

    // Sessions: End one, then End all other sessions; each says how many.
    let again: Vec<Browser> = ["127.0.0.33", "127.0.0.34", "127.0.0.35"]
        .iter()
        .map(|ip| s.browser_from(ip))
        .collect();
    for b in &again {
        assert_eq!(
            b.sign_in_with(STAFF_SIGN_IN, "mo@example.com", next)
                .await
                .0,
            200
        );
    }
    let ids = other_staff_sessions(&me).await;
    assert_eq!(ids.len(), 3);
    let (status, _, headers) = me
        .post_page(
            ME,
            urlencoded(&[("intent", "end-session"), ("session_id", &ids[0])]),
        )
        .await;
    assert_eq!(
        (status, &headers["location"]),
        (303, &"/admin/me?ended=1".parse().unwrap())
    );
    let (_, page, _) = me.page("/admin/me?ended=1").await;
    assert!(page.contains("role=\"status\"") && page.contains("Sessions ended: 1"));
    let (status, _, headers) = me
        .post_page(ME, urlencoded(&[("intent", "end-others")]))
        .await;
    assert_eq!(status, 303);
    assert_eq!(headers["location"], "/admin/me?ended=2");
    for b in &again {
        assert!(!signed_in(b).await);
    }
    assert!(signed_in(&me).await);
    // A notice read from a hand-written URL says only a number, or nothing.
    let (status, page, _) = me.page("/admin/me?ended=%3Cscript%3E").await;
    assert_eq!(status, 200);
    assert!(!page.contains("Sessions ended") && !page.contains("<script>"));
}

#[tokio::test]
async fn hostile_posts_to_my_account_change_nothing_and_are_never_a_500() {
    let s = start_with(false, 1000).await;
    let me = staff_client(&s, "mo@example.com", &[]).await;
    let other = s.browser_from("127.0.0.41");
    assert_eq!(other.sign_in(STAFF_SIGN_IN, "mo@example.com").await.0, 200);
    let stranger = staff_client(&s, "stranger@example.com", &[]).await;
    let theirs = {
        let (_, rows, _) = stranger.call("/api/auth/staff/sessions", &[]).await;
        rows[0]["id"].as_str().unwrap().to_string()
    };
    let hostile: Vec<(Vec<u8>, u16)> = vec![
        (
            b"intent=password&current_password=a%00b&new_password=x".to_vec(),
            422,
        ),
        (b"intent=language&language=%FF%FE".to_vec(), 400),
        (b"intent=language&intent=password".to_vec(), 400),
        (
            format!("intent=end-others&x={}", "a".repeat(100_000)).into_bytes(),
            400,
        ),
        (
            format!("intent=language&language={}", "x".repeat(2 << 20)).into_bytes(),
            400,
        ),
        (b"intent=delete-everything".to_vec(), 400),
        (b"intent=END-OTHERS".to_vec(), 400),
        (b"%%%&&==&".to_vec(), 400),
        (vec![], 400),
        (b"intent=end-session".to_vec(), 400),
        (b"intent=end-session&session_id=not-a-uuid".to_vec(), 400),
        (b"intent=end-session&session_id=%E2%80%AE123".to_vec(), 400),
        (b"intent=password".to_vec(), 422),
    ];
    for (body, want) in hostile {
        let shown = String::from_utf8_lossy(&body[..body.len().min(80)]).to_string();
        let (status, page, _) = me.post_page(ME, body).await;
        assert_eq!(status, want, "{shown}");
        assert!(
            page.contains("My account") && page.contains("role=\"alert\""),
            "{shown}"
        );
    }
    // A thousand guessed session ids and another member's real one end nothing.
    for _ in 0..1000 {
        let guess = uuid::Uuid::new_v4().to_string();
        let (status, _, headers) = me
            .post_page(
                ME,
                urlencoded(&[("intent", "end-session"), ("session_id", &guess)]),
            )
            .await;
        assert_eq!(
            (status, headers["location"].to_str().unwrap()),
            (303, "/admin/me?ended=0")
        );
    }
    let (_, _, headers) = me
        .post_page(
            ME,
            urlencoded(&[("intent", "end-session"), ("session_id", &theirs)]),
        )
        .await;
    assert_eq!(headers["location"], "/admin/me?ended=0");
    assert!(signed_in(&other).await && signed_in(&stranger).await && signed_in(&me).await);

    // Another site's page posting with this staff member's cookie is refused.
    for body in [
        urlencoded(&[("intent", "end-others")]),
        password_change(PASSWORD, "evil chose this password for you"),
    ] {
        let r = me
            .post(me.url(ME))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", "http://evil.example")
            .header("sec-fetch-site", "cross-site")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
    }
    assert!(signed_in(&other).await);

    // Nobody, a user's session and a half-finished staff sign-in go to the sign-in page.
    let (_, ann) = signed_in_ann(&s).await;
    let half = half_signed_in_staff(&s, "half@example.com").await;
    for c in [&s.browser(), &ann, &half] {
        for body in [
            urlencoded(&[("intent", "end-others")]),
            urlencoded(&[("intent", "language"), ("language", "de")]),
        ] {
            let (status, _, headers) = c.post_page(ME, body).await;
            assert_eq!(status, 303);
            assert_eq!(headers["location"], "/admin/login");
        }
    }
    assert!(signed_in(&other).await && signed_in(&me).await);
}

#[tokio::test]
async fn guessing_the_current_password_on_my_account_ends_the_session() {
    let s = start_with(false, 1000).await;
    let me = staff_client(&s, "mo@example.com", &[]).await;
    let mut statuses = vec![];
    let mut last = String::new();
    for i in 0..8 {
        let guess = format!("guess number {i} of many");
        let (status, page, _) = me
            .post_page(ME, password_change(&guess, "a fresh passphrase for mo"))
            .await;
        assert!(!page.contains(&guess));
        statuses.push(status);
        if status != 422 {
            last = page;
            break;
        }
    }
    // Refused on the field until the account is locked; then the page says so, and the
    // session the guesses came from has ended: the next post is sent to sign-in.
    assert_eq!(statuses, [422, 422, 422, 422, 423]);
    assert!(last.contains("Too many failed attempts."));
    assert!(!signed_in(&me).await);
    let (status, _, headers) = me
        .post_page(ME, password_change(PASSWORD, "a fresh passphrase for mo"))
        .await;
    assert_eq!(
        (status, headers["location"].to_str().unwrap()),
        (303, "/admin/login")
    );
    // The browser that guessed is locked out, even with the right password; the staff
    // member's other browsers are not (the lock is the guessing device's, so guesses
    // cannot lock the owner out).
    assert_eq!(me.sign_in(STAFF_SIGN_IN, "mo@example.com").await.0, 423);
    let fresh = s.browser_from("127.0.0.51");
    assert_eq!(fresh.sign_in(STAFF_SIGN_IN, "mo@example.com").await.0, 200);
}

#[tokio::test]
async fn two_password_changes_at_the_same_moment_one_wins_and_the_other_is_told() {
    let s = start_with(false, 1000).await;
    let me = staff_client(&s, "mo@example.com", &[]).await;
    let news: Vec<String> = (0..4)
        .map(|i| format!("racing passphrase number {i} here"))
        .collect();
    let posts = news
        .iter()
        .map(|n| me.post_page(ME, password_change(PASSWORD, n)));
    let answers = futures::future::join_all(posts).await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.0).collect();
    let won: Vec<&String> = news
        .iter()
        .zip(&answers)
        .filter(|(_, a)| a.0 == 303)
        .map(|(n, _)| n)
        .collect();
    assert_eq!(won.len(), 1, "{statuses:?}");
    for (_, page, _) in answers.iter().filter(|a| a.0 != 303) {
        assert!(page.contains("That is not your current password."));
    }
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 422),
        "{statuses:?}"
    );
    // The winner's password is the one that signs in; the losers' do not.
    for n in &news {
        let b = s.browser_from("127.0.0.61");
        let ok = b.sign_in_with(STAFF_SIGN_IN, "mo@example.com", n).await.0 == 200;
        assert_eq!(ok, n == won[0], "{n}");
    }
    assert!(signed_in(&me).await);
}

#[tokio::test]
async fn the_same_end_posted_twice_at_once_ends_one_session_once() {
    let s = start_with(false, 1000).await;
    let auditor = staff_client(&s, "auditor@example.com", &[StaffPermission::AuditView]).await;
    let me = staff_client(&s, "mo@example.com", &[]).await;
    let other = s.browser_from("127.0.0.91");
    assert_eq!(other.sign_in(STAFF_SIGN_IN, "mo@example.com").await.0, 200);
    let id = other_staff_sessions(&me).await.remove(0);
    let end = urlencoded(&[("intent", "end-session"), ("session_id", &id)]);
    let (a, b) = tokio::join!(me.post_page(ME, end.clone()), me.post_page(ME, end));
    let mut places = [
        a.2["location"].to_str().unwrap().to_string(),
        b.2["location"].to_str().unwrap().to_string(),
    ];
    places.sort();
    assert_eq!(places, ["/admin/me?ended=0", "/admin/me?ended=1"]);
    assert!(!signed_in(&other).await && signed_in(&me).await);
    assert_eq!(events(&auditor, "session.revoked").await.len(), 1);
}
