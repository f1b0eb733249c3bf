//! The CSV exports, streamed: every user a search finds, exactly once, however many share
//! a creation time; the audit trail past the old 100,000 cap; formulas kept as text; the
//! permission checked before the first byte; hostile searches and filters refused or read
//! literally, never a 500.

use super::common::*;
use roster_data::bulk::{self, SeedUser};
use roster_types::StaffPermission;
use std::collections::HashSet;

/// `n` users "Exp Orter{i}", all created at the same instant (the batches' worst case:
/// only the id tells them apart).
async fn seed_same_instant(s: &Server, n: usize) {
    let at = roster_data::now() - chrono::Duration::days(1);
    let rows: Vec<SeedUser> = (0..n)
        .map(|i| {
            SeedUser::plain(
                format!("exp.{i}@example.com"),
                "Exp",
                format!("Orter{i}"),
                at,
            )
        })
        .collect();
    let mut tx = s.state.db.begin().await.unwrap();
    for chunk in rows.chunks(500) {
        bulk::insert_users(&mut tx, chunk, "x").await.unwrap();
    }
    tx.commit().await.unwrap();
}

fn csv_rows(body: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap())
        .collect()
}

#[tokio::test]
async fn every_user_a_search_finds_is_exported_once_in_batches_as_it_streams() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", &[StaffPermission::UsersView]).await;
    seed_same_instant(&s, 2_345).await;

    let r = c
        .get(c.url("/admin/users/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(
        r.headers().get("content-length").is_none(),
        "streamed as it is read, not built first"
    );
    let body = r.text().await.unwrap();
    assert!(body.starts_with(
        "id,email,first_name,last_name,phone,language,status,invited,email_verified,two_factor,clients,created_at,last_sign_in_at\n"
    ));
    let rows = csv_rows(&body);
    assert_eq!(rows.len(), 2_345);
    let ids: HashSet<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    assert_eq!(ids.len(), 2_345, "no user twice across batch boundaries");

    // Compressed as the browser asks, whole to the last row.
    for encoding in ["gzip", "br"] {
        let r = c
            .get(c.url("/admin/users/export.csv"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["content-encoding"], encoding);
        let body = decoded(encoding, &r.bytes().await.unwrap());
        assert_eq!(csv_rows(&body).len(), 2_345, "{encoding}");
    }

    // The search as the list reads it: a substring, case-insensitive, wildcards literal.
    let (_, body, _) = c.page("/admin/users/export.csv?q=ORTER12").await;
    let rows = csv_rows(&body);
    // Orter12, Orter120…129, Orter1200…1299
    assert_eq!(rows.len(), 1 + 10 + 100);
    assert!(rows
        .iter()
        .all(|r| r.get(3).unwrap().starts_with("Orter12")));
    for q in ["%25", "_", "%5C"] {
        let (status, body, _) = c.page(&format!("/admin/users/export.csv?q={q}")).await;
        assert_eq!(status, 200);
        assert!(
            csv_rows(&body).is_empty(),
            "{q} is a character, not a wildcard"
        );
    }
}

#[tokio::test]
async fn an_exported_name_that_is_a_formula_stays_text_and_the_columns_say_what_the_table_says() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let form = [
        ("email", "formula@example.com"),
        ("first_name", "=HYPERLINK(\"http://evil.example\",\"x\")"),
        ("last_name", "@SUM(A1)"),
        ("phone", "+44 20 7946 0958"),
        ("language", "de"),
        ("two_factor", "true"),
        ("invite", "true"),
    ];
    let (status, body, _) = c.call("/api/users/create", &form).await;
    assert_eq!(status, 200, "{body}");
    let (_, body, _) = c.page("/admin/users/export.csv?q=formula").await;
    let rows = csv_rows(&body);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(&r[1], "formula@example.com");
    assert_eq!(&r[2], "'=HYPERLINK(\"http://evil.example\",\"x\")");
    assert_eq!(&r[3], "'@SUM(A1)");
    assert_eq!(&r[4], "'+442079460958", "a phone stays text");
    assert_eq!((&r[5], &r[6], &r[7]), ("de", "NEW", "true"));
    assert_eq!((&r[8], &r[9], &r[10]), ("false", "pending", "0"));
    assert!(r[11].ends_with('Z') && r[12].is_empty());
    assert!(!body.contains("argon2") && !body.contains("totp"));
}

#[tokio::test]
async fn the_exports_need_their_permission_before_any_row_and_refuse_hostile_input() {
    let s = start(false).await;
    seed_same_instant(&s, 3).await;
    // No session, a user's session, staff without the permission: no CSV.
    let (status, body, _) = s.browser().page("/admin/users/export.csv").await;
    assert!(matches!(status, 401 | 303), "{status}");
    assert!(!body.contains("exp.0@example.com"));
    let (_, ann) = signed_in_ann(&s).await;
    let (status, body, _) = ann.page("/admin/users/export.csv").await;
    assert!(matches!(status, 401 | 303), "{status}");
    assert!(!body.contains("exp.0@example.com"));
    // Halfway through a staff sign-in (password given, no code yet): no CSV either.
    let half = half_signed_in_staff(&s, "half@example.com").await;
    for path in ["/admin/users/export.csv", "/admin/audit/export.csv"] {
        let (status, body, _) = half.page(path).await;
        assert!(matches!(status, 401 | 303), "{path}: {status}");
        assert!(!body.contains("exp.0@example.com") && !body.contains("time,"));
    }
    let auditor = staff_client(&s, "audit@example.com", &[StaffPermission::AuditView]).await;
    let (status, body, _) = auditor.page("/admin/users/export.csv").await;
    assert_eq!(status, 403);
    assert!(body.contains("users-view") && !body.contains("exp.0@example.com"));
    let viewer = staff_client(&s, "view@example.com", &[StaffPermission::UsersView]).await;
    let (status, _, _) = viewer.page("/admin/audit/export.csv").await;
    assert_eq!(status, 403);

    // Hostile searches: read literally or refused, never a 500. Control characters are
    // dropped (no stored text has them): a NUL alone is no search at all.
    let (status, body, _) = viewer.page("/admin/users/export.csv?q=%00").await;
    assert_eq!(status, 200);
    assert!(csv_rows(&body).len() >= 3);
    let long = "a".repeat(10_000);
    for q in [
        "exp%00x",
        "%E2%80%AE",
        "%FF%FE",
        "%22%2C%0A%3D",
        long.as_str(),
        "'%20OR%201%3D1%20--",
    ] {
        let (status, body, _) = viewer.page(&format!("/admin/users/export.csv?q={q}")).await;
        assert!(
            matches!(status, 200 | 400 | 414 | 431),
            "{:.20}: {status}",
            q
        );
        if status == 200 {
            assert!(csv_rows(&body).is_empty(), "{:.20}", q);
        }
    }
    // A bad audit filter is refused with its field before anything is sent.
    let (status, body, _) = auditor
        .page("/admin/audit/export.csv?from=2026-13-40")
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("from"));
}

#[tokio::test]
async fn the_audit_trail_exports_whole_newest_first_in_batches() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    // 2,500 events, written as fast as one transaction goes (many share a microsecond).
    let mut tx = s.state.db.begin().await.unwrap();
    for i in 0..2_500 {
        let event = roster_types::event::Event::new(
            roster_types::event::Actor::System,
            roster_types::event::Action::UserUnlocked,
            roster_types::event::Target::System,
        )
        .changes(roster_types::event::Changes::new().note("n", i));
        roster_data::audit::record(&mut tx, event).await.unwrap();
    }
    tx.commit().await.unwrap();
    let r = c
        .get(c.url("/admin/audit/export.csv?action=user.unlocked"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().get("content-length").is_none());
    let rows = csv_rows(&r.text().await.unwrap());
    assert_eq!(rows.len(), 2_500);
    let ns: HashSet<String> = rows.iter().map(|r| r[7].to_string()).collect();
    assert_eq!(ns.len(), 2_500, "each event once");
}
