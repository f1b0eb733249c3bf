//! The language endpoints as an attacker would use them: hostile values, huge bodies,
//! the wrong kind of session, the same change twice at once, a flood of table requests.

use super::common::*;
use roster_types::StaffPermission;

const SET: &str = "/api/auth/staff/language";
const TABLE: &str = "/api/i18n/texts";

/// The staff member's language as the server has it.
async fn language_of(c: &Browser) -> String {
    let (_, me, _) = c.call("/api/auth/staff/me", &[]).await;
    me["language"].as_str().unwrap_or_default().to_string()
}

async fn raw(c: &Browser, path: &str, body: Vec<u8>) -> u16 {
    c.post(c.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn hostile_values_are_clear_refusals_that_change_nothing() {
    let s = start(false).await;
    let c = staff_client(&s, "olena@example.com", &[StaffPermission::UsersView]).await;
    for (path, field) in [(SET, "language"), (TABLE, "lang")] {
        for value in [
            "u\u{202E}k",
            "\u{200B}uk",
            "klingon",
            "",
            "uk; DROP TABLE staff",
        ] {
            let (status, body, _) = c.call(path, &[(field, value)]).await;
            assert_eq!(
                (status, body["fields"][0]["field"].as_str()),
                (422, Some(field)),
                "{path} {value:?}: {body}"
            );
        }
        // NUL, a body that is not UTF-8, 2 MB of one field: refused before the endpoint.
        let (status, body, _) = c.call(path, &[(field, "u\0k")]).await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some(field))
        );
        assert_eq!(
            raw(&c, path, format!("{field}=%FF%FE").into_bytes()).await,
            400
        );
        let huge = format!("{field}={}", "u".repeat(2 * 1024 * 1024)).into_bytes();
        assert_eq!(raw(&c, path, huge).await, 413);
    }
    assert_eq!(language_of(&c).await, "en", "nothing changed");
}

#[tokio::test]
async fn only_a_signed_in_staff_member_sets_a_staff_language() {
    let s = start(false).await;
    // A user's session, and a sign-in stopped before its code, are not staff sessions.
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    ready_user(&staff, "false").await;
    let user = s.browser();
    let (status, _, _) = user.call("/api/auth/user/sign-in", &ANN).await;
    assert_eq!(status, 200);
    assert_eq!(user.call(SET, &[("language", "uk")]).await.0, 401);
    add_staff(&s, "half@example.com", &[StaffPermission::UsersView], true).await;
    let half = s.browser();
    let (status, body) = half
        .sign_in("/api/auth/staff/sign-in", "half@example.com")
        .await;
    assert_eq!((status, step(&body)), (200, "need_enrolment"));
    assert_eq!(half.call(SET, &[("language", "uk")]).await.0, 401);
    // A thousand tries without a session: each refused, none written.
    let stranger = s.browser_from("127.0.0.61");
    for _ in 0..1000 {
        assert_eq!(stranger.call(SET, &[("language", "uk")]).await.0, 401);
    }
    let (_, trail, _) = staff
        .call("/api/audit/list", &[("filter[action]", "staff.updated")])
        .await;
    assert_eq!(trail["total"], 0, "{trail}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_change_twice_at_once_and_a_flood_of_tables() {
    let s = start(false).await;
    let c = staff_client(&s, "olena@example.com", &[StaffPermission::UsersView]).await;
    let (a, b) = tokio::join!(
        c.call(SET, &[("language", "uk")]),
        c.call(SET, &[("language", "uk")])
    );
    assert_eq!((a.0, b.0), (200, 200), "{} {}", a.1, b.1);
    assert_eq!(language_of(&c).await, "uk");
    // Two hundred table requests, twenty at a time, from anyone: every one answered whole.
    let anyone = s.browser_from("127.0.0.62");
    for _ in 0..10 {
        let burst = (0..20).map(|_| anyone.call(TABLE, &[("lang", "fr")]));
        for (status, body, _) in futures::future::join_all(burst).await {
            assert_eq!(status, 200);
            let texts = body["texts"].as_array().map(Vec::len);
            assert_eq!(texts, Some(roster_types::i18n::EN.len()));
        }
    }
}
