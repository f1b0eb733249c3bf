//! Bulk actions on Manage Users, as a support lead uses them and as an attacker would try
//! them: a search of hundreds walked in batches, refusals with their reasons, someone
//! else's permission, hostile arguments, two runs at once and a browser gone mid-batch.

use super::common::*;
use chrono::{Duration, Utc};
use roster_data::bulk::{self as seed, SeedClient, SeedLink, SeedUser};
use roster_types::StaffPermission;
use serde_json::Value;
use std::collections::BTreeSet;
use uuid::Uuid;

const BULK: &str = "/api/users/bulk";

/// `n` users named `bulk.{tag}.{i}@example.com`, of `status`, created a minute apart
/// (the newest first); their ids.
async fn seed_users(s: &Server, tag: &str, n: usize, status: &'static str) -> Vec<Uuid> {
    seed_into(&s.state.db, tag, n, status).await
}

async fn seed_into(db: &roster_data::Db, tag: &str, n: usize, status: &'static str) -> Vec<Uuid> {
    let now = Utc::now();
    let rows: Vec<SeedUser> = (0..n)
        .map(|i| {
            let mut u = SeedUser::plain(
                format!("bulk.{tag}.{i}@example.com"),
                "Bulk",
                format!("Tester{i}"),
                now - Duration::minutes(i as i64 + 1),
            );
            u.status = status;
            u
        })
        .collect();
    let mut tx = db.begin().await.unwrap();
    for chunk in rows.chunks(400) {
        seed::insert_users(&mut tx, chunk, "x").await.unwrap();
    }
    tx.commit().await.unwrap();
    rows.iter().map(|u| u.id).collect()
}

/// Every step of `action` on all users `q` and `filters` find: the outcomes, in order.
async fn walk(staff: &Browser, action: &str, q: &str, filters: &[(&str, &str)]) -> Vec<Value> {
    let mut outcomes = vec![];
    let mut after = String::new();
    for _ in 0..100 {
        let mut form = vec![("action", action), ("all", "true"), ("q", q)];
        form.extend_from_slice(filters);
        form.push(("after", &after));
        let (status, body, _) = staff.call(BULK, &form).await;
        assert_eq!(status, 200, "{body}");
        let batch = body["outcomes"].as_array().unwrap();
        assert!(batch.len() <= 100, "a request changes at most 100 users");
        outcomes.extend(batch.iter().cloned());
        match body["next"].as_str() {
            Some(next) => after = next.to_string(),
            None => return outcomes,
        }
    }
    panic!("the walk did not end");
}

fn done(outcomes: &[Value]) -> BTreeSet<String> {
    outcomes
        .iter()
        .filter(|o| o["refused"].is_null())
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect()
}

/// The English message a refusal shows (the first field's, or the error's kind).
fn why(o: &Value) -> String {
    let r = &o["refused"];
    r["fields"][0]["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| r["error"].as_str().unwrap_or("").to_string())
}

async fn status_of(s: &Server, id: Uuid) -> String {
    roster_data::users::detail(&s.state.db, id)
        .await
        .unwrap()
        .map(|u| u.status.code().to_string())
        .unwrap_or_default()
}

/// Events of `action` about users whose email is like `pattern` (the trail keeps it).
async fn events_about(s: &Server, action: &str, pattern: &str) -> i64 {
    let sql = format!(
        "SELECT COUNT(*) FROM audit_events WHERE action = '{action}' AND target_label LIKE '{pattern}'"
    );
    count(s, &sql).await
}

#[tokio::test]
async fn a_search_of_hundreds_is_activated_in_batches_each_user_once_with_its_event() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let inactive = seed_users(&s, "off", 230, "INACTIVE").await;
    let active = seed_users(&s, "on", 40, "ACTIVE").await;
    let others = seed_users(&s, "elsewhere", 20, "INACTIVE").await;

    // The search and the filter: INACTIVE users whose email has "bulk.off".
    let outcomes = walk(&staff, "activate", "bulk.off", &[("status", "inactive")]).await;
    let expected: BTreeSet<String> = inactive.iter().map(Uuid::to_string).collect();
    assert_eq!(outcomes.len(), 230, "each match once, none twice");
    assert_eq!(done(&outcomes), expected);
    // Newest first, as the list shows them.
    assert_eq!(outcomes[0]["email"], "bulk.off.0@example.com");
    for id in &inactive {
        assert_eq!(status_of(&s, *id).await, "ACTIVE");
    }
    assert_eq!(events_about(&s, "user.updated", "bulk.off.%").await, 230);
    for other in ["bulk.on.%", "bulk.elsewhere.%"] {
        assert_eq!(events_about(&s, "user.updated", other).await, 0);
    }
    assert_eq!(status_of(&s, others[0]).await, "INACTIVE");

    // The same walk again finds nobody: they left the filter.
    let again = walk(&staff, "activate", "bulk.off", &[("status", "inactive")]).await;
    assert!(again.is_empty(), "{again:?}");

    // Ticked rows: each refusal says why, as the one-user button would.
    let new = seed_users(&s, "new", 1, "NEW").await[0];
    let ids = [active[0], new, others[0], Uuid::new_v4()]
        .map(|id| id.to_string())
        .join(",");
    let (status, body, _) = staff
        .call(BULK, &[("action", "activate"), ("ids", &ids)])
        .await;
    assert_eq!(status, 200, "{body}");
    let o = body["outcomes"].as_array().unwrap();
    assert_eq!(why(&o[0]), "Already ACTIVE.");
    assert_eq!(o[0]["email"], "bulk.on.0@example.com");
    assert_eq!(
        why(&o[1]),
        "NEW: they become active when they first sign in."
    );
    assert!(o[2]["refused"].is_null(), "{}", o[2]);
    assert_eq!(
        (why(&o[3]), &o[3]["email"]),
        ("not_found".into(), &Value::from(""))
    );
    assert_eq!(body["next"], Value::Null);
    assert_eq!(status_of(&s, new).await, "NEW");
    assert_eq!(status_of(&s, others[0]).await, "ACTIVE");
}

#[tokio::test]
async fn deactivation_ends_sessions_and_delete_spares_owners_and_needs_its_permission() {
    let s = start(false).await;
    let (staff, ann) = signed_in_ann(&s).await;
    let ann_id = staff.call("/api/users/list", &[("q", "ann.lee")]).await.1["rows"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let plain = seed_users(&s, "plain", 2, "ACTIVE").await;
    let owner = seed_users(&s, "owner", 1, "ACTIVE").await[0];
    let client = SeedClient {
        id: Uuid::new_v4(),
        first_name: "Olga".into(),
        last_name: "Owner".into(),
        company_name: "Owned Ltd".into(),
        tax_id: None,
        status: "ACTIVE",
        created_at: Utc::now(),
    };
    let mut tx = s.state.db.begin().await.unwrap();
    seed::insert_clients(&mut tx, std::slice::from_ref(&client))
        .await
        .unwrap();
    let link = SeedLink {
        user_id: owner,
        client_id: client.id,
        owner: true,
        permissions: String::new(),
    };
    seed::insert_links(&mut tx, &[link]).await.unwrap();
    tx.commit().await.unwrap();

    // Deactivation ends Ann's session, with its event.
    let (status, body, _) = staff
        .call(BULK, &[("action", "deactivate"), ("ids", &ann_id)])
        .await;
    assert_eq!(
        (status, &body["outcomes"][0]["refused"]),
        (200, &Value::Null),
        "{body}"
    );
    assert_eq!(ann.call("/api/account/me", &[]).await.0, 401);
    assert_eq!(events_about(&s, "session.revoked", "ann.lee@%").await, 1);

    // Staff who may edit but not delete: 403, and nobody goes.
    let editor = staff_client(
        &s,
        "editor@example.com",
        &[StaffPermission::UsersView, StaffPermission::UsersEdit],
    )
    .await;
    let ids = format!("{},{},{owner}", plain[0], plain[1]);
    let (status, body, _) = editor
        .call(BULK, &[("action", "delete"), ("ids", &ids)])
        .await;
    assert_eq!(
        (status, &body["permission"]),
        (403, &Value::from("users-delete")),
        "{body}"
    );
    assert_eq!(status_of(&s, plain[0]).await, "ACTIVE");
    // …though they may deactivate.
    let (status, _, _) = editor
        .call(
            BULK,
            &[("action", "deactivate"), ("ids", &plain[1].to_string())],
        )
        .await;
    assert_eq!(status, 200);

    // Delete: the owner stays, and the refusal names the client.
    let (status, body, _) = staff
        .call(BULK, &[("action", "delete"), ("ids", &ids)])
        .await;
    assert_eq!(status, 200, "{body}");
    let o = body["outcomes"].as_array().unwrap();
    assert!(
        o[0]["refused"].is_null() && o[1]["refused"].is_null(),
        "{body}"
    );
    assert_eq!(o[2]["refused"]["error"], "owns_clients");
    assert_eq!(o[2]["refused"]["clients"][0], "Owned Ltd");
    assert_eq!(status_of(&s, plain[0]).await, "");
    assert_eq!(status_of(&s, owner).await, "ACTIVE");
    assert_eq!(events_about(&s, "user.deleted", "bulk.plain.%").await, 2);
    assert_eq!(events_about(&s, "user.deleted", "bulk.owner.%").await, 0);
}

#[tokio::test]
async fn sessions_two_factor_and_password_resets_refuse_what_there_is_nothing_to_do_for() {
    let s = start(false).await;
    let owner = s.browser();
    let ann = enrolled_ann(&s, &owner).await;
    let staff = ann.staff;
    let id = ann.id.clone();
    // Ann signs in with her code: one session.
    let (status, body, _) = owner.call(USER_SIGN_IN, &ANN).await;
    assert_eq!(status, 200, "{body}");
    let code = code_in(&ann.secret, 1);
    let (status, body, _) = owner.call("/api/auth/user/code", &[("code", &code)]).await;
    assert_eq!((status, step(&body)), (200, "done"), "{body}");

    let one = |action: &'static str| {
        let (staff, id) = (staff.clone(), id.clone());
        async move {
            let (status, body, _) = staff.call(BULK, &[("action", action), ("ids", &id)]).await;
            assert_eq!(status, 200, "{body}");
            body["outcomes"][0].clone()
        }
    };
    assert!(one("end_sessions").await["refused"].is_null());
    assert_eq!(owner.call("/api/account/me", &[]).await.0, 401);
    assert_eq!(why(&one("end_sessions").await), "No session to end.");

    assert_eq!(count(&s, "SELECT COUNT(*) FROM recovery_codes").await, 10);
    assert!(one("two_factor_off").await["refused"].is_null());
    let u = staff.call("/api/users/get", &[("id", &id)]).await.1;
    assert_eq!(
        (&u["two_factor"], &u["two_factor_state"]),
        (&Value::from(false), &Value::from("off")),
        "{u}"
    );
    // Her recovery codes went with the enrolment (staff here have none).
    assert_eq!(count(&s, "SELECT COUNT(*) FROM recovery_codes").await, 0);
    assert_eq!(why(&one("two_factor_off").await), "2FA is already off.");

    let mails = "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'password_reset'";
    assert_eq!(count(&s, mails).await, 0);
    assert!(one("password_reset").await["refused"].is_null());
    assert_eq!(count(&s, mails).await, 1);
    // The hourly share holds for bulk sends as for the button.
    one("password_reset").await;
    one("password_reset").await;
    assert!(!one("password_reset").await["refused"].is_null());
    assert_eq!(count(&s, mails).await, 3);
}

#[tokio::test]
async fn hostile_or_malformed_requests_get_field_errors_and_change_nothing() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let ids = seed_users(&s, "safe", 3, "ACTIVE").await;
    let one = ids[0].to_string();
    let hundred_and_one: Vec<String> = (0..101).map(|_| Uuid::new_v4().to_string()).collect();
    let many = hundred_and_one.join(",");
    let tries: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("ids", &one)], "action"),
        (vec![("action", "Deactivate"), ("ids", &one)], "action"),
        (
            vec![("action", "deactivate; DROP TABLE users"), ("ids", &one)],
            "action",
        ),
        (vec![("action", "deactivate")], "ids"),
        (vec![("action", "deactivate"), ("ids", ",,,")], "ids"),
        (
            vec![("action", "deactivate"), ("ids", "' OR 1=1 --")],
            "ids",
        ),
        (vec![("action", "deactivate"), ("ids", &many)], "ids"),
        (
            vec![("action", "deactivate"), ("all", "true"), ("after", "1.x")],
            "after",
        ),
        (
            vec![
                ("action", "deactivate"),
                ("all", "true"),
                (
                    "after",
                    "99999999999999999999.00000000-0000-0000-0000-000000000000",
                ),
            ],
            "after",
        ),
        (
            vec![
                ("action", "deactivate"),
                ("all", "true"),
                ("status", "everyone"),
            ],
            "status",
        ),
        (
            vec![
                ("action", "deactivate"),
                ("all", "true"),
                ("created_from", "2026-02-30"),
            ],
            "created_from",
        ),
    ];
    for (form, field) in tries {
        let (status, body, _) = staff.call(BULK, &form).await;
        assert_eq!(
            (status, fields(&body)),
            (422, vec![field]),
            "{form:?}: {body}"
        );
    }
    let (status, _, _) = staff
        .call(BULK, &[("action", "deactivate"), ("all", "maybe")])
        .await;
    assert_eq!(status, 400);
    // Not signed in, and signed in without the permission: nothing either.
    let stranger = s.browser();
    let (status, _, _) = stranger
        .call(BULK, &[("action", "deactivate"), ("all", "true")])
        .await;
    assert_eq!(status, 401);
    let viewer = staff_client(&s, "viewer@example.com", &[StaffPermission::UsersView]).await;
    let (status, body, _) = viewer
        .call(BULK, &[("action", "deactivate"), ("all", "true")])
        .await;
    assert_eq!(
        (status, &body["permission"]),
        (403, &Value::from("users-edit"))
    );
    for id in &ids {
        assert_eq!(status_of(&s, *id).await, "ACTIVE");
    }
    assert_eq!(events_about(&s, "user.updated", "bulk.safe.%").await, 0);
}

#[tokio::test]
async fn two_runs_at_once_change_each_user_once() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let other = staff_client(&s, "desk@example.com", StaffPermission::ALL).await;
    let ids = seed_users(&s, "race", 150, "ACTIVE").await;
    let filter = [("status", "active")];
    let (a, b) = tokio::join!(
        walk(&staff, "deactivate", "bulk.race", &filter),
        walk(&other, "deactivate", "bulk.race", &filter),
    );
    let (da, db) = (done(&a), done(&b));
    assert!(da.is_disjoint(&db), "a user changed by both runs");
    let all: BTreeSet<String> = ids.iter().map(Uuid::to_string).collect();
    assert_eq!(&da | &db, all);
    // What one run did not do, the other had done: refused as already INACTIVE.
    for o in a.iter().chain(&b).filter(|o| !o["refused"].is_null()) {
        assert_eq!(why(o), "Already INACTIVE.", "{o}");
    }
    assert_eq!(events_about(&s, "user.updated", "bulk.race.%").await, 150);
}

#[tokio::test]
async fn a_browser_gone_mid_batch_leaves_the_batch_whole_and_the_server_answering() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let ids = seed_users(&s, "gone", 100, "ACTIVE").await;
    let list: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    let list = list.join(",");
    // The same cookie, a client that hangs up after 20 ms.
    let r = staff
        .post(staff.url(BULK))
        .form(&[("action", "deactivate"), ("ids", &list)])
        .timeout(std::time::Duration::from_millis(20))
        .send()
        .await;
    assert!(
        r.is_err(),
        "the batch took under 20 ms: the test proves nothing"
    );
    // The batch goes on without the browser: every user once, each with its event.
    let started = std::time::Instant::now();
    while events_about(&s, "user.updated", "bulk.gone.%").await < 100 {
        assert!(
            started.elapsed().as_secs() < 30,
            "the batch stopped part way"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    for id in &ids {
        assert_eq!(status_of(&s, *id).await, "INACTIVE");
    }
    assert_eq!(events_about(&s, "user.updated", "bulk.gone.%").await, 100);
    // The server still answers at once.
    let (status, body, _) = staff.call("/api/users/list", &[("q", "bulk.gone")]).await;
    assert_eq!((status, body["total"].as_i64()), (200, Some(100)), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_run_killed_mid_way_leaves_each_user_whole_and_a_rerun_finishes() {
    let (dir, mut p, staff) = served_with_ops().await;
    let url = format!("sqlite://{}", dir.join("roster.db").display());
    let db = roster_data::Db::connect(&url).await.unwrap();
    seed_into(&db, "kill", 2000, "ACTIVE").await;

    let run = {
        let staff = staff.clone();
        tokio::spawn(async move {
            let mut after = String::new();
            loop {
                let form = [
                    ("action", "deactivate"),
                    ("all", "true"),
                    ("q", "bulk.kill"),
                    ("after", &after),
                ];
                let Ok(r) = staff.post(staff.url(BULK)).form(&form).send().await else {
                    return;
                };
                let Ok(body) = r.json::<Value>().await else {
                    return;
                };
                match body["next"].as_str() {
                    Some(next) => after = next.to_string(),
                    None => return,
                }
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    p.kill9();
    let _ = run.await;

    // Each user deactivated has its event, and no event lacks its change.
    let inactive =
        "SELECT COUNT(*) FROM users WHERE status = 'INACTIVE' AND email LIKE 'bulk.kill.%'";
    let events = "SELECT COUNT(*) FROM audit_events WHERE action = 'user.updated' AND target_label LIKE 'bulk.kill.%'";
    let scalar = |sql: &'static str| {
        let db = db.clone();
        async move {
            let roster_data::Db::Sqlite(pool) = &db else {
                unreachable!()
            };
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(pool)
                .await
                .unwrap()
        }
    };
    let (changed, noted) = (scalar(inactive).await, scalar(events).await);
    assert!(
        changed > 0 && changed < 2000,
        "the kill came at {changed} of 2000: move it"
    );
    assert_eq!(changed, noted);
    println!("kill -9 mid bulk run: {changed} of 2000 deactivated, {noted} events");

    // Started again, the same run does the rest, and skips those done.
    let p = Process::serve(&dir).await;
    let staff = p.browser();
    assert_eq!(staff.sign_in(STAFF_SIGN_IN, "ops@example.com").await.0, 200);
    let outcomes = walk(&staff, "deactivate", "bulk.kill", &[]).await;
    assert_eq!(outcomes.len(), 2000);
    assert_eq!(done(&outcomes).len() as i64, 2000 - changed);
    assert_eq!((scalar(inactive).await, scalar(events).await), (2000, 2000));
}

#[tokio::test]
async fn a_thousand_guessed_ids_find_nobody_and_change_nothing() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    seed_users(&s, "guessed", 5, "ACTIVE").await;
    let events = count(&s, "SELECT COUNT(*) FROM audit_events").await;
    for _ in 0..10 {
        let ids: Vec<String> = (0..100).map(|_| Uuid::new_v4().to_string()).collect();
        let (status, body, _) = staff
            .call(BULK, &[("action", "delete"), ("ids", &ids.join(","))])
            .await;
        assert_eq!(status, 200, "{body}");
        let outcomes = body["outcomes"].as_array().unwrap();
        assert_eq!(outcomes.len(), 100);
        assert!(outcomes
            .iter()
            .all(|o| why(o) == "not_found" && o["email"] == ""));
    }
    assert_eq!(count(&s, "SELECT COUNT(*) FROM audit_events").await, events);
    let (_, page, _) = staff
        .call("/api/users/list", &[("q", "bulk.guessed")])
        .await;
    assert_eq!(page["total"].as_i64(), Some(5));
}
