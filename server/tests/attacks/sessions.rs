//! The session cookie as an attacker holds it: guessed a thousand times, moved to the other
//! kind of account's cookie, and sent by many requests at the moment the session is due its
//! once-a-minute refresh. Every signed-in request reads its session, account and
//! permissions in one query (`sessions::signed_in`); these try that query's edges.

use super::common::*;
use futures::stream::{self, StreamExt};
use roster_core::security::tokens;
use roster_data::Db;
use roster_types::StaffPermission;
use serde_json::Value;

/// The value of cookie `name` among a reply's `Set-Cookie` headers.
fn set_cookie(h: &reqwest::header::HeaderMap, name: &str) -> String {
    h.get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}="))?.split(';').next())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no {name} cookie set"))
}

/// POST `path` with exactly this `Cookie` header (raw bytes): status and JSON body.
async fn with_cookie(s: &Server, path: &str, cookie: &[u8]) -> (u16, Value) {
    let cookie = reqwest::header::HeaderValue::from_bytes(cookie).unwrap();
    let r = client()
        .post(format!("{}{path}", s.url))
        .header("cookie", cookie)
        .form(&[("q", "")])
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// A staff member's session token, from the sign-in's `Set-Cookie`.
async fn staff_token(s: &Server, email: &str, permissions: &[StaffPermission]) -> String {
    add_staff(s, email, permissions, false).await;
    let (status, body, h) = s
        .browser()
        .sign_in_with(STAFF_SIGN_IN, email, PASSWORD)
        .await;
    assert_eq!((status, step(&body)), (200, "done"), "{body}");
    set_cookie(&h, "roster_admin")
}

#[tokio::test]
async fn a_thousand_guessed_session_tokens_are_each_refused_and_the_real_one_still_works() {
    let s = start(false).await;
    let token = staff_token(&s, "ops@example.com", StaffPermission::ALL).await;
    let mut near = token.clone().into_bytes();
    near[0] = if near[0] == b'A' { b'B' } else { b'A' };
    let mut guesses: Vec<Vec<u8>> = (0..990)
        .map(|_| format!("roster_admin={}", tokens::new_token()).into_bytes())
        .collect();
    guesses.extend([
        // One character off, the stored hash itself, nothing, 4 KB, raw bidi and Latin-1.
        [b"roster_admin=".to_vec(), near].concat(),
        format!("roster_admin={}", tokens::hash_token(&token)).into_bytes(),
        b"roster_admin=".to_vec(),
        format!("roster_admin={}", "A".repeat(4096)).into_bytes(),
        "roster_admin=\u{202E}x".as_bytes().to_vec(),
        b"roster_admin=\xff\xfe".to_vec(),
        format!("roster_admin={token}%00").into_bytes(),
        format!("roster_admin={token}x").into_bytes(),
        format!("roster_admin={}", &token[1..]).into_bytes(),
        format!("roster_admin='{token}' OR 1=1").into_bytes(),
    ]);
    let answers: Vec<(u16, Value)> = stream::iter(guesses)
        .map(|g| {
            let s = &s;
            async move { with_cookie(s, "/api/users/list", &g).await }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    assert_eq!(answers.len(), 1_000);
    for (status, body) in &answers {
        assert_eq!(
            (*status, &body["error"]),
            (401, &Value::from("unauthenticated"))
        );
    }
    let real = format!("roster_admin={token}");
    let (status, body) = with_cookie(&s, "/api/users/list", real.as_bytes()).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_session_moved_to_the_other_kind_of_cookie_signs_nothing_in() {
    let s = start(false).await;
    let staff = staff_token(&s, "ops@example.com", StaffPermission::ALL).await;
    let manager = s.browser();
    let (status, _) = manager.sign_in(STAFF_SIGN_IN, "ops@example.com").await;
    assert_eq!(status, 200);
    ready_user(&manager, "false").await;
    let (status, body, h) = s.browser_from("127.0.0.30").call(USER_SIGN_IN, &ANN).await;
    assert_eq!((status, step(&body)), (200, "done"), "{body}");
    let user = set_cookie(&h, "roster_session");

    // Each token where it belongs works.
    let own = format!("roster_session={user}");
    assert_eq!(
        with_cookie(&s, "/api/account/me", own.as_bytes()).await.0,
        200
    );
    let own = format!("roster_admin={staff}");
    assert_eq!(
        with_cookie(&s, "/api/users/list", own.as_bytes()).await.0,
        200
    );
    // Swapped, neither does: a user's session is no staff session, and the other way.
    for (path, cookie) in [
        ("/api/users/list", format!("roster_admin={user}")),
        ("/api/auth/staff/me", format!("roster_admin={user}")),
        ("/api/account/me", format!("roster_session={staff}")),
    ] {
        let (status, body) = with_cookie(&s, path, cookie.as_bytes()).await;
        assert_eq!(status, 401, "{path} with {cookie:.20}: {body}");
    }
}

/// Every session's last use moved `minutes` into the past.
async fn age_sessions(db: &Db, minutes: i64) {
    let at = roster_data::now() - chrono::Duration::minutes(minutes);
    let sql = "UPDATE sessions SET last_seen_at = $1";
    match db {
        Db::Sqlite(p) => sqlx::query(sql).bind(at).execute(p).await.map(drop),
        Db::Postgres(p) => sqlx::query(sql).bind(at).execute(p).await.map(drop),
    }
    .unwrap();
}

async fn last_seen(db: &Db) -> chrono::DateTime<chrono::Utc> {
    let sql = "SELECT MAX(last_seen_at) FROM sessions";
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await,
    }
    .unwrap()
}

#[tokio::test]
async fn requests_at_the_moment_a_session_is_due_its_refresh_all_get_their_answer() {
    let s = start(false).await;
    let viewer = staff_token(&s, "view@example.com", &[StaffPermission::UsersView]).await;
    let cookie = format!("roster_admin={viewer}");
    for round in 0..3 {
        age_sessions(&s.state.db, 10).await;
        let before = roster_data::now();
        let answers = futures::future::join_all(
            (0..20).map(|_| with_cookie(&s, "/api/users/list", cookie.as_bytes())),
        )
        .await;
        for (status, body) in &answers {
            assert_eq!(*status, 200, "round {round}: {body}");
        }
        // The refresh was written (once or more), not lost and not an error.
        assert!(last_seen(&s.state.db).await >= before - chrono::Duration::seconds(1));
        // Permissions still hold at that moment: the same session may not create.
        let (status, body) = with_cookie(&s, "/api/users/create", cookie.as_bytes()).await;
        assert_eq!(
            (status, &body["permission"]),
            (403, &Value::from("users-create"))
        );
    }
}
