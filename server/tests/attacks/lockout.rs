//! Guessing passwords, codes and recovery codes; locking the owner out; re-checks.

use super::common::*;
use roster_types::StaffPermission;
use serde_json::Value;

/// A six-digit code that none of the accepted time steps (now, ±1) gives.
fn wrong_code(secret: &[u8]) -> String {
    let valid: Vec<String> = (-1..=1).map(|k| code_in(secret, k)).collect();
    (0..1_000_000u32)
        .map(|n| format!("{n:06}"))
        .find(|c| !valid.contains(c))
        .unwrap()
}

async fn audit_actions(s: &Server) -> Vec<(String, Value)> {
    let c = staff_client(s, "auditor@example.com", StaffPermission::ALL).await;
    let (status, body, _) = c.call("/api/audit/list", &[("per_page", "100")]).await;
    assert_eq!(status, 200, "{body}");
    body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["action"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

/// An attacker who knows Ann's password guesses codes from four addresses, signing in
/// afresh before each guess so that no pending step lives long: how many wrong codes were
/// checked before the account locked (None: it never did).
async fn guess_codes_until_locked(s: &Server, wrong: &str) -> Option<usize> {
    let mut checked = 0;
    for round in 0..4 {
        for addr in 2..=5 {
            let a = s.browser_from(&format!("127.0.0.{addr}"));
            let (status, body, _) = a.call(USER_SIGN_IN, &ANN).await;
            if status == 423 {
                return Some(checked);
            }
            assert_eq!((status, step(&body)), (200, "need_code"), "{body}");
            let (status, body, _) = a.call("/api/auth/user/code", &[("code", wrong)]).await;
            checked += 1;
            match status {
                401 => assert_eq!(body["reason"], "wrong_code", "round {round}: {body}"),
                // The guess that filled the pool says so.
                423 => return Some(checked),
                other => panic!("unexpected {other}: {body}"),
            }
        }
    }
    None
}

#[tokio::test]
async fn code_guesses_across_sign_ins_lock_strangers_out_but_not_the_owner() {
    let s = start_with(false, 1000).await;
    let owner = s.browser_from("127.0.0.1");
    let secret = enrolled_ann(&s, &owner).await.secret;
    let locked_after = guess_codes_until_locked(&s, &wrong_code(&secret)).await;
    let locked_after = locked_after.expect("sixteen wrong codes never locked the account");
    assert!(
        locked_after <= 5,
        "locked only after {locked_after} wrong codes"
    );

    // Strangers are refused even with the right password (and so never reach a code).
    let stranger = s.browser_from("127.0.0.6");
    let (status, body, _) = stranger.call("/api/auth/user/sign-in", &ANN).await;
    assert_eq!(status, 423, "{body}");
    assert_eq!(body["reason"], "locked");

    // The owner's known browser still signs in with password and code.
    let (status, body, _) = owner.call("/api/auth/user/sign-in", &ANN).await;
    assert_eq!((status, step(&body)), (200, "need_code"), "{body}");
    let (status, body, _) = owner
        .call("/api/auth/user/code", &[("code", &code_in(&secret, 1))])
        .await;
    assert_eq!((status, step(&body)), (200, "done"), "{body}");

    // The lock and its reason are on the user's row, and in the trail.
    let staff = staff_client(&s, "lead@example.com", StaffPermission::ALL).await;
    let (_, page, _) = staff.call("/api/users/list", &[("q", "ann.lee")]).await;
    assert_eq!(page["rows"][0]["locked"], true);
    assert_eq!(page["rows"][0]["lock_reason"], "code");
    let events = audit_actions(&s).await;
    let lock = events
        .iter()
        .find(|(a, _)| a == "sign_in.locked")
        .expect("a sign_in.locked event");
    assert!(lock.1.to_string().contains("code"), "{}", lock.1);
}

#[tokio::test]
async fn parallel_code_guesses_cannot_slip_past_the_limit() {
    let s = start_with(false, 1000).await;
    let secret = enrolled_ann(&s, &s.browser()).await.secret;
    let wrong = wrong_code(&secret);
    let a = s.browser_from("127.0.0.7");
    let (status, _, _) = a.call("/api/auth/user/sign-in", &ANN).await;
    assert_eq!(status, 200);
    let guesses = (0..30).map(|_| {
        let (a, wrong) = (a.clone(), wrong.clone());
        async move { a.call("/api/auth/user/code", &[("code", &wrong)]).await }
    });
    let answers = futures::future::join_all(guesses).await;
    let checked = answers
        .iter()
        .filter(|(st, b, _)| *st == 401 && b["reason"] == "wrong_code")
        .count();
    let locked = answers.iter().filter(|(st, _, _)| *st == 423).count();
    assert!(checked <= 5, "{checked} guesses were checked at once");
    assert_eq!(checked + locked, 30, "{answers:?}");
    // And the right code is no use now from this browser.
    let (status, _, _) = a.call("/api/auth/user/sign-in", &ANN).await;
    assert_eq!(status, 423);
}

#[tokio::test]
async fn recovery_code_guesses_count_like_codes() {
    let s = start_with(false, 1000).await;
    enrolled_ann(&s, &s.browser()).await;
    let a = s.browser_from("127.0.0.8");
    let mut statuses = Vec::new();
    for i in 0..8 {
        let (status, body, _) = a.call("/api/auth/user/sign-in", &ANN).await;
        if status == 423 {
            statuses.push(423);
            continue;
        }
        assert_eq!(status, 200, "{body}");
        let guess = format!("abcde-{:05}", 10000 + i);
        statuses.push(a.call("/api/auth/user/code", &[("code", &guess)]).await.0);
    }
    let wrong = statuses.iter().filter(|s| **s == 401).count();
    assert!(wrong <= 5, "{statuses:?}");
    assert_eq!(*statuses.last().unwrap(), 423, "{statuses:?}");
}

#[tokio::test]
async fn strangers_wrong_passwords_do_not_keep_the_owner_out() {
    let s = start_with(false, 1000).await;
    let lead = staff_client(&s, "lead@example.com", StaffPermission::ALL).await;
    // The boss signs in once from their own browser, which becomes known.
    let boss = staff_client(&s, "boss@example.com", StaffPermission::ALL).await;
    assert_eq!(boss.call("/api/auth/staff/sign-out", &[]).await.0, 200);

    let stranger = s.browser_from("127.0.0.9");
    let wrong = [
        ("email", "boss@example.com"),
        ("password", "wrong wrong wrong wrong"),
    ];
    for _ in 0..6 {
        let (status, body, _) = stranger.call("/api/auth/staff/sign-in", &wrong).await;
        assert_eq!(
            (status, body["reason"].as_str()),
            (401, Some("bad_credentials"))
        );
    }
    let right = [("email", "boss@example.com"), ("password", PASSWORD)];
    let (status, _, _) = stranger.call("/api/auth/staff/sign-in", &right).await;
    assert_eq!(status, 423, "strangers are locked out");
    let (status, body, _) = s
        .browser_from("127.0.0.10")
        .call("/api/auth/staff/sign-in", &right)
        .await;
    assert_eq!(status, 423, "{body}");
    let (status, body, _) = boss.call("/api/auth/staff/sign-in", &right).await;
    assert_eq!(
        (status, step(&body)),
        (200, "done"),
        "the owner's browser: {body}"
    );

    // The lock shows on the staff list with its reason; a manager lifts it.
    let row = staff_row(&lead, "boss@example.com").await;
    assert_eq!(row["lock_reason"], "password", "{row}");
    let id = row["id"].as_str().unwrap();
    // Only staff-manage may lift it.
    let support = staff_client(&s, "support@example.com", &[StaffPermission::UsersView]).await;
    let (status, _, _) = support.call("/api/staff/unlock", &[("id", id)]).await;
    assert_eq!(status, 403);
    let (status, body, _) = lead.call("/api/staff/unlock", &[("id", id)]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["lock_reason"].is_null(), "{body}");
    let (status, _, _) = s
        .browser_from("127.0.0.10")
        .call("/api/auth/staff/sign-in", &right)
        .await;
    assert_eq!(status, 200, "unlocked for everyone");
}

#[tokio::test]
async fn thirty_wrong_current_passwords_are_cut_off_and_end_the_session() {
    let s = start_with(false, 1000).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    ready_user(&staff, "false").await;
    let thief = s.browser_from("127.0.0.11");
    assert_eq!(thief.call("/api/auth/user/sign-in", &ANN).await.0, 200);
    let mut statuses = Vec::new();
    for i in 0..30 {
        let guess = format!("guess number {i} of many");
        let (status, _, _) = thief
            .change_password(
                "/api/account/change-password",
                &guess,
                "a brand new long passphrase",
            )
            .await;
        statuses.push(status);
    }
    assert_eq!(&statuses[..4], &[422, 422, 422, 422], "{statuses:?}");
    assert_eq!(statuses[4], 423, "{statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(thief.call("/api/account/me", &[]).await.0, 401);
    // The same for 2FA and recovery codes: they share the count. And for staff.
    let events = audit_actions(&s).await;
    let failed = events
        .iter()
        .filter(|(a, _)| a == "session.recheck_failed")
        .count();
    assert_eq!(failed, 5, "{events:?}");
    assert!(events.iter().any(|(a, _)| a == "sign_in.locked"));

    let (status, _, _) = staff
        .change_password(
            "/api/auth/staff/change-password",
            "not it at all",
            "another long passphrase",
        )
        .await;
    assert_eq!(status, 422);
    for _ in 0..4 {
        staff
            .change_password(
                "/api/auth/staff/change-password",
                "not it at all",
                "another long passphrase",
            )
            .await;
    }
    assert_eq!(staff.call("/api/auth/staff/me", &[]).await.0, 401);
}

#[tokio::test]
async fn staff_change_their_own_password_and_end_their_own_sessions() {
    let s = start_with(false, 1000).await;
    let a = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let b = s.browser_from("127.0.0.12");
    let right = [("email", "ops@example.com"), ("password", PASSWORD)];
    assert_eq!(b.call("/api/auth/staff/sign-in", &right).await.0, 200);
    let (status, rows, _) = a.call("/api/auth/staff/sessions", &[]).await;
    assert_eq!(status, 200);
    let rows = rows.as_array().unwrap().clone();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows.iter().filter(|r| r["current"] == true).count(), 1);
    let other = rows.iter().find(|r| r["current"] == false).unwrap();
    let (status, n, _) = a
        .call(
            "/api/auth/staff/end-sessions",
            &[("session_id", other["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!((status, n), (200, Value::from(1)));
    assert_eq!(b.call("/api/auth/staff/me", &[]).await.0, 401);
    // A weak new password is refused by field; then a good one works.
    let (status, body, _) = a
        .change_password("/api/auth/staff/change-password", PASSWORD, "password123")
        .await;
    assert_eq!(status, 422);
    assert!(body["fields"][0]["field"] == "new_password", "{body}");
    let (status, body, _) = a
        .change_password(
            "/api/auth/staff/change-password",
            PASSWORD,
            "seven amber lanterns over the bay",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let new = [
        ("email", "ops@example.com"),
        ("password", "seven amber lanterns over the bay"),
    ];
    assert_eq!(b.call("/api/auth/staff/sign-in", &new).await.0, 200);
    assert_eq!(
        s.browser_from("127.0.0.13")
            .call("/api/auth/staff/sign-in", &right)
            .await
            .0,
        401
    );
}
