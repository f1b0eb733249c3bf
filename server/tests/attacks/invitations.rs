//! Invitations through a real SMTP server: staff create a user without a password, the
//! user chooses it from the mailed link (once; a fetch of the page changes nothing) and
//! signs in, enrolling in 2FA when staff required it. Resending voids the older link and
//! is limited; a client's `+ Associate User` with an unknown email invites that person,
//! who is associated on acceptance. Guesses, hostile input and two requests at the same
//! moment change nothing they should not.

use super::common::smtp::{token_in, SmtpSink};
use super::common::*;
use roster_types::StaffPermission;
use serde_json::Value;

const IVY: &str = "ivy.invited@example.com";
const NEW_PASSWORD: &str = "copper kettle beside nine harbours";

fn invite_form(email: &str, two_factor: &str) -> Vec<(&'static str, String)> {
    vec![
        ("email", email.to_string()),
        ("first_name", "Ivy".to_string()),
        ("last_name", "Invited".to_string()),
        ("language", "en".to_string()),
        ("two_factor", two_factor.to_string()),
        ("invite", "true".to_string()),
    ]
}

async fn invite(staff: &Browser, email: &str, two_factor: &str) -> String {
    let form = invite_form(email, two_factor);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, user, _) = staff.call("/api/users/create", &form).await;
    assert_eq!(status, 200, "{user}");
    user["id"].as_str().unwrap().to_string()
}

async fn detail(staff: &Browser, id: &str) -> Value {
    staff.call("/api/users/get", &[("id", id)]).await.1
}

async fn row(staff: &Browser, email: &str) -> Value {
    let (_, page, _) = staff.call("/api/users/list", &[("q", email)]).await;
    page["rows"][0].clone()
}

fn accept_form(token: &str, password: &str) -> String {
    urlencoded(&[("token", token), ("new_password", password)])
}

#[tokio::test]
async fn an_invited_user_chooses_a_password_once_then_signs_in_and_enrols_in_2fa() {
    let sink = SmtpSink::start();
    let (s, staff) = mail_desk(&sink).await;

    // A password with "Invite by email" is refused with the reason; nothing is created.
    let mut with_password = invite_form(IVY, "true");
    with_password.push(("password", PASSWORD.to_string()));
    let form: Vec<(&str, &str)> = with_password
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    let (status, body, _) = staff.call("/api/users/create", &form).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(fields(&body), ["password"]);
    assert!(row(&staff, IVY).await.is_null());

    let id = invite(&staff, IVY, "true").await;
    let u = detail(&staff, &id).await;
    assert!(u["invited_at"].is_string(), "{u}");
    assert_eq!(u["email_verified"], false);
    assert_eq!(
        row(&staff, IVY).await["invited"],
        true,
        "the table shows INVITED"
    );
    let (_, table, _) = staff.page(&format!("/admin/users?q={IVY}")).await;
    assert!(table.contains(">INVITED<"), "the badge in the table");

    // Until she accepts, no password signs her in: the same answer as a wrong password.
    let b = s.browser_from("127.0.0.71");
    let (status, refused, _) = b
        .call(USER_SIGN_IN, &[("email", IVY), ("password", "")])
        .await;
    assert_eq!(status, 422, "{refused}");
    let (s1, for_invited, _) = b.sign_in_with(USER_SIGN_IN, IVY, PASSWORD).await;
    let (s2, for_nobody, _) = b
        .sign_in_with(USER_SIGN_IN, "nobody@example.com", PASSWORD)
        .await;
    assert_eq!((s1, &for_invited), (s2, &for_nobody));

    // One mail, in her language, with the product's name and an absolute link.
    let mails = sink.wait_for(IVY, 1).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["subject"], "You are invited to Acme Panel");
    let text = mails[0]["text"].as_str().unwrap();
    assert!(
        text.contains("http://127.0.0.1/accept-invitation?token="),
        "{text}"
    );
    assert!(text.contains("7 days"));
    let token = token_in(&mails[0]);

    // Opening the link (twice, as a mail scanner would) shows the form and uses nothing.
    for _ in 0..2 {
        let (status, page, _) = b.page(&format!("/accept-invitation?token={token}")).await;
        assert_eq!(status, 200);
        assert!(page.contains(IVY) && page.contains("name=\"new_password\""));
    }
    // A weak password is refused with the same form; the link still works.
    let (status, page, _) = b
        .post_page("/accept-invitation", accept_form(&token, "ivy"))
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("name=\"new_password\"") && page.contains("role=\"alert\""));
    assert!(detail(&staff, &id).await["invited_at"].is_string());

    // The form posted twice at the same moment: accepted once.
    let other = s.browser_from("127.0.0.72");
    let (a, c) = tokio::join!(
        b.post_page("/accept-invitation", accept_form(&token, NEW_PASSWORD)),
        other.post_page(
            "/accept-invitation",
            accept_form(&token, "another long phrase of words")
        )
    );
    let mut statuses = [a.0, c.0];
    statuses.sort();
    assert_eq!(statuses, [200, 410]);
    let done = if a.0 == 200 { &a.1 } else { &c.1 };
    assert!(done.contains("two-factor"), "the page says 2FA comes next");
    let (status, page, _) = b
        .post_page("/accept-invitation", accept_form(&token, NEW_PASSWORD))
        .await;
    assert_eq!(status, 410);
    assert!(page.contains("no longer valid"));

    let u = detail(&staff, &id).await;
    assert!(u["invited_at"].is_null(), "{u}");
    assert_eq!(u["email_verified"], true, "the link went to her address");
    assert_eq!(row(&staff, IVY).await["invited"], false);

    // She signs in with the password she chose (whichever request won) and enrols in 2FA.
    let chosen = if a.0 == 200 {
        NEW_PASSWORD
    } else {
        "another long phrase of words"
    };
    let ivy = s.browser_from("127.0.0.73");
    let (status, body, _) = ivy.sign_in_with(USER_SIGN_IN, IVY, chosen).await;
    assert_eq!((status, step(&body)), (200, "need_enrolment"));

    // The trail: created as invited, accepted by her; never the token.
    let (_, trail, _) = staff.call("/api/audit/list", &[("per_page", "200")]).await;
    let all = trail.to_string();
    assert!(all.contains("user.invitation_accepted"), "{all}");
    assert!(all.contains("\"field\":\"invited\""), "{all}");
    assert!(!all.contains(&token));
}

#[tokio::test]
async fn resending_voids_the_older_link_is_limited_and_stops_once_accepted_or_inactive() {
    let sink = SmtpSink::start();
    let (s, staff) = mail_desk(&sink).await;
    let id = invite(&staff, IVY, "false").await;
    let first = token_in(&sink.wait_for(IVY, 1).await[0]);

    assert_eq!(
        staff
            .call("/api/users/resend-invitation", &[("id", &id)])
            .await
            .0,
        200
    );
    let second = token_in(&sink.wait_for(IVY, 2).await[1]);
    assert_ne!(first, second);
    let b = s.browser_from("127.0.0.74");
    let (status, _, _) = b.page(&format!("/accept-invitation?token={first}")).await;
    assert_eq!(status, 410, "the older link is void");

    // Three resends at the same moment, with two invitations already this hour: one more
    // goes out, the others are refused with the reason.
    let replies = staff
        .at_once(
            "/api/users/resend-invitation",
            (0..3).map(|_| vec![("id", id.clone())]).collect(),
        )
        .await;
    let mut statuses: Vec<u16> = replies.iter().map(|r| r.0).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 422, 422], "{replies:?}");
    let refused = replies.iter().find(|r| r.0 == 422).unwrap();
    assert_eq!(fields(&refused.1), ["email"]);
    let mails = sink.wait_for(IVY, 3).await;
    assert_eq!(mails.len(), 3);
    let newest = token_in(&mails[2]);

    // Deactivated, the invitation does not work and is not resent.
    let u = detail(&staff, &id).await;
    let version = u["version"].to_string();
    let edit = [
        ("id", id.as_str()),
        ("version", version.as_str()),
        ("status", "INACTIVE"),
        ("email", IVY),
        ("first_name", "Ivy"),
        ("last_name", "Invited"),
        ("language", "en"),
    ];
    let (status, body, _) = staff.call("/api/users/update", &edit).await;
    assert_eq!(status, 200, "{body}");
    let (status, _, _) = b.page(&format!("/accept-invitation?token={newest}")).await;
    assert_eq!(status, 410);
    let (status, body, _) = staff
        .call("/api/users/resend-invitation", &[("id", &id)])
        .await;
    assert_eq!((status, fields(&body)), (422, vec!["status"]));

    // Active again, the newest link works; after that there is nothing to resend.
    let u = detail(&staff, &id).await;
    let version = u["version"].to_string();
    let mut edit = edit.to_vec();
    edit[1] = ("version", version.as_str());
    edit[2] = ("status", "ACTIVE");
    let (status, body, _) = staff.call("/api/users/update", &edit).await;
    assert_eq!(status, 200, "{body}");
    let (status, _, _) = b
        .post_page("/accept-invitation", accept_form(&newest, NEW_PASSWORD))
        .await;
    assert_eq!(status, 200);
    let (status, body, _) = staff
        .call("/api/users/resend-invitation", &[("id", &id)])
        .await;
    assert_eq!((status, fields(&body)), (422, vec!["status"]));
    let (status, body, _) = b.sign_in_with(USER_SIGN_IN, IVY, NEW_PASSWORD).await;
    assert_eq!((status, step(&body)), (200, "done"), "{body}");

    // A thousand guessed links: each refused, and nobody else is invited by them.
    let guesses: Vec<_> = (0..4)
        .map(|w| {
            let b = s.browser_from(&format!("127.0.2.{}", w + 1));
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                for _ in 0..250 {
                    let guess = roster_core::security::tokens::new_token();
                    let form = accept_form(&guess, NEW_PASSWORD);
                    statuses.push(b.post_page("/accept-invitation", form).await.0);
                }
                statuses
            })
        })
        .collect();
    for g in guesses {
        assert!(g.await.unwrap().iter().all(|s| *s == 410));
    }
}

#[tokio::test]
async fn hostile_accept_posts_and_pages_change_nothing_and_are_never_a_500() {
    let sink = SmtpSink::start();
    let (s, staff) = mail_desk(&sink).await;
    let id = invite(&staff, IVY, "false").await;
    let token = token_in(&sink.wait_for(IVY, 1).await[0]);
    let b = s.browser_from("127.0.0.75");
    let long = "A".repeat(5000);
    let hostile: Vec<Vec<u8>> = vec![
        b"token=%FF%FE&new_password=x".to_vec(),
        format!("token={}&new_password=y", "a".repeat(2 << 20)).into_bytes(),
        accept_form(&format!("\u{202e}{token}"), NEW_PASSWORD).into_bytes(),
        accept_form(&format!("{token}\0"), NEW_PASSWORD).into_bytes(),
        format!("token={token}&token=other&new_password=x").into_bytes(),
        accept_form(&token, &long).into_bytes(),
        accept_form(&token, "").into_bytes(),
        b"%%%&&==&".to_vec(),
        vec![0xff, 0xfe, 0x00],
        vec![],
    ];
    for body in hostile {
        let shown = String::from_utf8_lossy(&body[..body.len().min(40)]).to_string();
        let (status, page, _) = b.post_page("/accept-invitation", body).await;
        assert!(matches!(status, 400 | 410 | 413 | 422), "{shown}: {status}");
        assert!(page.contains("role=\"alert\""), "{shown}");
    }
    for bad in ["", "x", long.as_str(), "%00", "%E2%80%AE"] {
        let (status, _, _) = b.page(&format!("/accept-invitation?token={bad}")).await;
        assert!(matches!(status, 410 | 400), "{bad:.10}: {status}");
    }
    // Another site's page posting the real link: refused before it is used.
    let r = b
        .post(b.url("/accept-invitation"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "http://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body(accept_form(&token, NEW_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(detail(&staff, &id).await["invited_at"].is_string());
    // The real link still works after all that.
    let (status, _, _) = b
        .post_page("/accept-invitation", accept_form(&token, NEW_PASSWORD))
        .await;
    assert_eq!(status, 200);
}

async fn client_desk(s: &Server, email: &str, with_create: bool) -> Browser {
    let mut perms = vec![
        StaffPermission::ClientsView,
        StaffPermission::ClientsEdit,
        StaffPermission::UsersView,
        StaffPermission::UsersEdit,
        StaffPermission::AuditView,
    ];
    if with_create {
        perms.push(StaffPermission::UsersCreate);
    }
    staff_client(s, email, &perms).await
}

async fn invite_to(c: &Browser, client: &str, email: &str, permissions: &str) -> (u16, Value) {
    let form = [
        ("client_id", client),
        ("email", email),
        ("permissions", permissions),
    ];
    let (status, body, _) = c.call("/api/clients/invite", &form).await;
    (status, body)
}

async fn members(c: &Browser, client: &str) -> Vec<(String, bool, Value)> {
    let (_, rows, _) = c.call("/api/clients/users", &[("id", client)]).await;
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["email"].as_str().unwrap().to_string(),
                r["access"]["owner"].as_bool().unwrap(),
                r["access"]["permissions"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_unknown_email_associated_from_a_client_is_invited_and_joins_on_acceptance() {
    let sink = SmtpSink::start();
    let (s, _) = mail_desk(&sink).await;
    let desk = client_desk(&s, "clients.desk@example.com", true).await;
    let acme = new_client(&desk, "Acme").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let beta = new_client(&desk, "Beta").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let jo = "jo.newcomer@example.com";

    // Bad emails are refused with the field; nobody is created.
    let long = format!("{}@example.com", "a".repeat(300));
    for bad in [
        "",
        "not-an-email",
        "<script>@x",
        long.as_str(),
        "jo\u{202e}@example.com",
    ] {
        let (status, body) = invite_to(&desk, &acme, bad, "").await;
        assert_eq!((status, fields(&body)), (422, vec!["email"]), "{bad:.20}");
    }
    let (status, _) = invite_to(&desk, &acme, jo, "no-such-permission").await;
    assert_eq!(status, 422);

    // Staff without users-create may associate existing users, but not invite new ones.
    let plain = client_desk(&s, "plain.desk@example.com", false).await;
    let (status, body) = invite_to(&plain, &acme, jo, "").await;
    assert_eq!(status, 403, "{body}");
    assert!(row(&desk, jo).await.is_null());

    // The same unknown email invited to Acme twice at the same moment: one user, one offer.
    let form = vec![
        ("client_id", acme.clone()),
        ("email", jo.to_string()),
        ("permissions", "manage-domains,manage-invoices".to_string()),
    ];
    let replies = desk
        .at_once("/api/clients/invite", vec![form.clone(), form])
        .await;
    for r in &replies {
        assert_eq!(
            (r.0, r.1["result"].as_str()),
            (200, Some("invited")),
            "{r:?}"
        );
    }
    let (_, page, _) = desk.call("/api/users/list", &[("q", jo)]).await;
    assert_eq!(page["rows"].as_array().unwrap().len(), 1);
    assert_eq!(page["rows"][0]["invited"], true);
    // Beta, whose owner is someone else, offers Jo support tickets.
    let (status, _) = invite_to(&desk, &beta, "owner.of.beta@example.com", "").await;
    assert_eq!(status, 200);
    let (status, body) = invite_to(&desk, &beta, jo, "manage-support-tickets").await;
    assert_eq!((status, body["result"].as_str()), (200, Some("invited")));

    // The tabs show the offers, not members yet; the offer can be withdrawn.
    assert!(members(&desk, &acme).await.is_empty());
    let (_, offers, _) = desk
        .call("/api/clients/invitations", &[("id", &acme)])
        .await;
    assert_eq!(offers.as_array().unwrap().len(), 1, "{offers}");
    assert_eq!(offers[0]["email"], jo);
    let (_, tab, _) = desk.page(&format!("/admin/clients/{acme}?tab=users")).await;
    assert!(
        tab.contains(jo) && tab.contains("Cancel invitation"),
        "the Users tab"
    );

    // One invitation mail for Jo, however many clients offered.
    let mails = sink.wait_for(jo, 1).await;
    assert_eq!(mails.len(), 1);
    let token = token_in(&mails[0]);
    // The owner-to-be of Beta accepts first: Beta's owner.
    let owner_token = token_in(&sink.wait_for("owner.of.beta@example.com", 1).await[0]);
    let b = s.browser_from("127.0.0.76");
    let (status, _, _) = b
        .post_page(
            "/accept-invitation",
            accept_form(&owner_token, NEW_PASSWORD),
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        members(&desk, &beta).await[0].1,
        "the first to join owns Beta"
    );

    let (status, _, _) = b
        .post_page("/accept-invitation", accept_form(&token, NEW_PASSWORD))
        .await;
    assert_eq!(status, 200);
    let acme_members = members(&desk, &acme).await;
    assert_eq!(acme_members.len(), 1);
    assert_eq!(
        (acme_members[0].0.as_str(), acme_members[0].1),
        (jo, true),
        "Acme's first user is its owner"
    );
    let beta_members = members(&desk, &beta).await;
    let jo_at_beta = beta_members
        .iter()
        .find(|m| m.0 == jo)
        .expect("Jo joined Beta");
    assert!(!jo_at_beta.1);
    assert_eq!(jo_at_beta.2, serde_json::json!(["manage-support-tickets"]));
    let (_, offers, _) = desk
        .call("/api/clients/invitations", &[("id", &acme)])
        .await;
    assert!(offers.as_array().unwrap().is_empty());

    // A member invited again: refused with the reason, nothing changes.
    let (status, body) = invite_to(&desk, &acme, jo, "manage-orders").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(members(&desk, &acme).await.len(), 1);

    // An existing user's email associates them at once (no invitation).
    let (status, body) = invite_to(&plain, &acme, "owner.of.beta@example.com", "").await;
    assert_eq!(
        (status, body["result"].as_str()),
        (200, Some("associated")),
        "{body}"
    );

    // Withdrawing an offer: the invited user stays, without that client.
    let (status, _) = invite_to(&desk, &acme, "kim.later@example.com", "").await;
    assert_eq!(status, 200);
    let kim = row(&desk, "kim.later@example.com").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Offered again while the offer waits: the newer permissions replace the older.
    let (status, _) = invite_to(&desk, &acme, "kim.later@example.com", "manage-orders").await;
    assert_eq!(status, 200);
    let (_, offers, _) = desk
        .call("/api/clients/invitations", &[("id", &acme)])
        .await;
    assert_eq!(offers.as_array().unwrap().len(), 1, "{offers}");
    assert_eq!(
        offers[0]["permissions"],
        serde_json::json!(["manage-orders"])
    );
    let cancel = [("client_id", acme.as_str()), ("user_id", kim.as_str())];
    assert_eq!(
        desk.call("/api/clients/cancel-invitation", &cancel).await.0,
        200
    );
    assert_eq!(
        desk.call("/api/clients/cancel-invitation", &cancel).await.0,
        404
    );
    let kim_token = token_in(&sink.wait_for("kim.later@example.com", 1).await[0]);
    let (status, _, _) = b
        .post_page("/accept-invitation", accept_form(&kim_token, NEW_PASSWORD))
        .await;
    assert_eq!(status, 200);
    assert!(!members(&desk, &acme)
        .await
        .iter()
        .any(|m| m.0 == "kim.later@example.com"));

    // The trail names the offers; no token anywhere in it.
    let (_, trail, _) = desk.call("/api/audit/list", &[("per_page", "200")]).await;
    let all = trail.to_string();
    assert!(all.contains("client.user_invited") && all.contains("client.invitation_cancelled"));
    for t in [&token, &owner_token, &kim_token] {
        assert!(!all.contains(t.as_str()));
    }
}

#[tokio::test]
async fn a_reset_link_or_a_password_from_staff_also_ends_an_invitation() {
    let sink = SmtpSink::start();
    let (s, _) = mail_desk(&sink).await;
    let desk = client_desk(&s, "clients.desk@example.com", true).await;
    let acme = new_client(&desk, "Acme").await["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Lost the invitation, asked for a reset link: that link accepts it.
    let (status, _) = invite_to(&desk, &acme, IVY, "manage-orders").await;
    assert_eq!(status, 200);
    sink.wait_for(IVY, 1).await;
    let b = s.browser_from("127.0.0.77");
    let (status, _, _) = b
        .call("/api/auth/user/forgot-password", &[("email", IVY)])
        .await;
    assert_eq!(status, 200);
    let mails = sink.wait_for(IVY, 2).await;
    let invitation = token_in(&mails[0]);
    let reset = token_in(&mails[1]);
    let form = [("token", reset.as_str()), ("new_password", NEW_PASSWORD)];
    let (status, body, _) = b.call("/api/auth/user/reset-password", &form).await;
    assert_eq!(status, 200, "{body}");
    let ivy = row(&desk, IVY).await;
    assert_eq!(ivy["invited"], false);
    assert_eq!(
        members(&desk, &acme).await[0].0,
        IVY,
        "associated as offered"
    );
    let (status, body, _) = b.sign_in_with(USER_SIGN_IN, IVY, NEW_PASSWORD).await;
    assert_eq!((status, step(&body)), (200, "done"), "{body}");
    let (status, _, _) = b
        .page(&format!("/accept-invitation?token={invitation}"))
        .await;
    assert_eq!(status, 410, "the invitation is spent");

    // Staff set a password in Edit for an invited user: no longer INVITED, and their
    // offered client is theirs.
    let (status, _) = invite_to(&desk, &acme, "max.manual@example.com", "").await;
    assert_eq!(status, 200);
    let max = row(&desk, "max.manual@example.com").await;
    let id = max["id"].as_str().unwrap();
    let u = detail(&desk, id).await;
    let version = u["version"].to_string();
    let edit = [
        ("id", id),
        ("version", version.as_str()),
        ("status", "NEW"),
        ("email_verified", "true"),
        ("email", "max.manual@example.com"),
        ("first_name", "Max"),
        ("last_name", "Manual"),
        ("password", NEW_PASSWORD),
        ("language", "en"),
    ];
    let (status, body, _) = desk.call("/api/users/update", &edit).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["invited_at"].is_null());
    assert!(members(&desk, &acme)
        .await
        .iter()
        .any(|m| m.0 == "max.manual@example.com"));
}

#[tokio::test]
async fn accepting_while_staff_resend_never_leaves_a_user_with_a_password_invited() {
    let sink = SmtpSink::start();
    let (s, staff) = mail_desk(&sink).await;
    for round in 0..3 {
        let email = format!("race.{round}@example.com");
        let id = invite(&staff, &email, "false").await;
        let token = token_in(&sink.wait_for(&email, 1).await[0]);
        let b = s.browser_from("127.0.0.78");
        let one = [("id", id.as_str())];
        let (accepted, resent) = tokio::join!(
            b.post_page("/accept-invitation", accept_form(&token, NEW_PASSWORD)),
            staff.call("/api/users/resend-invitation", &one)
        );
        // Whichever came first, the accepted password stands and the user is not INVITED.
        assert!(matches!(resent.0, 200 | 422), "{resent:?}");
        if accepted.0 == 200 {
            assert!(detail(&staff, &id).await["invited_at"].is_null());
            let (status, body, _) = b.sign_in_with(USER_SIGN_IN, &email, NEW_PASSWORD).await;
            assert_eq!((status, step(&body)), (200, "done"), "{body}");
        } else {
            // The resend came first and voided the link: the new one works.
            assert_eq!(accepted.0, 410);
            let newest = token_in(&sink.wait_for(&email, 2).await[1]);
            let form = accept_form(&newest, NEW_PASSWORD);
            assert_eq!(b.post_page("/accept-invitation", form).await.0, 200);
        }
        assert_eq!(row(&staff, &email).await["invited"], false);
    }
}
