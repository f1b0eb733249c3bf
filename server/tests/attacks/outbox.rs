//! The outbox under the failures a mail server meets: two Roster instances sharing one
//! database, each with its own sender, deliver every mail exactly once; a sender that
//! dies holding a claim leaves its mails to another once the claim lapses, and its late
//! word on them changes nothing.

use super::common::smtp::SmtpSink;
use super::common::*;
use roster_core::security::crypto::SecretKey;
use roster_core::state::AppState;
use roster_data::Db;
use roster_types::StaffPermission;
use std::collections::BTreeMap;

/// New users, each mailed a verification link, made by staff `c` (their emails).
async fn users_with_links(c: &Browser, prefix: &str, n: usize) -> Vec<String> {
    let mut emails = Vec::new();
    for i in 0..n {
        let email = format!("{prefix}{i}@example.com");
        let form = [
            ("email", email.as_str()),
            ("password", PASSWORD),
            ("first_name", "Oli"),
            ("last_name", "Outbox"),
        ];
        let (status, body, _) = c.call("/api/users/create", &form).await;
        assert_eq!(status, 200, "{body}");
        emails.push(email);
    }
    emails
}

/// How many mails each recipient got.
fn per_recipient(sink: &SmtpSink) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for m in sink.mails() {
        for to in m["rcpt_tos"].as_array().unwrap() {
            *seen.entry(to.as_str().unwrap().to_string()).or_default() += 1;
        }
    }
    seen
}

#[tokio::test]
async fn two_instances_on_one_database_deliver_every_mail_exactly_once() {
    let sink = SmtpSink::start();
    let dir = data_dir();
    let (url, first_db) = test_database_url(&dir).await;
    let second_db = Db::connect(&url).await.unwrap();
    // One deployment: the instances share the key (sealed mail bodies open on either).
    let key = SecretKey::generate();
    let one = serve(AppState::new(first_db, key.clone(), mail_settings(1000))).await;
    let two = serve(AppState::new(second_db, key, mail_settings(1000))).await;
    spawn_sender(&one.state, &sink);
    spawn_sender(&two.state, &sink);

    // Staff on each instance create users at the same time: mails land in one outbox.
    let a = staff_client(&one, "one@example.com", &[StaffPermission::UsersCreate]).await;
    let b = staff_client(&two, "two@example.com", &[StaffPermission::UsersCreate]).await;
    let (x, y) = tokio::join!(
        users_with_links(&a, "via.one.", 12),
        users_with_links(&b, "via.two.", 12)
    );
    let all: Vec<String> = x.into_iter().chain(y).collect();
    for email in &all {
        assert_eq!(sink.wait_for(email, 1).await.len(), 1, "{email}");
    }
    // Both senders keep looking (every 2 s): nothing arrives a second time.
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    let seen = per_recipient(&sink);
    for email in &all {
        assert_eq!(seen.get(email), Some(&1), "{email}: {seen:?}");
    }
    let rows = roster_data::mail::newest(&one.state.db, 100).await.unwrap();
    assert_eq!(rows.len(), all.len());
    assert!(
        rows.iter().all(|r| r.status == "sent" && r.attempts == 1),
        "each claimed once: {rows:?}"
    );
}

#[tokio::test]
async fn a_sender_that_dies_holding_a_claim_leaves_its_mails_to_the_next_and_its_late_word_is_void()
{
    let sink = SmtpSink::start();
    // No sender yet: the mails wait in the outbox.
    let s = start_with_settings(mail_settings(1000)).await;
    let staff = staff_client(&s, "ops@example.com", &[StaffPermission::UsersCreate]).await;
    let emails = users_with_links(&staff, "claimed.", 3).await;

    // A sender claims them for a second and dies before sending (a crash mid-claim).
    let lease = chrono::Duration::seconds(1);
    let dead = roster_data::mail::claim_due(&s.state.db, 10, lease)
        .await
        .unwrap();
    assert_eq!(dead.len(), 3);

    // The next sender finds them claimed, and takes them once the claim lapses.
    spawn_sender(&s.state, &sink);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(sink.mails().is_empty(), "a live claim is not taken over");
    for email in &emails {
        assert_eq!(sink.wait_for(email, 1).await.len(), 1, "{email}");
    }

    // The dead sender comes back and reports on its old claim: nothing changes.
    for m in &dead {
        let mut tx = s.state.db.begin().await.unwrap();
        let outcome = roster_data::mail::Outcome::Failed;
        let took = roster_data::mail::finish(&mut tx, (m.id, m.attempts), outcome, "late")
            .await
            .unwrap();
        assert!(!took, "a lapsed claim cannot finish the mail");
        tx.commit().await.unwrap();
    }
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let rows = roster_data::mail::newest(&s.state.db, 10).await.unwrap();
    assert!(
        rows.iter().all(|r| r.status == "sent" && r.attempts == 2),
        "{rows:?}"
    );
    let seen = per_recipient(&sink);
    for email in &emails {
        assert_eq!(seen.get(email), Some(&1), "{email}: {seen:?}");
    }
}
