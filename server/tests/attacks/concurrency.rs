//! Two (or a hundred) requests at the same moment.

use super::common::*;
use app::domain::StaffPermission;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_simultaneous_creates_with_one_email_make_one_user() {
    let s = start_with(false, 1000).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let creates = (0..100).map(|i| {
        let (c, s) = (c.clone(), &s);
        async move {
            let phone = format!("+380 50 {:03} {:04}", 100 + i, 1000 + i);
            post(
                &c,
                s,
                "/api/users/create",
                &[
                    ("email", "same@example.com"),
                    ("password", PASSWORD),
                    ("first_name", "Same"),
                    ("last_name", "Person"),
                    ("phone", &phone),
                    ("language", "en"),
                ],
            )
            .await
        }
    });
    let answers = futures::future::join_all(creates).await;
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
    let (_, page, _) = post(&c, &s, "/api/users/list", &[("q", "same@example.com")]).await;
    assert_eq!(page["total"], 1, "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_edits_of_one_version_let_one_win() {
    let s = start_with(false, 1000).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let (_, user, _) = post(&c, &s, "/api/users/create", NEW_USER).await;
    let id = user["id"].as_str().unwrap().to_string();
    let version = user["version"].to_string();
    let edits = (0..20).map(|i| {
        let (c, s, id, version) = (c.clone(), &s, id.clone(), version.clone());
        async move {
            let notes = format!("edit number {i}");
            post(
                &c,
                s,
                "/api/users/update",
                &[
                    ("id", id.as_str()),
                    ("version", version.as_str()),
                    ("email", "ann.lee@example.com"),
                    ("first_name", "Ann"),
                    ("last_name", "Lee"),
                    ("language", "uk"),
                    ("admin_notes", &notes),
                    ("status", "NEW"),
                ],
            )
            .await
        }
    });
    let answers = futures::future::join_all(edits).await;
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
