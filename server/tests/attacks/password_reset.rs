//! Forgot password, through a real SMTP server on loopback (`common::smtp`): asked for as
//! an attacker would (known and unknown emails, floods, hostile links, the same link twice
//! at once), with the SMTP server stopped and started again. The answer never says whether
//! an email has an account; a link works once; no token reaches the trail or the outbox.

use super::common::smtp::{token_in, SmtpSink};
use super::common::*;
use roster_types::StaffPermission;
use serde_json::Value;

const FORGOT: &str = "/api/auth/user/forgot-password";
const RESET: &str = "/api/auth/user/reset-password";
const ANN: &str = "ann.lee@example.com";
const NEW_PASSWORD: &str = "copper lantern over quiet harbour";

/// A reset from `c` with `token` and the new password: the status.
async fn reset(c: &Browser, path: &str, token: &str) -> u16 {
    let form = [("token", token), ("new_password", NEW_PASSWORD)];
    c.call(path, &form).await.0
}

/// A server sending to `sink`, with Ann (a user, no 2FA) made by a staff member who may
/// also read the trail.
async fn with_ann(sink: &SmtpSink) -> (Server, Browser) {
    let s = start_with_mail(sink, 1000).await;
    let staff = [
        StaffPermission::UsersCreate,
        StaffPermission::UsersEdit,
        StaffPermission::AuditView,
    ];
    let staff = staff_client(&s, "desk@example.com", &staff).await;
    ready_user(&staff, "false").await;
    (s, staff)
}

async fn trail(auditor: &Browser) -> Vec<Value> {
    let (status, page, _) = auditor
        .call("/api/audit/list", &[("page_size", "100")])
        .await;
    assert_eq!(status, 200, "{page}");
    page["rows"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_reset_link_by_mail_works_once_and_the_answer_never_tells_who_has_an_account() {
    let sink = SmtpSink::start();
    let (s, staff) = with_ann(&sink).await;
    let ann = s.browser_from("127.0.0.41");
    assert_eq!(ann.sign_in(USER_SIGN_IN, ANN).await.0, 200);
    let stranger = s.browser_from("127.0.0.42");

    // Known and unknown emails: the same status and body.
    let known = stranger.call(FORGOT, &[("email", ANN)]).await;
    let unknown = stranger
        .call(FORGOT, &[("email", "nobody@example.com")])
        .await;
    assert_eq!((known.0, &known.1), (unknown.0, &unknown.1));
    assert_eq!(known.0, 200);

    // One mail, to Ann, in her language (uk), with an absolute link.
    let mails = sink.wait_for(ANN, 1).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert!(mail["text"]
        .as_str()
        .unwrap()
        .contains("http://127.0.0.1/login/reset?token="));
    assert!(
        mail["subject"].as_str().unwrap().contains("Acme Panel"),
        "{mail}"
    );
    assert!(
        mail["subject"].as_str().unwrap().contains("пароля"),
        "Ann's language is uk: {mail}"
    );
    assert!(!mail["html"].as_str().unwrap().contains("<img"));
    let token = token_in(mail);
    assert_eq!(token.len(), 43);

    // A weak password is refused and leaves the link usable.
    let (status, body, _) = stranger
        .call(RESET, &[("token", &token), ("new_password", "password")])
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(fields(&body), ["new_password"]);

    // Hostile links: refused as invalid, never a 500.
    let long = "A".repeat(10_000);
    for bad in ["", "x", long.as_str(), &token[..42], "../../etc/passwd"] {
        let (status, body, _) = stranger
            .call(RESET, &[("token", bad), ("new_password", NEW_PASSWORD)])
            .await;
        assert_eq!(status, 410, "{bad:.20}: {body}");
    }
    // A NUL is refused before anything is looked up, as in every field.
    let (status, body, _) = stranger
        .call(
            RESET,
            &[("token", "nul\0byte"), ("new_password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!((status, fields(&body)), (422, vec!["token"]), "{body}");

    // The same link twice at the same moment: one reset.
    let form = || {
        vec![
            ("token", token.clone()),
            ("new_password", NEW_PASSWORD.to_string()),
        ]
    };
    let replies = stranger.at_once(RESET, vec![form(), form()]).await;
    let mut statuses: Vec<u16> = replies.iter().map(|r| r.0).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 410], "{replies:?}");
    // And once more, later: refused.
    assert_eq!(
        stranger
            .call(
                RESET,
                &form()
                    .iter()
                    .map(|(k, v)| (*k, v.as_str()))
                    .collect::<Vec<_>>()
            )
            .await
            .0,
        410
    );

    // Ann's session ended; the old password is refused, the new one works.
    assert_eq!(ann.call("/api/account/me", &[]).await.0, 401);
    assert_eq!(ann.sign_in(USER_SIGN_IN, ANN).await.0, 401);
    let (status, body, _) = ann.sign_in_with(USER_SIGN_IN, ANN, NEW_PASSWORD).await;
    assert_eq!(status, 200, "{body}");

    // The notice that the password changed.
    let mails = sink.wait_for(ANN, 2).await;
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(mails[1]["text"].as_str().unwrap().contains("/login/forgot"));

    // The trail: the reset and the mails, never a token.
    let events = trail(&staff).await;
    let actions: Vec<&str> = events.iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"user.password_reset"), "{actions:?}");
    assert!(actions.iter().filter(|a| **a == "mail.queued").count() >= 2);
    assert!(actions.contains(&"mail.sent"));
    let all = serde_json::to_string(&events).unwrap();
    assert!(!all.contains(&token), "a token in the trail");
}

#[tokio::test]
async fn mails_wait_while_smtp_is_down_and_arrive_once_when_it_is_back() {
    let mut sink = SmtpSink::start();
    let (s, _) = with_ann(&sink).await;
    sink.stop();

    let c = s.browser_from("127.0.0.43");
    assert_eq!(c.call(FORGOT, &[("email", ANN)]).await.0, 200);
    // Attempts fail meanwhile (connection refused), and are tried again.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert!(sink.mails().is_empty());
    sink.resume();
    let mails = sink.wait_for(ANN, 1).await;
    assert_eq!(mails.len(), 1);
    // Exactly once: nothing more comes after it was delivered.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(sink.wait_for(ANN, 1).await.len(), 1);
    // The link in it works.
    let token = token_in(&mails[0]);
    assert_eq!(reset(&c, RESET, &token).await, 200);
}

#[tokio::test]
async fn asking_again_and_again_floods_no_mailbox() {
    let sink = SmtpSink::start();
    let (s, _) = with_ann(&sink).await;
    let c = s.browser_from("127.0.0.44");
    for _ in 0..10 {
        assert_eq!(c.call(FORGOT, &[("email", ANN)]).await.0, 200);
    }
    let mails = sink.wait_for(ANN, 4).await;
    assert_eq!(mails.len(), 3, "three links an hour per account");
    // Each link is its own; an older one still works until one is used, then none does.
    let tokens: Vec<String> = mails.iter().map(token_in).collect();
    assert_eq!(reset(&c, RESET, &tokens[0]).await, 200);
    assert_eq!(reset(&c, RESET, &tokens[2]).await, 410);

    // Malformed emails get a field error; nothing is sent.
    for bad in ["", "not an email", "a@b@c", &"x".repeat(300)] {
        let (status, body, _) = c.call(FORGOT, &[("email", bad)]).await;
        assert_eq!(status, 422, "{bad:.20}: {body}");
    }
}

#[tokio::test]
async fn the_address_limit_holds_for_forgot_password() {
    let sink = SmtpSink::start();
    let s = start_with_mail(&sink, 3).await;
    let c = s.browser_from("127.0.0.45");
    let mut statuses = Vec::new();
    for i in 0..5 {
        statuses.push(
            c.call(FORGOT, &[("email", &format!("p{i}@example.com"))])
                .await
                .0,
        );
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    // Another address is not held back.
    assert_eq!(
        s.browser_from("127.0.0.46")
            .call(FORGOT, &[("email", ANN)])
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn staff_reset_their_password_the_same_way() {
    let sink = SmtpSink::start();
    let s = start_with_mail(&sink, 1000).await;
    staff_client(&s, "mo@example.com", &[]).await;
    let c = s.browser_from("127.0.0.47");
    assert_eq!(
        c.call(
            "/api/auth/staff/forgot-password",
            &[("email", "mo@example.com")]
        )
        .await
        .0,
        200
    );
    let mails = sink.wait_for("mo@example.com", 1).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0]["text"]
        .as_str()
        .unwrap()
        .contains("http://127.0.0.1/admin/login/reset?token="));
    let token = token_in(&mails[0]);
    // A staff link is no user link.
    assert_eq!(reset(&c, RESET, &token).await, 410);
    assert_eq!(
        reset(&c, "/api/auth/staff/reset-password", &token).await,
        200
    );
    assert_eq!(
        c.sign_in_with(STAFF_SIGN_IN, "mo@example.com", NEW_PASSWORD)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn staff_send_a_reset_link_from_edit_and_never_learn_the_password() {
    const SEND: &str = "/api/users/send-password-reset";
    let sink = SmtpSink::start();
    let (s, staff) = mail_desk(&sink).await;
    let id = ready_user(&staff, "false").await;
    let ann = s.browser_from("127.0.0.49");
    assert_eq!(ann.sign_in(USER_SIGN_IN, ANN).await.0, 200);

    let (status, body, _) = staff.call(SEND, &[("id", &id)]).await;
    assert_eq!((status, body.clone()), (200, Value::Null), "{body}");
    let mails = sink.wait_for(ANN, 1).await;
    assert_eq!(mails.len(), 1);
    let token = token_in(&mails[0]);
    assert!(mails[0]["text"]
        .as_str()
        .unwrap()
        .contains("http://127.0.0.1/login/reset?token="));

    // Three more at the same moment: the hourly share (three) holds, the rest are told why.
    let one = [("id", id.as_str())];
    let (a, b, c) = tokio::join!(
        staff.call(SEND, &one),
        staff.call(SEND, &one),
        staff.call(SEND, &one)
    );
    let mut statuses = [a.0, b.0, c.0];
    statuses.sort();
    assert_eq!(statuses, [200, 200, 422]);
    let refused = [a, b, c].into_iter().find(|r| r.0 == 422).unwrap().1;
    assert_eq!(fields(&refused), ["email"], "{refused}");
    assert!(refused.to_string().contains("last hour"), "{refused}");
    assert_eq!(sink.wait_for(ANN, 4).await.len(), 3);

    // Ann uses the first link: her password is hers, her old session is over.
    assert_eq!(reset(&ann, RESET, &token).await, 200);
    assert_eq!(ann.call("/api/account/me", &[]).await.0, 401);
    assert_eq!(sink.wait_for(ANN, 4).await.len(), 4, "and the notice");
    let fresh = s.browser_from("127.0.0.50");
    assert_eq!(
        fresh.sign_in_with(USER_SIGN_IN, ANN, NEW_PASSWORD).await.0,
        200
    );

    // An INACTIVE user could not use a link: refused with the reason, nothing sent.
    let (_, u, _) = staff.call("/api/users/get", &[("id", &id)]).await;
    let version = u["version"].to_string();
    let edit = user_edit(&id, &version, "INACTIVE", "false");
    assert_eq!(staff.call("/api/users/update", &edit).await.0, 200);
    let (status, body, _) = staff.call(SEND, &[("id", &id)]).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(fields(&body), ["status"]);

    // Someone else, nobody, garbage; and a staff member who may not edit users.
    let nobody = uuid::Uuid::new_v4().to_string();
    assert_eq!(staff.call(SEND, &[("id", &nobody)]).await.0, 404);
    for bad in ["", "x", "00000000-0000-0000-0000-00000000000g"] {
        let status = staff.call(SEND, &[("id", bad)]).await.0;
        assert!(matches!(status, 400 | 422), "{bad}: {status}");
    }
    let viewer = staff_client(&s, "viewer@example.com", &[StaffPermission::UsersView]).await;
    assert_eq!(viewer.call(SEND, &[("id", &id)]).await.0, 403);
    // Three links, the password notice, and the notice of the sign-in from `fresh`.
    let mails = sink.wait_for(ANN, 5).await;
    assert_eq!(mails.len(), 5);
    assert!(mails[4]["text"].as_str().unwrap().contains("127.0.0.50"));

    // The trail says who sent what to whom, never the link.
    let rows = trail(&staff).await;
    let queued: Vec<&Value> = rows
        .iter()
        .filter(|r| r["action"] == "mail.queued" && r["actor_label"] == "desk@example.com")
        .collect();
    assert_eq!(queued.len(), 3, "{rows:?}");
    let all = serde_json::to_string(&rows).unwrap();
    assert!(!all.contains(&token));
}

#[tokio::test]
async fn the_forgot_and_reset_pages_work_as_plain_forms() {
    let sink = SmtpSink::start();
    let (s, _) = with_ann(&sink).await;
    let c = s.browser_from("127.0.0.48");

    let (status, page, _) = c.page("/login").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("href=\"/login/forgot\""),
        "sign-in links to forgot password"
    );

    let (status, page, _) = c
        .post_page("/login/forgot", urlencoded(&[("email", ANN)]))
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("is on its way"));
    let (status, unknown, _) = c
        .post_page(
            "/login/forgot",
            urlencoded(&[("email", "nobody@example.com")]),
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        unknown.contains("is on its way"),
        "the same words for an unknown email"
    );
    let (status, page, _) = c
        .post_page("/login/forgot", urlencoded(&[("email", "nope")]))
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("name=\"email\""), "the form again, with why");

    let token = token_in(&sink.wait_for(ANN, 1).await[0]);
    let link = format!("/login/reset?token={token}");
    let (status, page, _) = c.page(&link).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("name=\"token\" value=\"{token}\"")),
        "{page}"
    );

    // A weak password: the same form, the same link, the password not echoed.
    let weak = urlencoded(&[("token", &token), ("new_password", "password1")]);
    let (status, page, _) = c.post_page("/login/reset", weak).await;
    assert_eq!(status, 422);
    assert!(page.contains(&token) && !page.contains("value=\"password1\""));

    let good = urlencoded(&[("token", &token), ("new_password", NEW_PASSWORD)]);
    let (status, page, _) = c.post_page("/login/reset", good.clone()).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Sign in with the new password"));
    assert!(!page.contains(NEW_PASSWORD));

    // Used: the link and the form both say so, and offer a new one.
    for (status, page) in
        [c.page(&link).await, c.post_page("/login/reset", good).await].map(|(s, p, _)| (s, p))
    {
        assert_eq!(status, 410);
        assert!(page.contains("no longer valid") && page.contains("href=\"/login/forgot\""));
    }
    assert_eq!(c.sign_in_with(USER_SIGN_IN, ANN, NEW_PASSWORD).await.0, 200);

    // Staff's pages need no session, and a made-up link is refused there too.
    let (status, page, _) = c.page("/admin/login/reset?token=made-up").await;
    assert_eq!(status, 410, "{page}");
    let (status, _, _) = c.page("/admin/login/forgot").await;
    assert_eq!(status, 200);
    let (status, _, _) = c.page("/login/reset").await;
    assert_eq!(status, 410, "no token at all");
}

/// The notices' subjects Ann has received, oldest first.
async fn subjects(sink: &SmtpSink, n: usize) -> Vec<String> {
    let mails = sink.wait_for(ANN, n).await;
    mails
        .iter()
        .map(|m| m["subject"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn security_notices_tell_the_account_what_changed_and_nothing_secret() {
    use roster_core::security::totp;
    let sink = SmtpSink::start();
    let (s, _) = with_ann(&sink).await;
    let ann = s.browser_from("127.0.0.49");
    assert_eq!(ann.sign_in(USER_SIGN_IN, ANN).await.0, 200);

    // Her own password change: a notice, in her language (uk), after the change committed.
    let (status, body, _) = ann
        .change_password("/api/account/change-password", PASSWORD, NEW_PASSWORD)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(subjects(&sink, 1).await, ["Пароль Acme Panel змінено"]);
    // A refused change sends nothing.
    let (status, _, _) = ann
        .change_password(
            "/api/account/change-password",
            "wrong one",
            "another long passphrase here",
        )
        .await;
    assert_ne!(status, 200);

    // 2FA she turned on herself, new recovery codes, 2FA off: a notice for each of the last two.
    let (_, start, _) = ann.call("/api/account/two-factor/start", &[]).await;
    let secret = totp::secret_from_base32(start["secret"].as_str().unwrap()).unwrap();
    let (status, body, _) = ann
        .call(
            "/api/account/two-factor/confirm",
            &[("code", &code_in(&secret, 0))],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, codes, _) = ann
        .call(
            "/api/account/recovery-codes",
            &[("current_password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "{codes}");
    let (status, body, _) = ann
        .call(
            "/api/account/two-factor/disable",
            &[("current_password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let got = subjects(&sink, 3).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[1].contains("коди відновлення"), "{got:?}");
    assert!(got[2].contains("Двофакторну"), "{got:?}");
    // No code, no password in any notice; each points to the reset page.
    let mails = sink.wait_for(ANN, 3).await;
    let all = serde_json::to_string(&mails).unwrap();
    for code in strings(&codes["codes"]) {
        assert!(!all.contains(&code));
    }
    assert!(!all.contains(NEW_PASSWORD) && !all.contains(PASSWORD));
    assert!(mails.iter().all(|m| m["text"]
        .as_str()
        .unwrap()
        .contains("http://127.0.0.1/login/forgot")));

    // Staff changing their own password are told too. Mo stays in the browser of her first
    // sign-in, so no new-browser notice races the password notice.
    let mo = staff_client(&s, "mo@example.com", &[]).await;
    let (status, _, _) = mo
        .change_password("/api/auth/staff/change-password", PASSWORD, NEW_PASSWORD)
        .await;
    assert_eq!(status, 200);
    let mails = sink.wait_for("mo@example.com", 1).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["subject"], "Your Acme Panel password was changed");
    assert!(mails[0]["text"]
        .as_str()
        .unwrap()
        .contains("/admin/login/forgot"));
}

#[tokio::test]
async fn a_sign_in_from_a_browser_not_seen_before_is_told_to_the_account() {
    let sink = SmtpSink::start();
    let (s, staff) = mail_desk(&sink).await;
    ready_user(&staff, "false").await;
    let known = s.browser_from("127.0.0.51");
    let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    let sign_in = |b: &Browser, ua: &'static str| {
        let b = b.clone();
        async move {
            let r = b
                .post(b.url(USER_SIGN_IN))
                .header("user-agent", ua)
                .form(&super::common::ANN)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 200);
        }
    };
    // The first sign-in ever, and the same browser again: nothing to tell.
    sign_in(&known, firefox).await;
    sign_in(&known, firefox).await;
    // A wrong password from a stranger: not a sign-in, no notice.
    let stranger = s.browser_from("127.0.0.52");
    let (status, _, _) = stranger
        .sign_in_with(USER_SIGN_IN, ANN, "wrong guess entirely")
        .await;
    assert_eq!(status, 401);
    // Another browser: one notice, with when, where from and which browser.
    sign_in(&stranger, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36").await;
    let mails = sink.wait_for(ANN, 1).await;
    assert_eq!(mails.len(), 1, "one notice, for the new browser only");
    let m = &mails[0];
    // In Ann's language (Ukrainian), with the product's name.
    assert_eq!(
        m["subject"],
        "Новий вхід до вашого облікового запису Acme Panel"
    );
    let text = m["text"].as_str().unwrap();
    assert!(
        text.contains("127.0.0.52") && text.contains("Chrome on Windows"),
        "{text}"
    );
    assert!(text.contains("(UTC)") && text.contains("http://127.0.0.1/login/forgot"));
    // The browser is known from now on: signing in there again tells nothing new.
    sign_in(&stranger, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36").await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.sent_to(ANN).len(), 1);
    // A hostile User-Agent is named as text, never as markup.
    let hostile = s.browser_from("127.0.0.53");
    sign_in(&hostile, "<img src=x onerror=alert(1)>").await;
    let mails = sink.wait_for(ANN, 2).await;
    assert_eq!(mails.len(), 2);
    assert!(!mails[1]["html"].as_str().unwrap().contains("<img"));
}
