//! The Mail page (`/admin/mail`, permission mail-view): with no SMTP server the mails wait
//! there with their text (a new operator follows the links from it); with one, no text is
//! shown (staff never read another person's reset link). Retry is a plain form: only a
//! failed mail, only with the permission, audited.

use super::common::smtp::SmtpSink;
use super::common::*;
use roster_types::StaffPermission;

const ANN: &str = "ann.lee@example.com";

async fn queued_reset(s: &Server) {
    let staff = staff_client(
        s,
        "desk@example.com",
        &[StaffPermission::UsersCreate, StaffPermission::UsersEdit],
    )
    .await;
    ready_user(&staff, "false").await;
    let c = s.browser_from("127.0.0.51");
    assert_eq!(
        c.call("/api/auth/user/forgot-password", &[("email", ANN)])
            .await
            .0,
        200
    );
    // The link is queued after the answer.
    for _ in 0..100 {
        if !roster_data::mail::newest(&s.state.db, 10)
            .await
            .unwrap()
            .is_empty()
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no mail queued");
}

#[tokio::test]
async fn without_smtp_the_mail_page_shows_the_waiting_mails_to_those_who_may_see_them() {
    let s = start_with(false, 1000).await;
    queued_reset(&s).await;
    let reader = staff_client(&s, "post@example.com", &[StaffPermission::MailView]).await;
    let (status, page, _) = reader.page("/admin/mail").await;
    assert_eq!(status, 200);
    assert!(page.contains("No SMTP server is configured"));
    assert!(page.contains(ANN) && page.contains("queued"));
    assert!(
        page.contains("http://127.0.0.1/login/reset?token="),
        "the link, to follow by hand"
    );
    assert!(page.contains("href=\"/admin/mail\""), "in the menu");

    // Without the permission: refused, and no link shown.
    let other = staff_client(&s, "other@example.com", &[StaffPermission::UsersView]).await;
    let (_, page, _) = other.page("/admin/mail").await;
    assert!(!page.contains("token="));
    assert!(!page.contains("href=\"/admin/mail\""));
    assert_eq!(other.call("/api/mail/list", &[]).await.0, 403);
    // Not signed in as staff: to sign-in.
    assert_eq!(
        s.browser_from("127.0.0.52").page("/admin/mail").await.0,
        303
    );
}

#[tokio::test]
async fn with_smtp_the_page_lists_mails_but_never_their_text() {
    let sink = SmtpSink::start();
    let s = start_with_mail(&sink, 1000).await;
    queued_reset(&s).await;
    sink.wait_for(ANN, 1).await;
    let reader = staff_client(&s, "post@example.com", &[StaffPermission::MailView]).await;
    let (status, page, _) = reader.page("/admin/mail").await;
    assert_eq!(status, 200);
    assert!(page.contains(ANN));
    assert!(!page.contains("token="), "{page}");
    assert!(!page.contains("No SMTP server is configured"));
}

#[tokio::test]
async fn only_a_failed_mail_is_retried_and_only_by_those_who_may() {
    let s = start_with(false, 1000).await;
    queued_reset(&s).await;
    // The outbox's own calls: claimed and given up on, as a sender would.
    let claimed = roster_data::mail::claim_due(&s.state.db, 5, chrono::Duration::seconds(60))
        .await
        .unwrap();
    let id = claimed[0].id;
    let mut tx = s.state.db.begin().await.unwrap();
    assert!(roster_data::mail::finish(
        &mut tx,
        (id, claimed[0].attempts),
        roster_data::mail::Outcome::Failed,
        "550 no such mailbox"
    )
    .await
    .unwrap());
    tx.commit().await.unwrap();

    let reader = staff_client(
        &s,
        "post@example.com",
        &[StaffPermission::MailView, StaffPermission::AuditView],
    )
    .await;
    let (_, page, _) = reader.page("/admin/mail").await;
    assert!(page.contains("failed") && page.contains("550 no such mailbox"));
    assert!(page.contains(&format!("name=\"id\" value=\"{id}\"")));

    // Without the permission, a made-up id, garbage: refused, nothing changes.
    let other = staff_client(&s, "other@example.com", &[StaffPermission::UsersView]).await;
    let form = urlencoded(&[("id", &id.to_string())]);
    assert_eq!(other.post_page("/admin/mail", form.clone()).await.0, 403);
    let made_up = urlencoded(&[("id", &uuid::Uuid::new_v4().to_string())]);
    assert_eq!(reader.post_page("/admin/mail", made_up).await.0, 404);
    for bad in ["id=not-a-uuid", "id=%00", "", "id=1&id=2"] {
        let status = reader.post_page("/admin/mail", bad.to_string()).await.0;
        assert!(matches!(status, 400 | 404 | 422), "{bad}: {status}");
    }
    let rows = roster_data::mail::newest(&s.state.db, 10).await.unwrap();
    assert_eq!(rows[0].status, "failed");

    // Retried: queued again, once; a second retry finds nothing failed.
    let (status, _, headers) = reader.post_page("/admin/mail", form.clone()).await;
    assert_eq!(status, 303);
    assert_eq!(headers["location"], "/admin/mail");
    assert_eq!(
        roster_data::mail::newest(&s.state.db, 10).await.unwrap()[0].status,
        "queued"
    );
    assert_eq!(reader.post_page("/admin/mail", form).await.0, 404);
    let (_, trail, _) = reader
        .call("/api/audit/list", &[("filter[action]", "mail.queued")])
        .await;
    assert_eq!(
        trail["rows"].as_array().unwrap().len(),
        2,
        "the first queueing and the retry"
    );
}
