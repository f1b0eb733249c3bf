//! Manage Users over HTTP: permissions, create / edit / delete, locks.

use crate::common::*;
use roster_types::StaffPermission;

#[tokio::test]
async fn every_user_endpoint_needs_a_session_and_its_permission() {
    let s = start(false).await;
    let id = uuid::Uuid::new_v4().to_string();
    let one = vec![("id", id.as_str())];
    let edit = [&[one[0], ("version", "1"), ("status", "ACTIVE")], NEW_USER].concat();
    check_guards(
        &s,
        &[
            ("/api/users/list", vec![], "users-view"),
            ("/api/users/get", one.clone(), "users-view"),
            ("/api/users/clients", one.clone(), "users-view"),
            ("/api/users/create", NEW_USER.to_vec(), "users-create"),
            ("/api/users/update", edit, "users-edit"),
            ("/api/users/delete", one.clone(), "users-delete"),
            ("/api/users/unlock", one.clone(), "users-edit"),
            ("/api/users/send-password-reset", one.clone(), "users-edit"),
            ("/api/users/resend-invitation", one, "users-edit"),
        ],
    )
    .await;
}

#[tokio::test]
async fn users_are_created_once_per_email_and_phone_and_no_secret_is_listed() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let bad = [("email", "nope"), ("password", "short"), ("phone", "12345")];
    let (status, body, _) = c.call("/api/users/create", &bad).await;
    assert_eq!(status, 422, "{body}");
    let all = ["email", "password", "first_name", "last_name", "phone"];
    assert_eq!(fields(&body), all);

    let (status, user, _) = c.call("/api/users/create", NEW_USER).await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["phone"], "+380501234567");
    assert_eq!(user["status"], "NEW");
    assert_eq!(user["two_factor_state"], "pending");
    assert!(user.get("password_hash").is_none());
    // Both taken: both reported, each at its field.
    let (status, body, _) = c.call("/api/users/create", NEW_USER).await;
    assert_eq!((status, fields(&body)), (422, vec!["email", "phone"]));

    let (status, page, _) = c.call("/api/users/list", &[("q", "LEE@EXAMPLE")]).await;
    assert_eq!(status, 200);
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["two_factor"], "pending");
    let text = page.to_string();
    assert!(
        !text.contains("argon2") && !text.contains("violet"),
        "{text}"
    );
}

#[tokio::test]
async fn an_edit_saves_once_and_the_same_edit_again_is_stale() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let (_, user, _) = c.call("/api/users/create", NEW_USER).await;
    let (id, version) = (user["id"].as_str().unwrap(), user["version"].to_string());
    let mut edit = user_edit(id, &version, "ACTIVE", "true");
    edit.retain(|(k, _)| *k != "first_name");
    edit.push(("first_name", "Anna"));
    let (status, saved, _) = c.call("/api/users/update", &edit).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["first_name"], "Anna");
    assert_eq!(saved["email_verified"], true);
    // The same edit again is based on an old version now.
    let (status, body, _) = c.call("/api/users/update", &edit).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("stale")));
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("changed by someone else"), "{message}");
}

#[tokio::test]
async fn a_deleted_user_is_gone_and_a_malformed_id_is_a_400() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let (_, user, _) = c.call("/api/users/create", NEW_USER).await;
    let id = user["id"].as_str().unwrap();
    let (status, body, _) = c.call("/api/users/clients", &[("id", id)]).await;
    assert_eq!(
        (status, body["clients"].as_array().map(Vec::len)),
        (200, Some(0))
    );

    assert_eq!(c.call("/api/users/delete", &[("id", id)]).await.0, 200);
    let (status, body, _) = c.call("/api/users/get", &[("id", id)]).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, body, _) = c.call("/api/users/get", &[("id", "not-a-uuid")]).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn the_strength_meter_rates_a_common_password_low_with_a_reason() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let form = [("password", "password1234")];
    let (status, body, _) = c.call("/api/users/password-strength", &form).await;
    assert_eq!(status, 200);
    assert!(body["score"].as_u64().unwrap() < 3);
    assert!(body["problem"].is_string());
}

#[tokio::test]
async fn a_locked_user_shows_as_locked_and_staff_can_unlock() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let id = ready_user(&c, "false").await;

    let someone = s.browser();
    let wrong = [("email", ANN[0].1), ("password", "not the password at all")];
    let mut last = 0;
    for _ in 0..5 {
        last = someone.call(USER_SIGN_IN, &wrong).await.0;
    }
    assert_eq!(last, 401);
    let right = ANN;
    // While locked, a wrong password is answered exactly as for an unknown email.
    let (status, locked_wrong, _) = someone.call(USER_SIGN_IN, &wrong).await;
    let unknown = [("email", "nobody.here@example.com"), wrong[1]];
    let (status2, unknown_body, _) = someone.call(USER_SIGN_IN, &unknown).await;
    assert_eq!((status, &locked_wrong), (status2, &unknown_body));
    assert_eq!(locked_wrong["reason"], "bad_credentials");
    let (status, body, _) = someone.call(USER_SIGN_IN, &right).await;
    assert_eq!(status, 423, "{body}");
    assert_eq!(body["reason"], "locked");
    let (_, page, _) = c.call("/api/users/list", &[("q", "ann.lee")]).await;
    assert_eq!(page["rows"][0]["locked"], true);

    let (status, body, _) = c.call("/api/users/unlock", &[("id", &id)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["locked"], false);
    let (status, body, _) = someone.call(USER_SIGN_IN, &right).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["step"], "done");
    let (status, me, _) = someone.call("/api/account/me", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(me["email"], "ann.lee@example.com");
}
