//! Email verification through a real SMTP server: a new user is mailed a link (unless staff
//! say not to); opening it shows a button and changes nothing (a mail scanner fetching the
//! link cannot use it up); posting it turns Email Verified on, once. A link sent to an
//! address the user no longer has is refused, as are made-up ones; the new address gets
//! its own.

use super::common::smtp::{token_in, SmtpSink};
use super::common::*;

const BEA: &str = "bea.verify@example.com";

fn new_user(email: &str, send: Option<&str>) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("email", email.to_string()),
        ("password", PASSWORD.to_string()),
        ("first_name", "Bea".to_string()),
        ("last_name", "Verify".to_string()),
        ("language", "en".to_string()),
    ];
    if let Some(s) = send {
        form.push(("send_verification", s.to_string()));
    }
    form
}

async fn create(staff: &Browser, form: Vec<(&str, String)>) -> String {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, user, _) = staff.call("/api/users/create", &form).await;
    assert_eq!(status, 200, "{user}");
    user["id"].as_str().unwrap().to_string()
}

async fn verified(staff: &Browser, id: &str) -> bool {
    let (_, u, _) = staff.call("/api/users/get", &[("id", id)]).await;
    u["email_verified"].as_bool().unwrap()
}

#[tokio::test]
async fn a_new_users_link_turns_email_verified_on_once_and_a_fetch_changes_nothing() {
    let sink = SmtpSink::start();
    let (s, staff) = mail_desk(&sink).await;
    let id = create(&staff, new_user(BEA, None)).await;
    assert!(!verified(&staff, &id).await);

    let mails = sink.wait_for(BEA, 1).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0]["text"]
        .as_str()
        .unwrap()
        .contains("http://127.0.0.1/verify-email?token="));
    let token = token_in(&mails[0]);

    // Opening the link (as a scanner would, twice) shows the button and changes nothing.
    let c = s.browser_from("127.0.0.61");
    for _ in 0..2 {
        let (status, page, _) = c.page(&format!("/verify-email?token={token}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Confirm my email"));
    }
    assert!(!verified(&staff, &id).await);

    // The button posted twice at the same moment: verified once.
    let form = urlencoded(&[("token", &token)]);
    let other = s.browser_from("127.0.0.62");
    let (a, b) = tokio::join!(
        c.post_page("/verify-email", form.clone()),
        other.post_page("/verify-email", form.clone())
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 410]);
    assert!(verified(&staff, &id).await);
    let (status, page, _) = c.post_page("/verify-email", form).await;
    assert_eq!(status, 410);
    assert!(page.contains("no longer valid"));

    // The trail: the user's own change, never the token.
    let (_, trail, _) = staff
        .call("/api/audit/list", &[("filter[action]", "user.updated")])
        .await;
    let all = trail.to_string();
    assert!(all.contains("email_verified") && all.contains(BEA), "{all}");
    let (_, every, _) = staff.call("/api/audit/list", &[("per_page", "200")]).await;
    assert!(!every.to_string().contains(&token));
}

#[tokio::test]
async fn no_link_when_staff_say_so_and_a_changed_email_voids_the_old_link_and_gets_a_new_one() {
    let sink = SmtpSink::start();
    let (s, staff) = mail_desk(&sink).await;
    create(&staff, new_user("quiet@example.com", Some("false"))).await;
    let id = create(&staff, new_user(BEA, Some("true"))).await;
    // The outbox sends oldest first: once Bea's mail is in, a mail for the earlier user
    // would be too.
    let token = token_in(&sink.wait_for(BEA, 1).await[0]);
    assert!(
        sink.sent_to("quiet@example.com").is_empty(),
        "no mail when told not to"
    );

    // Staff change Bea's email before she opens the link: it no longer works.
    let (_, u, _) = staff.call("/api/users/get", &[("id", &id)]).await;
    let version = u["version"].to_string();
    let edit = [
        ("id", id.as_str()),
        ("version", version.as_str()),
        ("status", "NEW"),
        ("email_verified", "false"),
        ("two_factor", "false"),
        ("email", "bea.new@example.com"),
        ("first_name", "Bea"),
        ("last_name", "Verify"),
        ("language", "en"),
    ];
    let (status, body, _) = staff.call("/api/users/update", &edit).await;
    assert_eq!(status, 200, "{body}");
    let c = s.browser_from("127.0.0.63");
    assert_eq!(
        c.post_page("/verify-email", urlencoded(&[("token", &token)]))
            .await
            .0,
        410
    );
    assert!(!verified(&staff, &id).await);

    // The new address got its own link, which works.
    let fresh = sink.wait_for("bea.new@example.com", 1).await;
    assert_eq!(fresh.len(), 1, "a link for the new address");
    let form = urlencoded(&[("token", &token_in(&fresh[0]))]);
    assert_eq!(c.post_page("/verify-email", form).await.0, 200);
    assert!(verified(&staff, &id).await);

    // Made-up, empty, huge, NUL: refused with a page, never a 500.
    let long = "A".repeat(5000);
    for bad in ["", "x", long.as_str(), "abc\0def"] {
        let (status, _, _) = c
            .post_page("/verify-email", urlencoded(&[("token", bad)]))
            .await;
        assert!(matches!(status, 410 | 422 | 400), "{bad:.10}: {status}");
        let (status, _, _) = c
            .page(&format!(
                "/verify-email?token={}",
                urlencoded(&[("t", bad)]).trim_start_matches("t=")
            ))
            .await;
        assert!(matches!(status, 200 | 410), "{bad:.10}: {status}");
    }
}

#[tokio::test]
async fn hostile_posts_another_sites_form_and_a_thousand_guesses_verify_no_one() {
    let sink = SmtpSink::start();
    let (s, staff) = mail_desk(&sink).await;
    let id = create(&staff, new_user(BEA, None)).await;
    let token = token_in(&sink.wait_for(BEA, 1).await[0]);
    let b = s.browser_from("127.0.0.64");

    let bidi = urlencoded(&[("token", &format!("\u{202e}{token}"))]);
    let hostile: Vec<Vec<u8>> = vec![
        b"token=%FF%FE".to_vec(),
        format!("token={}", "a".repeat(2 << 20)).into_bytes(),
        bidi.into_bytes(),
        b"token=abc%00def".to_vec(),
        format!("token={token}&token=other").into_bytes(),
        b"%%%&&==&".to_vec(),
        vec![0xff, 0xfe, 0x00],
        vec![],
    ];
    for body in hostile {
        let shown = String::from_utf8_lossy(&body[..body.len().min(40)]).to_string();
        let (status, page, _) = b.post_page("/verify-email", body).await;
        assert!(matches!(status, 400 | 410 | 413 | 422), "{shown}: {status}");
        assert!(page.contains("role=\"alert\""), "{shown}");
    }
    assert!(!verified(&staff, &id).await);

    // Another site's page posting the real token: refused before it is used.
    let r = b
        .post(b.url("/verify-email"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "http://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body(urlencoded(&[("token", &token)]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(!verified(&staff, &id).await);

    // A thousand guesses, eight at a time: each refused, none verifies anyone.
    let guesses: Vec<_> = (0..8)
        .map(|w| {
            let b = s.browser_from(&format!("127.0.1.{}", w + 1));
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                for _ in 0..125 {
                    let guess = roster_core::security::tokens::new_token();
                    let form = urlencoded(&[("token", &guess)]);
                    statuses.push(b.post_page("/verify-email", form).await.0);
                }
                statuses
            })
        })
        .collect();
    for g in guesses {
        assert!(g.await.unwrap().iter().all(|s| *s == 410));
    }
    assert!(!verified(&staff, &id).await);

    // The real link still works after all that.
    let form = urlencoded(&[("token", &token)]);
    assert_eq!(b.post_page("/verify-email", form).await.0, 200);
    assert!(verified(&staff, &id).await);
}
