//! My account (`/admin/me`) as an attacker tries it: the page is server HTML listing the
//! staff member's sessions (each named from a User-Agent anyone can write), and its End
//! buttons call `/api/auth/staff/end-sessions`.

use super::common::*;
use roster_types::StaffPermission;
use serde_json::Value;

/// A browser of its own with this User-Agent, signed in as staff `email` (no 2FA).
async fn signed_in_with_agent(s: &Server, email: &str, agent: &[u8]) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(reqwest::header::HeaderValue::from_bytes(agent).unwrap())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap();
    let r = c
        .post(format!("{}{STAFF_SIGN_IN}", s.url))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    c
}

#[tokio::test]
async fn my_account_is_for_signed_in_staff_only_and_shows_a_hostile_browser_as_text() {
    let s = start(false).await;
    // Signed out, a user's session and a half-finished staff sign-in go to sign-in.
    let (_, ann) = signed_in_ann(&s).await;
    let half = half_signed_in_staff(&s, "half@example.com").await;
    for c in [&s.browser(), &ann, &half] {
        let (status, _, headers) = c.page("/admin/me").await;
        assert_eq!(status, 303);
        assert_eq!(headers["location"], "/admin/login");
    }
    // A staff member without any permission has their own page.
    let me = staff_client(&s, "plain@example.com", &[]).await;
    // Another browser signs in as them with markup and quotes for a name, a third with a
    // bidi mark (not a readable header value: the server names it "Unknown").
    let agent = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let _other = signed_in_with_agent(&s, "plain@example.com", agent.as_bytes()).await;
    let bidi = "Mozilla \u{202e}xoferiF";
    let _third = signed_in_with_agent(&s, "plain@example.com", bidi.as_bytes()).await;
    let (status, page, _) = me.page("/admin/me").await;
    assert_eq!(status, 200);
    assert!(page.contains("My account"), "{page}");
    assert!(page.contains("This browser"));
    assert!(page.contains("alert(1)"), "the other session is listed");
    assert!(!page.contains("<script>alert"), "markup stays text");
    assert!(!page.contains("<img src=x"), "markup stays text");
    assert!(
        !page.contains("\"><img"),
        "an attribute is not closed by the name"
    );
    assert!(!page.contains('\u{202e}'), "no bidi mark reaches the page");
    assert!(page.contains("Unknown"));
    assert!(whole(&page));
}

/// A streamed page that arrived to its end (the stream's last script is sent).
fn whole(page: &str) -> bool {
    page.contains("</html>") && page.contains("__INCOMPLETE_CHUNKS=[];")
}

#[tokio::test]
async fn ending_sessions_twice_at_once_by_guess_and_with_hostile_ids() {
    let s = start_with(false, 1000).await;
    let a = staff_client(&s, "mo@example.com", &[]).await;
    let b = s.browser_from("127.0.0.21");
    assert_eq!(b.sign_in(STAFF_SIGN_IN, "mo@example.com").await.0, 200);
    let other = other_staff_sessions(&a).await;
    assert_eq!(other.len(), 1);
    // The same End twice at the same moment: both answer, one session ends, once.
    let form = vec![("session_id", other[0].clone())];
    let replies = a
        .at_once("/api/auth/staff/end-sessions", vec![form.clone(), form])
        .await;
    let ended: Vec<(u16, Value)> = replies.into_iter().map(|(st, n, _)| (st, n)).collect();
    assert!(ended.iter().all(|(st, _)| *st == 200), "{ended:?}");
    let total: u64 = ended.iter().map(|(_, n)| n.as_u64().unwrap()).sum();
    assert_eq!(total, 1, "{ended:?}");
    assert_eq!(b.call("/api/auth/staff/me", &[]).await.0, 401);

    // A thousand guessed ids (and another staff member's real one) end nothing.
    let c = staff_client(&s, "other@example.com", &[]).await;
    let (_, rows, _) = c.call("/api/auth/staff/sessions", &[]).await;
    let theirs = rows[0]["id"].as_str().unwrap().to_string();
    let mut guesses: Vec<Vec<(&str, String)>> = (0..1000)
        .map(|_| vec![("session_id", uuid::Uuid::new_v4().to_string())])
        .collect();
    guesses.push(vec![("session_id", theirs)]);
    for chunk in guesses.chunks(100) {
        for (status, n, _) in a
            .at_once("/api/auth/staff/end-sessions", chunk.to_vec())
            .await
        {
            assert_eq!((status, n.as_u64()), (200, Some(0)));
        }
    }
    assert_eq!(c.call("/api/auth/staff/me", &[]).await.0, 200);
    assert_eq!(a.call("/api/auth/staff/me", &[]).await.0, 200);

    // Ids that are not ids: a clear refusal, never a 5xx, nothing ended.
    let two_mb = "7".repeat(2 * 1024 * 1024);
    for bad in ["not-a-uuid", "\0", "\u{202e}123", two_mb.as_str()] {
        let (status, body, _) = a
            .call("/api/auth/staff/end-sessions", &[("session_id", bad)])
            .await;
        assert!(
            (400..500).contains(&status),
            "{status} {body} for {:?}",
            &bad[..bad.len().min(20)]
        );
    }
    // An empty id is one left out: every other session ends (none is left by now).
    let (status, n, _) = a
        .call("/api/auth/staff/end-sessions", &[("session_id", "")])
        .await;
    assert_eq!((status, n.as_u64()), (200, Some(0)));
    let raw = a
        .post(a.url("/api/auth/staff/end-sessions"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"session_id=\xff\xfe".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 400);
    assert_eq!(a.call("/api/auth/staff/me", &[]).await.0, 200);

    // Sessions of the wrong kind: a user's and a half-finished staff sign-in's.
    let (_, ann) = signed_in_ann(&s).await;
    let half = half_signed_in_staff(&s, "half@example.com").await;
    for who in [&ann, &half, &s.browser()] {
        let (status, _, _) = who.call("/api/auth/staff/end-sessions", &[]).await;
        assert_eq!(status, 401);
    }
    assert_eq!(ann.call("/api/account/me", &[]).await.0, 200);
}

#[tokio::test]
async fn twenty_my_account_pages_at_once_are_whole_and_alike() {
    let s = start(false).await;
    let me = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let pages = futures::future::join_all((0..20).map(|_| me.page("/admin/me"))).await;
    for (status, page, _) in &pages {
        assert_eq!(*status, 200);
        assert!(whole(page), "a whole page");
        assert_eq!(page.matches("This browser").count(), 1);
        assert!(page.contains("Change password"));
    }
}
