//! Two (or a hundred) requests at the same moment.

use super::common::*;
use roster_types::StaffPermission;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_simultaneous_creates_with_one_email_make_one_user() {
    let s = start_with(false, 1000).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    const SAME: [(&str, &str); 5] = [
        ("email", "same@example.com"),
        ("password", PASSWORD),
        ("first_name", "Same"),
        ("last_name", "Person"),
        ("language", "en"),
    ];
    let with_phone = |i: u32| {
        let mut form = owned(&SAME);
        form.push(("phone", format!("+380 50 {:03} {:04}", 100 + i, 1000 + i)));
        form
    };
    let answers = c
        .at_once("/api/users/create", (0..100).map(with_phone).collect())
        .await;
    let created = answers.iter().filter(|(st, _, _)| *st == 200).count();
    let taken = answers
        .iter()
        .filter(|(st, b, _)| *st == 422 && b["fields"][0]["field"] == "email")
        .count();
    assert_eq!(
        (created, taken),
        (1, 99),
        "{:?}",
        answers.iter().map(|(st, b, _)| (st, b)).collect::<Vec<_>>()
    );
    let (_, page, _) = c
        .call("/api/users/list", &[("q", "same@example.com")])
        .await;
    assert_eq!(page["total"], 1, "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_edits_of_one_version_let_one_win() {
    let s = start_with(false, 1000).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let (_, user, _) = c.call("/api/users/create", NEW_USER).await;
    let id = user["id"].as_str().unwrap().to_string();
    let version = user["version"].to_string();
    let fixed = [
        ("id", id.as_str()),
        ("version", version.as_str()),
        ("status", "NEW"),
        ("email", "ann.lee@example.com"),
        ("first_name", "Ann"),
        ("last_name", "Lee"),
        ("language", "uk"),
    ];
    let with_notes = |i: u32| {
        let mut form = owned(&fixed);
        form.push(("admin_notes", format!("edit number {i}")));
        form
    };
    let answers = c
        .at_once("/api/users/update", (0..20).map(with_notes).collect())
        .await;
    let won = answers.iter().filter(|(st, _, _)| *st == 200).count();
    let stale = answers
        .iter()
        .filter(|(st, b, _)| *st == 409 && b["error"] == "stale")
        .count();
    assert_eq!(
        (won, stale),
        (1, 19),
        "{:?}",
        answers.iter().map(|a| (a.0, &a.1)).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_new_staff_endpoints_twice_at_the_same_moment() {
    let s = start_with(false, 1000).await;
    let lead = staff_client(&s, "lead@example.com", StaffPermission::ALL).await;
    let boss = staff_client(&s, "boss@example.com", StaffPermission::ALL).await;
    // Lock the boss out of strangers' browsers.
    let stranger = s.browser_from("127.0.0.50");
    let wrong = [
        ("email", "boss@example.com"),
        ("password", "wrong wrong wrong wrong"),
    ];
    for _ in 0..5 {
        stranger.call("/api/auth/staff/sign-in", &wrong).await;
    }
    let row = staff_row(&lead, "boss@example.com").await;
    let id = row["id"].as_str().unwrap().to_string();
    // Two unlocks at once: both answer, one lifts it, the trail says so once.
    let target = [("id", id.as_str())];
    let (a, b) = tokio::join!(
        lead.call("/api/staff/unlock", &target),
        lead.call("/api/staff/unlock", &target),
    );
    assert_eq!((a.0, b.0), (200, 200), "{} {}", a.1, b.1);
    let (_, trail, _) = lead
        .call("/api/audit/list", &[("filter[action]", "staff.unlocked")])
        .await;
    assert_eq!(trail["total"], 1, "{trail}");
    // Two identical password changes at once: no 5xx, and the new password is the one.
    let form = [
        ("current_password", PASSWORD),
        ("new_password", "seven amber lanterns over the bay"),
    ];
    let (x, y) = tokio::join!(
        boss.call("/api/auth/staff/change-password", &form),
        boss.call("/api/auth/staff/change-password", &form),
    );
    assert!(x.0 < 500 && y.0 < 500, "{} {}", x.1, y.1);
    assert!(x.0 == 200 || y.0 == 200, "{} {}", x.1, y.1);
    let new = [
        ("email", "boss@example.com"),
        ("password", "seven amber lanterns over the bay"),
    ];
    assert_eq!(
        s.browser_from("127.0.0.51")
            .call("/api/auth/staff/sign-in", &new)
            .await
            .0,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_setup_link_used_twice_at_the_same_moment_makes_one_staff_member() {
    let s = start_with(true, 1000).await;
    let token = roster_core::setup::issue_link_if_empty(&s.state)
        .await
        .unwrap()
        .unwrap();
    let form = |email: &str| owned(&[("token", &token), ("email", email), ("password", PASSWORD)]);
    let forms = vec![form("first@example.com"), form("second@example.com")];
    let answers = s.browser().at_once("/api/setup/create-staff", forms).await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.0).collect();
    assert_eq!(
        statuses.iter().filter(|st| **st == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|st| matches!(st, 200 | 410 | 503)),
        "{statuses:?}"
    );
    assert_eq!(roster_data::staff::count(&s.state.db).await.unwrap(), 1);
}
