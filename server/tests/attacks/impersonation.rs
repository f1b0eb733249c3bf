//! Staff signing in as a user (support), as support uses it and as an attacker would try
//! it: no reason, a hostile one, someone else's permission, the 30 minutes run out, the
//! staff session ends, the permission is taken away, many starts at once, and every
//! change the session must not make.

use super::common::*;
use roster_types::StaffPermission;
use serde_json::Value;

const IMPERSONATE: &str = "/api/users/impersonate";
const REASON: &str = "Ticket 4411: cannot see invoices";

/// Run SQL without arguments on whichever engine the test runs on.
async fn exec(s: &Server, sql: &str) {
    match &s.state.db {
        roster_data::Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        roster_data::Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
    }
    .unwrap();
}

const OPEN: &str = "SELECT COUNT(*) FROM sessions WHERE impersonator_session IS NOT NULL";

/// The trail's events of `action`, newest first.
async fn events(staff: &Browser, action: &str) -> Vec<Value> {
    let (status, trail, _) = staff
        .call("/api/audit/list", &[("filter[action]", action)])
        .await;
    assert_eq!(status, 200, "{trail}");
    trail["rows"].as_array().unwrap().clone()
}

/// A change's note in an audit row (`changes` lines of `field` → `after`).
fn note<'a>(row: &'a Value, field: &str) -> &'a str {
    row["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == field)
        .and_then(|c| c["after"].as_str())
        .unwrap_or_else(|| panic!("no {field} in {row}"))
}

async fn user(staff: &Browser, id: &str) -> Value {
    let (status, u, _) = staff.call("/api/users/get", &[("id", id)]).await;
    assert_eq!(status, 200, "{u}");
    u
}

#[tokio::test]
async fn support_sees_the_account_as_the_user_without_signing_them_in_or_changing_their_sign_in() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let id = ready_user(&staff, "false").await;
    let before = user(&staff, &id).await;
    assert_eq!(before["status"], "NEW");

    // No reason, no session.
    let (status, body, _) = staff.call(IMPERSONATE, &[("id", &id)]).await;
    assert_eq!((status, fields(&body)), (422, vec!["reason"]), "{body}");
    assert_eq!(count(&s, OPEN).await, 0);
    assert_eq!(staff.call("/api/account/me", &[]).await.0, 401);

    let (status, body, headers) = staff
        .call(IMPERSONATE, &[("id", &id), ("reason", REASON)])
        .await;
    assert_eq!(status, 200, "{body}");
    let cookie = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("roster_session="))
        .expect("the user cookie is set");
    assert!(
        cookie.contains("Max-Age=1800") && cookie.contains("HttpOnly"),
        "{cookie}"
    );

    // The staff member's browser is now the user's, with who and why on the page.
    let (status, me, _) = staff.call("/api/account/me", &[]).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["email"], "ann.lee@example.com");
    assert_eq!(me["impersonation"]["staff"], "ops@example.com");
    assert_eq!(me["impersonation"]["reason"], REASON);
    let (_, sessions, _) = staff.call("/api/account/sessions", &[]).await;
    let current = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["current"] == true);
    assert_eq!(
        current.unwrap()["support"]["staff"],
        "ops@example.com",
        "{sessions}"
    );

    // Never a sign-in of the user's: NEW stays NEW, no last sign-in.
    let after = user(&staff, &id).await;
    assert_eq!(after["status"], "NEW");
    assert_eq!(after["last_sign_in_at"], Value::Null);

    // Nothing of the sign-in changes while staff are the user.
    let refused: [(&str, Vec<(&str, &str)>); 6] = [
        (
            "/api/account/change-password",
            vec![
                ("current_password", PASSWORD),
                ("new_password", "seven amber lanterns over the bay"),
            ],
        ),
        ("/api/account/two-factor/start", vec![]),
        ("/api/account/two-factor/confirm", vec![("code", "123456")]),
        (
            "/api/account/two-factor/disable",
            vec![("current_password", PASSWORD)],
        ),
        (
            "/api/account/recovery-codes",
            vec![("current_password", PASSWORD)],
        ),
        ("/api/account/end-sessions", vec![]),
    ];
    for (path, form) in &refused {
        let (status, body, _) = staff.call(path, form).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (403, Some("impersonating")),
            "{path}: {body}"
        );
    }
    // The profile may be corrected; the trail names the staff member, not the user.
    let profile = [
        ("profile[first_name]", "Anna"),
        ("profile[last_name]", "Lee"),
        ("profile[phone]", "+380 50 123 4567"),
        ("profile[language]", "uk"),
    ];
    let (status, body, _) = staff.call("/api/account/profile", &profile).await;
    assert_eq!(status, 200, "{body}");
    let updated = events(&staff, "user.updated").await;
    assert_eq!(updated[0]["actor_label"], "ops@example.com", "{updated:?}");

    // Ann's own sign-in is untouched: her password works, and her list shows support.
    let ann = s.browser_from("127.0.0.2");
    let (status, body, _) = ann.call(USER_SIGN_IN, &ANN).await;
    assert_eq!((status, step(&body)), (200, "done"), "{body}");
    let (_, mine, _) = ann.call("/api/account/sessions", &[]).await;
    let support: Vec<&Value> = mine
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["support"].is_null())
        .collect();
    assert_eq!(support.len(), 1, "{mine}");
    assert_eq!(support[0]["support"]["reason"], REASON);
    assert_eq!(
        ann.call("/api/account/me", &[]).await.1["impersonation"],
        Value::Null
    );

    // End (the page's button signs the user cookie out): the trail has both ends.
    assert_eq!(staff.call("/api/auth/user/sign-out", &[]).await.0, 200);
    assert_eq!(staff.call("/api/account/me", &[]).await.0, 401);
    assert_eq!(count(&s, OPEN).await, 0);
    let started = events(&staff, "user.impersonation_started").await;
    let ended = events(&staff, "user.impersonation_ended").await;
    assert_eq!((started.len(), ended.len()), (1, 1));
    for e in [&started[0], &ended[0]] {
        assert_eq!(e["actor_label"], "ops@example.com");
        assert_eq!(e["target_label"], "ann.lee@example.com");
        assert_eq!(note(e, "reason"), REASON);
    }
    assert_eq!(note(&ended[0], "ended"), "ended_by_staff");
    // The staff member is still signed in as staff, and Ann as herself.
    assert_eq!(staff.call("/api/users/get", &[("id", &id)]).await.0, 200);
    assert_eq!(ann.call("/api/account/me", &[]).await.0, 200);
    // Her activity tells her who came, why, and that it ended; and what support changed.
    let (status, activity, _) = ann.call("/api/account/activity", &[]).await;
    assert_eq!(status, 200, "{activity}");
    let kinds: Vec<&str> = column(&activity, "kind");
    assert_eq!(
        kinds,
        [
            "support_ended",
            "signed_in",
            "details_changed",
            "support_started",
            // staff verified her email before any of it
            "details_changed",
        ],
        "{activity}"
    );
    for e in [&activity[0], &activity[3]] {
        assert_eq!(e["support"]["staff"], "ops@example.com");
        assert_eq!(e["support"]["reason"], REASON);
    }
    assert_eq!(activity[2]["by_staff"], true);
    assert_eq!(activity[1]["by_staff"], false);
    // The trail holds no token: the cookie's value appears in no event.
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("roster_session=");
    let (_, all, _) = staff.call("/api/audit/list", &[("per_page", "100")]).await;
    assert!(!all.to_string().contains(token));
}

#[tokio::test]
async fn an_inactive_unverified_user_can_be_looked_at_but_still_cannot_sign_in() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let id = ready_user(&staff, "false").await;
    let u = user(&staff, &id).await;
    let version = u["version"].to_string();
    let mut edit = user_edit(&id, &version, "INACTIVE", "false");
    edit.retain(|(k, _)| *k != "email_verified");
    edit.push(("email_verified", "false"));
    let (status, body, _) = staff.call("/api/users/update", &edit).await;
    assert_eq!(status, 200, "{body}");

    let (status, body, _) = staff
        .call(IMPERSONATE, &[("id", &id), ("reason", REASON)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, me, _) = staff.call("/api/account/me", &[]).await;
    assert_eq!(
        (status, &me["email"]),
        (200, &Value::from("ann.lee@example.com"))
    );
    // Ann herself is still refused, for the reason she would be told.
    let (status, body, _) = s.browser_from("127.0.0.3").call(USER_SIGN_IN, &ANN).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(user(&staff, &id).await["status"], "INACTIVE");
}

#[tokio::test]
async fn the_session_ends_with_its_time_the_staff_session_and_the_permission() {
    let s = start(false).await;
    let lead = staff_client(&s, "lead@example.com", StaffPermission::ALL).await;
    let id = ready_user(&lead, "false").await;
    let agent = staff_client(&s, "agent@example.com", StaffPermission::ALL).await;
    let look = [("id", id.as_str()), ("reason", REASON)];

    // Used on and on, it keeps its end: 30 minutes from the start.
    assert_eq!(agent.call(IMPERSONATE, &look).await.0, 200);
    let (_, me, _) = agent.call("/api/account/me", &[]).await;
    let ends = me["impersonation"]["ends_at"].clone();
    exec(&s, "UPDATE sessions SET last_seen_at = '2000-01-01 00:00:00+00:00' WHERE impersonator_session IS NOT NULL").await;
    assert_eq!(agent.call("/api/account/me", &[]).await.0, 200);
    let (_, me, _) = agent.call("/api/account/me", &[]).await;
    assert_eq!(me["impersonation"]["ends_at"], ends);

    // Past its end: refused at once, and the sweep writes its end to the trail.
    exec(&s, "UPDATE sessions SET expires_at = '2000-01-01 00:00:00+00:00' WHERE impersonator_session IS NOT NULL").await;
    assert_eq!(agent.call("/api/account/me", &[]).await.0, 401);
    assert_eq!(
        roster_core::impersonation::end_expired(&s.state)
            .await
            .unwrap(),
        1
    );
    assert_eq!(count(&s, OPEN).await, 0);
    let ended = events(&lead, "user.impersonation_ended").await;
    assert_eq!(
        (ended[0]["actor_label"].as_str(), note(&ended[0], "ended")),
        (Some("system"), "expired")
    );
    assert_eq!(note(&ended[0], "staff"), "agent@example.com");

    // The permission taken away: refused on the next request.
    assert_eq!(agent.call(IMPERSONATE, &look).await.0, 200);
    assert_eq!(agent.call("/api/account/me", &[]).await.0, 200);
    let (_, me, _) = agent.call("/api/auth/staff/me", &[]).await;
    let agent_id = me["id"].as_str().unwrap().to_string();
    let fewer: Vec<&str> = StaffPermission::ALL
        .iter()
        .filter(|p| **p != StaffPermission::UsersImpersonate)
        .map(|p| p.code())
        .collect();
    let form = [
        ("id", agent_id.as_str()),
        ("permissions", &fewer.join(",")),
        ("active", "true"),
    ];
    let (status, body, _) = lead.call("/api/staff/update", &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(agent.call("/api/account/me", &[]).await.0, 401);
    let (status, body, _) = agent.call(IMPERSONATE, &look).await;
    assert_eq!(
        (status, body["permission"].as_str()),
        (403, Some("users-impersonate"))
    );
    let all: Vec<&str> = StaffPermission::ALL.iter().map(|p| p.code()).collect();
    let form = [
        ("id", agent_id.as_str()),
        ("permissions", &all.join(",")),
        ("active", "true"),
    ];
    assert_eq!(lead.call("/api/staff/update", &form).await.0, 200);

    // The staff session expires: so does what hangs from it.
    assert_eq!(agent.call(IMPERSONATE, &look).await.0, 200);
    assert_eq!(agent.call("/api/account/me", &[]).await.0, 200);
    let staff_sessions = "UPDATE sessions SET expires_at = '2000-01-01 00:00:00+00:00'
         WHERE staff_id = (SELECT id FROM staff WHERE email = 'agent@example.com')";
    exec(&s, staff_sessions).await;
    assert_eq!(agent.call("/api/account/me", &[]).await.0, 401);
    assert_eq!(
        roster_core::impersonation::end_expired(&s.state)
            .await
            .unwrap(),
        1
    );

    // Signing out of the admin pages ends it too, with its event.
    let agent = s.browser_from("127.0.0.4");
    let (status, body) = agent.sign_in(STAFF_SIGN_IN, "agent@example.com").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(agent.call(IMPERSONATE, &look).await.0, 200);
    assert_eq!(agent.call("/api/auth/staff/sign-out", &[]).await.0, 200);
    assert_eq!(agent.call("/api/account/me", &[]).await.0, 401);
    assert_eq!(count(&s, OPEN).await, 0);
    let ended = events(&lead, "user.impersonation_ended").await;
    assert_eq!(note(&ended[0], "ended"), "staff_signed_out");

    // The user ends it from their own list.
    let agent = s.browser_from("127.0.0.5");
    agent.sign_in(STAFF_SIGN_IN, "agent@example.com").await;
    assert_eq!(agent.call(IMPERSONATE, &look).await.0, 200);
    let ann = s.browser_from("127.0.0.6");
    assert_eq!(ann.call(USER_SIGN_IN, &ANN).await.0, 200);
    let (_, mine, _) = ann.call("/api/account/sessions", &[]).await;
    let support = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|r| !r["support"].is_null())
        .unwrap();
    let sid = support["id"].as_str().unwrap();
    let (status, body, _) = ann
        .call("/api/account/end-sessions", &[("session_id", sid)])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(agent.call("/api/account/me", &[]).await.0, 401);
}

#[tokio::test]
async fn hostile_reasons_and_ids_are_refused_and_open_nothing() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let id = ready_user(&staff, "false").await;
    let long = "x".repeat(301);
    let huge = "y".repeat(100_000);
    for reason in [
        "",
        "    ",
        "abc",
        "two\nlines",
        "nul\0here",
        "bidi \u{202e}kcah",
        &long,
        &huge,
    ] {
        let (status, body, _) = staff
            .call(IMPERSONATE, &[("id", &id), ("reason", reason)])
            .await;
        assert_eq!(
            (status, fields(&body)),
            (422, vec!["reason"]),
            "{reason:.20}: {body}"
        );
    }
    let unknown = "00000000-0000-4000-8000-000000000009";
    let (status, body, _) = staff
        .call(IMPERSONATE, &[("id", unknown), ("reason", REASON)])
        .await;
    assert_eq!(status, 404, "{body}");
    for bad in ["not-a-uuid", "", "' OR 1=1 --"] {
        let (status, body, _) = staff
            .call(IMPERSONATE, &[("id", bad), ("reason", REASON)])
            .await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
    assert_eq!(count(&s, OPEN).await, 0);
    assert!(events(&staff, "user.impersonation_started")
        .await
        .is_empty());
    // Markup and SQL in a reason are text: kept as written, shown escaped.
    let odd = "<script>alert(1)</script>'); DROP TABLE sessions; --";
    let (status, body, _) = staff
        .call(IMPERSONATE, &[("id", &id), ("reason", odd)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, me, _) = staff.call("/api/account/me", &[]).await;
    assert_eq!(me["impersonation"]["reason"], odd);
    let (status, page, _) = staff.page("/account").await;
    assert_eq!(status, 200);
    assert!(!page.contains("<script>alert(1)"), "the reason is escaped");
    // The banner, rendered on the server in Ann's language, names both people and why.
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(page.contains("ops@example.com") && page.contains("support-banner"));
    // A user session cannot start one, nor can staff without the permission.
    let ann = s.browser_from("127.0.0.2");
    ann.call(USER_SIGN_IN, &ANN).await;
    let (status, _, _) = ann
        .call(IMPERSONATE, &[("id", &id), ("reason", REASON)])
        .await;
    assert_eq!(status, 401);
    let others: Vec<StaffPermission> = StaffPermission::ALL
        .iter()
        .copied()
        .filter(|p| *p != StaffPermission::UsersImpersonate)
        .collect();
    let viewer = staff_client(&s, "viewer@example.com", &others).await;
    let (status, body, _) = viewer
        .call(IMPERSONATE, &[("id", &id), ("reason", REASON)])
        .await;
    assert_eq!(
        (status, body["permission"].as_str()),
        (403, Some("users-impersonate"))
    );
    assert_eq!(count(&s, OPEN).await, 1);
}

#[tokio::test]
async fn many_starts_at_once_leave_one_session_and_every_start_ended_in_the_trail() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let ann = ready_user(&staff, "false").await;
    let form = |reason: usize| {
        vec![
            ("id", ann.clone()),
            ("reason", format!("Ticket {reason:04}")),
        ]
    };
    let replies = staff
        .at_once(IMPERSONATE, (0..12).map(form).collect())
        .await;
    let ok = replies.iter().filter(|r| r.0 == 200).count();
    for (status, body, _) in &replies {
        // Contention may ask to try again; nothing else.
        assert!(*status == 200 || *status == 503, "{status}: {body}");
    }
    assert!(ok >= 1);
    assert_eq!(
        count(&s, OPEN).await,
        1,
        "one user at a time per staff session"
    );
    let started = events(&staff, "user.impersonation_started").await.len();
    let ended = events(&staff, "user.impersonation_ended").await.len();
    assert_eq!((started, ended), (ok, ok - 1));
}

#[tokio::test]
async fn ending_the_staff_members_sessions_ends_what_they_opened_with_its_event() {
    let s = start(false).await;
    let lead = staff_client(&s, "lead@example.com", StaffPermission::ALL).await;
    let id = ready_user(&lead, "false").await;
    let look = [("id", id.as_str()), ("reason", REASON)];
    let agent = staff_client(&s, "agent@example.com", StaffPermission::ALL).await;
    assert_eq!(agent.call(IMPERSONATE, &look).await.0, 200);

    // Someone else's session id ends nothing of theirs.
    let (_, theirs, _) = agent.call("/api/auth/staff/sessions", &[]).await;
    let agent_session = theirs[0]["id"].as_str().unwrap().to_string();
    let (status, body, _) = lead
        .call(
            "/api/auth/staff/end-sessions",
            &[("session_id", &agent_session)],
        )
        .await;
    assert!(status < 500, "{body}");
    assert_eq!(agent.call("/api/account/me", &[]).await.0, 200);
    assert_eq!(count(&s, OPEN).await, 1);

    // The agent, from a second browser, ends the first one's session.
    let second = s.browser_from("127.0.0.7");
    second.sign_in(STAFF_SIGN_IN, "agent@example.com").await;
    let form = [("session_id", agent_session.as_str())];
    let (status, body, _) = second.call("/api/auth/staff/end-sessions", &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(agent.call("/api/account/me", &[]).await.0, 401);
    assert_eq!(count(&s, OPEN).await, 0);
    let ended = events(&lead, "user.impersonation_ended").await;
    assert_eq!(note(&ended[0], "ended"), "staff_sessions_ended");
    assert_eq!(ended[0]["actor_label"], "agent@example.com");

    // Deactivated while signed in as a user: ended with its event too.
    assert_eq!(second.call(IMPERSONATE, &look).await.0, 200);
    let (_, me, _) = second.call("/api/auth/staff/me", &[]).await;
    let agent_id = me["id"].as_str().unwrap().to_string();
    let all: Vec<&str> = StaffPermission::ALL.iter().map(|p| p.code()).collect();
    let all = all.join(",");
    let form = [
        ("id", agent_id.as_str()),
        ("permissions", all.as_str()),
        ("active", "false"),
    ];
    let (status, body, _) = lead.call("/api/staff/update", &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(count(&s, OPEN).await, 0);
    let ended = events(&lead, "user.impersonation_ended").await;
    assert_eq!(ended.len(), 2);
    assert_eq!(note(&ended[0], "ended"), "staff_sessions_ended");
    assert_eq!(note(&ended[0], "reason"), REASON);
}

#[tokio::test]
async fn malformed_bodies_and_a_thousand_guessed_ids_open_nothing() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let id = ready_user(&staff, "false").await;
    let raw = |body: Vec<u8>| {
        staff
            .post(staff.url(IMPERSONATE))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    // Not UTF-8, and 2 MB of one field: refused before anything is read.
    let r = raw(format!("id={id}&reason=%FF%FE%FD").into_bytes())
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let mut huge = format!("id={id}&reason=").into_bytes();
    huge.extend(vec![b'a'; 2 * 1024 * 1024]);
    assert_eq!(raw(huge).await.unwrap().status(), 413);
    // A thousand guessed user ids, twenty at a time: each a 404, none a session.
    let guesses: Vec<Vec<(&str, String)>> = (0..1000)
        .map(|_| {
            let guess = uuid::Uuid::new_v4().to_string();
            vec![("id", guess), ("reason", REASON.to_string())]
        })
        .collect();
    for batch in guesses.chunks(20) {
        for (status, body, _) in staff.at_once(IMPERSONATE, batch.to_vec()).await {
            assert_eq!(status, 404, "{body}");
        }
    }
    assert_eq!(count(&s, OPEN).await, 0);
    assert!(events(&staff, "user.impersonation_started")
        .await
        .is_empty());
    // The same start twice at the same moment: one session, the other ended in the trail.
    let form = vec![("id", id.clone()), ("reason", REASON.to_string())];
    let replies = staff.at_once(IMPERSONATE, vec![form.clone(), form]).await;
    assert!(
        replies.iter().all(|r| r.0 == 200 || r.0 == 503),
        "{replies:?}"
    );
    assert_eq!(count(&s, OPEN).await, 1);
}
