//! The HTTP API over real HTTP: the real router on a free port, a real SQLite file.

mod common;

use common::*;
use roster_core::security::totp;
use roster_core::setup::{create_staff, Creator};
use roster_types::StaffPermission;
use serde_json::Value;

#[tokio::test]
async fn health_check_reports_the_database() {
    let s = start(true).await;
    let r = reqwest::get(format!("{}/healthz", s.url)).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["database"], "sqlite");
}

#[tokio::test]
async fn without_a_session_the_api_answers_401_with_a_json_message() {
    let s = start(true).await;
    let (status, body, _) = post(&client(), &s, "/api/users/list", &[]).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "unauthenticated");
    assert!(body["message"].as_str().unwrap().contains("not signed in"));
    // admin pages redirect instead
    let r = client()
        .get(format!("{}/admin/users", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin/login");
}

#[tokio::test]
async fn requests_from_another_origin_are_refused() {
    let s = start(true).await;
    let r = client()
        .post(format!("{}/api/auth/staff/sign-in", s.url))
        .header("origin", "http://evil.example")
        .form(&[("email", "a@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "cross_origin");
}

#[tokio::test]
async fn password_sign_in_sets_a_strict_http_only_cookie_and_opens_the_api() {
    let s = start(false).await;
    create_staff(
        &s.state,
        "ops@example.com",
        PASSWORD,
        false,
        StaffPermission::ALL,
        Creator::Cli,
        None,
    )
    .await
    .unwrap();
    let c = client();
    let (status, body, _) = post(
        &c,
        &s,
        "/api/auth/staff/sign-in",
        &[
            ("email", "ops@example.com"),
            ("password", "wrong password here"),
        ],
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body["reason"], "bad_credentials");
    assert_eq!(body["message"], "Email or password is incorrect.");

    let (status, body, headers) = post(
        &c,
        &s,
        "/api/auth/staff/sign-in",
        &[("email", "ops@example.com"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["step"], "done");
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("roster_admin=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );

    let (status, body, _) = post(&c, &s, "/api/users/list", &[("q", "x")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], 0);
    let (status, body, _) = post(&c, &s, "/api/auth/staff/me", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body["email"], "ops@example.com");

    let (status, _, _) = post(&c, &s, "/api/auth/staff/sign-out", &[]).await;
    assert_eq!(status, 200);
    let (status, _, _) = post(&c, &s, "/api/users/list", &[]).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn staff_without_the_permission_get_403() {
    let s = start(false).await;
    create_staff(
        &s.state,
        "support@example.com",
        PASSWORD,
        false,
        &[StaffPermission::ClientsView],
        Creator::Cli,
        None,
    )
    .await
    .unwrap();
    let c = client();
    let (status, _, _) = post(
        &c,
        &s,
        "/api/auth/staff/sign-in",
        &[("email", "support@example.com"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 200);
    let (status, body, _) = post(&c, &s, "/api/users/list", &[]).await;
    assert_eq!(status, 403);
    assert_eq!(body["permission"], "users-view");
    assert!(body["message"].as_str().unwrap().contains("users-view"));
}

#[tokio::test]
async fn required_two_factor_forces_enrolment_over_http() {
    let s = start(true).await;
    create_staff(
        &s.state,
        "new@example.com",
        PASSWORD,
        true,
        StaffPermission::ALL,
        Creator::Cli,
        None,
    )
    .await
    .unwrap();
    let c = client();
    let (status, body, _) = post(
        &c,
        &s,
        "/api/auth/staff/sign-in",
        &[("email", "new@example.com"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["step"], "need_enrolment");
    // not signed in yet
    let (status, _, _) = post(&c, &s, "/api/users/list", &[]).await;
    assert_eq!(status, 401);
    let (status, body2, _) = post(&c, &s, "/api/auth/staff/enrol", &[("code", "12")]).await;
    assert_eq!(status, 422);
    assert_eq!(body2["fields"][0]["field"], "code");

    let secret = totp::secret_from_base32(body["secret"].as_str().unwrap()).unwrap();
    let code = totp::code_at(&secret, chrono::Utc::now().timestamp() as u64);
    let (status, body, _) = post(&c, &s, "/api/auth/staff/enrol", &[("code", &code)]).await;
    assert_eq!(status, 200, "{body}");
    // signed in, with the recovery codes shown this once
    assert_eq!(body["step"], "enrolled");
    assert_eq!(body["codes"].as_array().unwrap().len(), 10);
    let (status, _, _) = post(&c, &s, "/api/users/list", &[]).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_setup_link_creates_one_staff_member_over_http() {
    let s = start(true).await;
    let token = roster_core::setup::issue_link_if_empty(&s.state)
        .await
        .unwrap()
        .unwrap();
    let c = client();
    let (status, body, _) = post(
        &c,
        &s,
        "/api/setup/create-staff",
        &[("token", &token), ("email", "bad"), ("password", "short")],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["fields"].as_array().unwrap().len(), 2);
    let (status, _, _) = post(
        &c,
        &s,
        "/api/setup/create-staff",
        &[
            ("token", &token),
            ("email", "first@example.com"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let (status, body, _) = post(
        &c,
        &s,
        "/api/setup/create-staff",
        &[
            ("token", &token),
            ("email", "second@example.com"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(status, 410);
    assert_eq!(body["error"], "setup_link_invalid");
}

#[tokio::test]
async fn missing_arguments_are_a_400_not_a_500() {
    let s = start(true).await;
    let (status, body, _) = post(&client(), &s, "/api/auth/staff/sign-in", &[]).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "bad_request");
}

#[tokio::test]
async fn every_user_endpoint_needs_a_session_and_its_permission() {
    let s = start(false).await;
    let nobody = client();
    let id = uuid::Uuid::new_v4().to_string();
    // (path, form, the permission it needs)
    type Call<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let calls: Vec<Call> = vec![
        ("/api/users/list", vec![], "users-view"),
        ("/api/users/get", vec![("id", id.as_str())], "users-view"),
        (
            "/api/users/clients",
            vec![("id", id.as_str())],
            "users-view",
        ),
        ("/api/users/create", NEW_USER.to_vec(), "users-create"),
        (
            "/api/users/update",
            [
                &[("id", id.as_str()), ("version", "1"), ("status", "ACTIVE")],
                NEW_USER,
            ]
            .concat(),
            "users-edit",
        ),
        (
            "/api/users/delete",
            vec![("id", id.as_str())],
            "users-delete",
        ),
        ("/api/users/unlock", vec![("id", id.as_str())], "users-edit"),
    ];
    for (path, form, _) in &calls {
        let (status, body, _) = post(&nobody, &s, path, form).await;
        assert_eq!(status, 401, "{path}: {body}");
        assert_eq!(body["error"], "unauthenticated");
    }
    // Staff holding every permission but the one each call needs.
    for (i, (path, form, needs)) in calls.iter().enumerate() {
        let others: Vec<StaffPermission> = StaffPermission::ALL
            .iter()
            .copied()
            .filter(|p| p.code() != *needs)
            .collect();
        let c = staff_client(&s, &format!("staff{i}@example.com"), &others).await;
        let (status, body, _) = post(&c, &s, path, form).await;
        assert_eq!(status, 403, "{path}: {body}");
        assert_eq!(body["permission"], *needs);
    }
}

#[tokio::test]
async fn users_are_created_edited_and_deleted_over_http() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;

    let (status, body, _) = post(
        &c,
        &s,
        "/api/users/create",
        &[("email", "nope"), ("password", "short"), ("phone", "12345")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["email", "password", "first_name", "last_name", "phone"]
    );

    let (status, user, _) = post(&c, &s, "/api/users/create", NEW_USER).await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["phone"], "+380501234567");
    assert_eq!(user["status"], "NEW");
    assert_eq!(user["two_factor_state"], "pending");
    assert!(user.get("password_hash").is_none());
    let id = user["id"].as_str().unwrap().to_string();

    // Both taken: both reported, each at its field.
    let (status, body, _) = post(&c, &s, "/api/users/create", NEW_USER).await;
    assert_eq!(status, 422);
    assert_eq!(body["fields"][0]["field"], "email");
    assert_eq!(body["fields"][1]["field"], "phone");

    let (status, page, _) = post(&c, &s, "/api/users/list", &[("q", "LEE@EXAMPLE")]).await;
    assert_eq!(status, 200);
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["two_factor"], "pending");
    let text = page.to_string();
    assert!(
        !text.contains("argon2") && !text.contains("violet"),
        "{text}"
    );

    let version = user["version"].to_string();
    let mut edit = vec![
        ("id", id.as_str()),
        ("version", version.as_str()),
        ("status", "ACTIVE"),
        ("email_verified", "true"),
    ];
    edit.extend(NEW_USER.iter().filter(|(k, _)| *k != "password"));
    edit.retain(|(k, _)| *k != "first_name");
    edit.push(("first_name", "Anna"));
    let (status, saved, _) = post(&c, &s, "/api/users/update", &edit).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["first_name"], "Anna");
    assert_eq!(saved["email_verified"], true);
    // The same edit again is based on an old version now.
    let (status, body, _) = post(&c, &s, "/api/users/update", &edit).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"], "stale");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("changed by someone else"));

    let (status, body, _) = post(&c, &s, "/api/users/clients", &[("id", &id)]).await;
    assert_eq!(status, 200);
    assert_eq!(body["clients"].as_array().unwrap().len(), 0);

    let (status, body, _) = post(
        &c,
        &s,
        "/api/users/password-strength",
        &[("password", "password1234")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(body["score"].as_u64().unwrap() < 3);
    assert!(body["problem"].is_string());

    let (status, _, _) = post(&c, &s, "/api/users/delete", &[("id", &id)]).await;
    assert_eq!(status, 200);
    let (status, body, _) = post(&c, &s, "/api/users/get", &[("id", &id)]).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "not_found");
    let (status, body, _) = post(&c, &s, "/api/users/get", &[("id", "not-a-uuid")]).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn every_client_endpoint_needs_a_session_and_its_permission() {
    let s = start(false).await;
    let id = uuid::Uuid::new_v4().to_string();
    // (path, form, the permission it needs)
    type Call<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let calls: Vec<Call> = vec![
        ("/api/clients/list", vec![], "clients-view"),
        (
            "/api/clients/get",
            vec![("id", id.as_str())],
            "clients-view",
        ),
        (
            "/api/clients/users",
            vec![("id", id.as_str())],
            "clients-view",
        ),
        (
            "/api/clients/create",
            vec![("first_name", "Pat"), ("last_name", "Doe")],
            "clients-edit",
        ),
        (
            "/api/clients/update",
            vec![("id", id.as_str()), ("version", "1")],
            "clients-edit",
        ),
        (
            "/api/clients/delete",
            vec![("id", id.as_str())],
            "clients-edit",
        ),
        (
            "/api/clients/associate",
            vec![("client_id", id.as_str()), ("user_id", id.as_str())],
            "clients-edit",
        ),
        (
            "/api/clients/set-permissions",
            vec![("client_id", id.as_str()), ("user_id", id.as_str())],
            "clients-edit",
        ),
        (
            "/api/clients/remove-user",
            vec![("client_id", id.as_str()), ("user_id", id.as_str())],
            "clients-edit",
        ),
        (
            "/api/clients/make-owner",
            vec![("client_id", id.as_str()), ("user_id", id.as_str())],
            "clients-edit",
        ),
    ];
    for (path, form, _) in &calls {
        let (status, body, _) = post(&client(), &s, path, form).await;
        assert_eq!(status, 401, "{path}: {body}");
    }
    let view_only = staff_client(&s, "support@example.com", &[StaffPermission::ClientsView]).await;
    let nothing = staff_client(&s, "users-only@example.com", &[StaffPermission::UsersView]).await;
    for (path, form, needs) in &calls {
        let c = if *needs == "clients-edit" {
            &view_only
        } else {
            &nothing
        };
        let (status, body, _) = post(c, &s, path, form).await;
        assert_eq!(status, 403, "{path}: {body}");
        assert_eq!(body["permission"], *needs);
    }
}

#[tokio::test]
async fn a_client_and_its_users_over_http() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let (status, client, _) = post(
        &c,
        &s,
        "/api/clients/create",
        &[
            ("first_name", "Pat"),
            ("last_name", "Doe"),
            ("company_name", "Acme"),
            ("tax_id", "PL 123"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{client}");
    let client_id = client["id"].as_str().unwrap().to_string();
    let (_, user, _) = post(&c, &s, "/api/users/create", NEW_USER).await;
    let user_id = user["id"].as_str().unwrap().to_string();

    let (status, body, _) = post(
        &c,
        &s,
        "/api/clients/associate",
        &[
            ("client_id", &client_id),
            ("user_id", &user_id),
            ("permissions", "manage-moons"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "permissions");
    let (status, owner, _) = post(
        &c,
        &s,
        "/api/clients/associate",
        &[
            ("client_id", &client_id),
            ("user_id", &user_id),
            ("permissions", "all"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(owner, true);
    let (_, members, _) = post(&c, &s, "/api/clients/users", &[("id", &client_id)]).await;
    assert_eq!(members[0]["access"]["owner"], true);
    let (_, page, _) = post(&c, &s, "/api/users/list", &[("q", "ann.lee")]).await;
    assert_eq!(page["rows"][0]["clients"], 1);
    let (status, body, _) = post(
        &c,
        &s,
        "/api/clients/remove-user",
        &[("client_id", &client_id), ("user_id", &user_id)],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("owner cannot be removed"));
    let (status, _, _) = post(&c, &s, "/api/clients/delete", &[("id", &client_id)]).await;
    assert_eq!(status, 200);
    let (_, page, _) = post(&c, &s, "/api/users/list", &[("q", "ann.lee")]).await;
    assert_eq!(page["rows"][0]["clients"], 0);
}

#[tokio::test]
async fn a_locked_user_shows_as_locked_and_staff_can_unlock() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let id = ready_user(&c, &s, "false").await;

    let someone = client();
    let wrong = [
        ("email", "ann.lee@example.com"),
        ("password", "not the password at all"),
    ];
    let mut last = 0;
    for _ in 0..5 {
        last = post(&someone, &s, "/api/auth/user/sign-in", &wrong).await.0;
    }
    assert_eq!(last, 401);
    let right = [
        ("email", "ann.lee@example.com"),
        ("password", "violet tractor under seven lanterns"),
    ];
    // While locked, a wrong password is answered exactly as for an unknown email.
    let (status, locked_wrong, _) = post(&someone, &s, "/api/auth/user/sign-in", &wrong).await;
    let unknown = [
        ("email", "nobody.here@example.com"),
        ("password", "not the password at all"),
    ];
    let (status2, unknown_body, _) = post(&someone, &s, "/api/auth/user/sign-in", &unknown).await;
    assert_eq!((status, &locked_wrong), (status2, &unknown_body));
    assert_eq!(locked_wrong["reason"], "bad_credentials");
    let (status, body, _) = post(&someone, &s, "/api/auth/user/sign-in", &right).await;
    assert_eq!(status, 423, "{body}");
    assert_eq!(body["reason"], "locked");
    let (_, page, _) = post(&c, &s, "/api/users/list", &[("q", "ann.lee")]).await;
    assert_eq!(page["rows"][0]["locked"], true);

    let (status, body, _) = post(&c, &s, "/api/users/unlock", &[("id", &id)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["locked"], false);
    let (status, body, _) = post(&someone, &s, "/api/auth/user/sign-in", &right).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["step"], "done");
    let (status, me, _) = post(&someone, &s, "/api/account/me", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(me["email"], "ann.lee@example.com");
}

#[tokio::test]
async fn users_change_their_own_password_and_other_sessions_end() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    ready_user(&c, &s, "false").await;
    let old = "violet tractor under seven lanterns";
    let sign_in = |pw: &'static str| [("email", "ann.lee@example.com"), ("password", pw)];
    let here = client();
    let elsewhere = client();
    assert_eq!(
        post(&here, &s, "/api/auth/user/sign-in", &sign_in(old))
            .await
            .0,
        200
    );
    assert_eq!(
        post(&elsewhere, &s, "/api/auth/user/sign-in", &sign_in(old))
            .await
            .0,
        200
    );

    let (status, body, _) = post(
        &here,
        &s,
        "/api/account/change-password",
        &[
            ("current_password", "wrong guess entirely"),
            ("new_password", "amber falcon over quiet rivers"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["fields"][0]["field"], "current_password");
    let (status, body, _) = post(
        &here,
        &s,
        "/api/account/change-password",
        &[("current_password", old), ("new_password", "password1234")],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["fields"][0]["field"], "new_password");
    let (status, _, _) = post(
        &here,
        &s,
        "/api/account/change-password",
        &[
            ("current_password", old),
            ("new_password", "amber falcon over quiet rivers"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(post(&here, &s, "/api/account/me", &[]).await.0, 200);
    assert_eq!(post(&elsewhere, &s, "/api/account/me", &[]).await.0, 401);
    assert_eq!(
        post(&client(), &s, "/api/auth/user/sign-in", &sign_in(old))
            .await
            .0,
        401
    );
    assert_eq!(
        post(
            &client(),
            &s,
            "/api/auth/user/sign-in",
            &sign_in("amber falcon over quiet rivers")
        )
        .await
        .0,
        200
    );
    let trail = roster_data::audit::recent(&s.state.db, 50).await.unwrap();
    let all: String = trail.iter().map(|e| e.changes.clone()).collect();
    assert!(trail.iter().any(|e| e.action == "user.password_changed"));
    assert!(
        !all.contains("amber falcon") && !all.contains("argon2"),
        "{all}"
    );
}

#[tokio::test]
async fn two_factor_from_staff_enrolment_codes_replay_and_recovery_codes() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let id = ready_user(&c, &s, "true").await;

    // Forced enrolment: no way around it.
    let u = client();
    let (status, body, _) = post(&u, &s, "/api/auth/user/sign-in", &ANN).await;
    assert_eq!(
        (status, body["step"].as_str()),
        (200, Some("need_enrolment"))
    );
    assert_eq!(post(&u, &s, "/api/account/me", &[]).await.0, 401);
    let secret = totp::secret_from_base32(body["secret"].as_str().unwrap()).unwrap();
    let (status, body, _) = post(
        &u,
        &s,
        "/api/auth/user/enrol",
        &[("code", &code_in(&secret, 0))],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["step"], "enrolled");
    let codes: Vec<String> = body["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    let (_, me, _) = post(&u, &s, "/api/account/me", &[]).await;
    assert_eq!(me["two_factor"]["enrolled"], true);
    assert_eq!(me["two_factor"]["required"], true);
    assert_eq!(me["two_factor"]["codes_left"], 10);
    // staff switched it on: the user cannot switch it off
    let (status, body, _) = post(
        &u,
        &s,
        "/api/account/two-factor/disable",
        &[("current_password", ANN[1].1)],
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "two_factor_required");

    // A code works once; the same code again is a replay.
    let next = code_in(&secret, 1);
    let b = client();
    assert_eq!(
        post(&b, &s, "/api/auth/user/sign-in", &ANN).await.1["step"],
        "need_code"
    );
    let (status, body, _) = post(&b, &s, "/api/auth/user/code", &[("code", &next)]).await;
    assert_eq!(
        (status, body["step"].as_str()),
        (200, Some("done")),
        "{body}"
    );
    let b2 = client();
    post(&b2, &s, "/api/auth/user/sign-in", &ANN).await;
    let (status, body, _) = post(&b2, &s, "/api/auth/user/code", &[("code", &next)]).await;
    assert_eq!(
        (status, body["reason"].as_str()),
        (401, Some("code_reused")),
        "{body}"
    );

    // A recovery code instead of a code: once, typed any way the person likes.
    let typed = codes[3].to_uppercase().replace('-', " ");
    let (status, body, _) = post(&b2, &s, "/api/auth/user/code", &[("code", &typed)]).await;
    assert_eq!(
        (status, body["step"].as_str()),
        (200, Some("done")),
        "{body}"
    );
    assert_eq!(
        post(&b2, &s, "/api/account/me", &[]).await.1["two_factor"]["codes_left"],
        9
    );
    let b3 = client();
    post(&b3, &s, "/api/auth/user/sign-in", &ANN).await;
    let (status, body, _) = post(&b3, &s, "/api/auth/user/code", &[("code", &codes[3])]).await;
    assert_eq!(
        (status, body["reason"].as_str()),
        (401, Some("wrong_code")),
        "{body}"
    );
    let (status, _, _) = post(&b3, &s, "/api/auth/user/code", &[("code", "zzzzz-zzzzz")]).await;
    assert_eq!(status, 401);

    // New codes replace the old ones (current password required).
    let (status, body, _) = post(
        &b2,
        &s,
        "/api/account/recovery-codes",
        &[("current_password", "nope")],
    )
    .await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("current_password"))
    );
    let (status, fresh, _) = post(
        &b2,
        &s,
        "/api/account/recovery-codes",
        &[("current_password", ANN[1].1)],
    )
    .await;
    assert_eq!(status, 200, "{fresh}");
    let (status, body, _) = post(&b3, &s, "/api/auth/user/code", &[("code", &codes[4])]).await;
    assert_eq!(
        (status, body["reason"].as_str()),
        (401, Some("wrong_code")),
        "old codes stop working"
    );
    let (status, _, _) = post(
        &b3,
        &s,
        "/api/auth/user/code",
        &[("code", fresh["codes"][0].as_str().unwrap())],
    )
    .await;
    assert_eq!(status, 200);

    // Staff turn 2FA off (the seed's lockout remedy): enrolment and codes gone, password alone works.
    let (_, detail, _) = post(&c, &s, "/api/users/get", &[("id", &id)]).await;
    let version = detail["version"].to_string();
    let mut edit: Vec<(&str, &str)> = vec![
        ("id", &id),
        ("version", &version),
        ("status", "ACTIVE"),
        ("email_verified", "true"),
        ("two_factor", "false"),
    ];
    edit.extend(
        NEW_USER
            .iter()
            .filter(|(k, _)| !matches!(*k, "password" | "two_factor")),
    );
    let (status, body, _) = post(&c, &s, "/api/users/update", &edit).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["two_factor_state"], "off");
    assert_eq!(
        post(&b2, &s, "/api/account/me", &[]).await.0,
        401,
        "2FA change ends sessions"
    );
    let d = client();
    let (status, body, _) = post(&d, &s, "/api/auth/user/sign-in", &ANN).await;
    assert_eq!(
        (status, body["step"].as_str()),
        (200, Some("done")),
        "{body}"
    );
    let (_, me, _) = post(&d, &s, "/api/account/me", &[]).await;
    assert_eq!(me["two_factor"]["enrolled"], false);
    assert_eq!(me["two_factor"]["codes_left"], 0);

    let trail = roster_data::audit::recent(&s.state.db, 100).await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "two_factor.enrolled",
        "two_factor.recovery_code_used",
        "two_factor.recovery_codes_regenerated",
        "sign_in.refused",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    let all: String = trail.iter().map(|e| e.changes.clone()).collect();
    for secret_text in codes.iter().chain([&next]) {
        assert!(
            !all.contains(secret_text.as_str()),
            "{secret_text} in the trail"
        );
    }
}

#[tokio::test]
async fn users_enrol_and_disable_their_own_two_factor_and_edit_their_profile() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    ready_user(&c, &s, "false").await;
    let u = client();
    assert_eq!(
        post(&u, &s, "/api/auth/user/sign-in", &ANN).await.1["step"],
        "done"
    );

    let (status, e, _) = post(&u, &s, "/api/account/two-factor/start", &[]).await;
    assert_eq!(status, 200, "{e}");
    let secret = totp::secret_from_base32(e["secret"].as_str().unwrap()).unwrap();
    let (status, body, _) = post(
        &u,
        &s,
        "/api/account/two-factor/confirm",
        &[("code", "000000")],
    )
    .await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("code")),
        "{body}"
    );
    let (status, codes, _) = post(
        &u,
        &s,
        "/api/account/two-factor/confirm",
        &[("code", &code_in(&secret, 0))],
    )
    .await;
    assert_eq!(status, 200, "{codes}");
    assert_eq!(codes["codes"].as_array().unwrap().len(), 10);
    let (_, me, _) = post(&u, &s, "/api/account/me", &[]).await;
    assert_eq!(me["two_factor"]["enrolled"], true);
    assert_eq!(me["two_factor"]["required"], false);
    // staff see it on
    let (_, page, _) = post(&c, &s, "/api/users/list", &[("q", "ann.lee")]).await;
    assert_eq!(page["rows"][0]["two_factor"], "on");
    // the next sign-in asks for a code
    let v = client();
    assert_eq!(
        post(&v, &s, "/api/auth/user/sign-in", &ANN).await.1["step"],
        "need_code"
    );

    // their own choice, so they may turn it off
    let (status, _, _) = post(
        &u,
        &s,
        "/api/account/two-factor/disable",
        &[("current_password", "wrong")],
    )
    .await;
    assert_eq!(status, 422);
    let (status, body, _) = post(
        &u,
        &s,
        "/api/account/two-factor/disable",
        &[("current_password", ANN[1].1)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let w = client();
    assert_eq!(
        post(&w, &s, "/api/auth/user/sign-in", &ANN).await.1["step"],
        "done"
    );

    // profile: field errors change nothing; a good save shows after a reload
    let bad = [
        ("profile[first_name]", ""),
        ("profile[last_name]", "Lee"),
        ("profile[phone]", "12"),
        ("profile[language]", "de"),
    ];
    let (status, body, _) = post(&u, &s, "/api/account/profile", &bad).await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["first_name", "phone"]);
    let good = [
        ("profile[first_name]", "Anna"),
        ("profile[last_name]", "Lee-Smith"),
        ("profile[phone]", "+44 20 7946 0958"),
        ("profile[language]", "de"),
    ];
    let (status, body, _) = post(&u, &s, "/api/account/profile", &good).await;
    assert_eq!(status, 200, "{body}");
    let (_, me, _) = post(&u, &s, "/api/account/me", &[]).await;
    assert_eq!(me["language"], "de");
    assert_eq!(me["profile"]["first_name"], "Anna");
    assert_eq!(me["profile"]["phone"], "+442079460958");
    assert_eq!(me["email"], "ann.lee@example.com");
}

#[tokio::test]
async fn sign_in_attempts_past_the_address_limit_get_429() {
    let s = start_with(false, 3).await;
    let c = client();
    let wrong = [
        ("email", "nobody@example.com"),
        ("password", "not it at all"),
    ];
    for _ in 0..3 {
        assert_eq!(post(&c, &s, "/api/auth/user/sign-in", &wrong).await.0, 401);
    }
    let (status, body, _) = post(&c, &s, "/api/auth/user/sign-in", &wrong).await;
    assert_eq!(status, 429, "{body}");
    assert!(body["retry_after_secs"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn staff_management_keeps_a_manager_and_support_can_only_look() {
    let s = start(false).await;
    let admin = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let support = staff_client(
        &s,
        "help@example.com",
        &[StaffPermission::UsersView, StaffPermission::ClientsView],
    )
    .await;
    // Support: may look at users, nothing else.
    assert_eq!(post(&support, &s, "/api/users/list", &[]).await.0, 200);
    for path in ["/api/staff/list", "/api/audit/list"] {
        let (status, body, _) = post(&support, &s, path, &[]).await;
        assert_eq!(status, 403, "{path}: {body}");
    }
    let (status, body, _) = post(&support, &s, "/api/users/create", NEW_USER).await;
    assert_eq!(
        (status, body["permission"].as_str()),
        (403, Some("users-create"))
    );
    let (status, _, _) = get(&support, &s, "/admin/audit/export.csv").await;
    assert_eq!(status, 403);

    // Create, with a duplicate refused by field.
    let new = [
        ("form[email]", "sam@example.com"),
        ("form[password]", "copper kettle above the harbour"),
        ("form[permissions][0]", "users-view,audit-view"),
    ];
    let (status, sam, _) = post(&admin, &s, "/api/staff/create", &new).await;
    assert_eq!(status, 200, "{sam}");
    assert_eq!(
        sam["permissions"],
        serde_json::json!(["users-view", "audit-view"])
    );
    let (status, body, _) = post(&admin, &s, "/api/staff/create", &new).await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("email"))
    );
    let sam_id = sam["id"].as_str().unwrap().to_string();
    let (_, list, _) = post(&admin, &s, "/api/staff/list", &[]).await;
    assert_eq!(list.as_array().unwrap().len(), 3);

    // Nobody locks themselves out.
    let (_, me, _) = post(&admin, &s, "/api/auth/staff/me", &[]).await;
    let my_id = me["id"].as_str().unwrap().to_string();
    let (status, body, _) = post(
        &admin,
        &s,
        "/api/staff/update",
        &[
            ("id", &my_id),
            ("permissions", "users-view"),
            ("active", "true"),
        ],
    )
    .await;
    assert_eq!(
        (status, body["rule"].as_str()),
        (409, Some("own_manage_permission")),
        "{body}"
    );
    let all: Vec<&str> = StaffPermission::ALL.iter().map(|p| p.code()).collect();
    let all = all.join(",");
    let (status, body, _) = post(
        &admin,
        &s,
        "/api/staff/update",
        &[("id", &my_id), ("permissions", &all), ("active", "false")],
    )
    .await;
    assert_eq!(
        (status, body["rule"].as_str()),
        (409, Some("deactivate_self")),
        "{body}"
    );
    // The last active staff-manage holder stays one, whoever asks (here: the CLI's rules
    // through the service, as if another manager raced to demote them).
    let err = roster_core::staff::update(
        &s.state,
        (uuid::Uuid::new_v4(), "race@example.com".into()),
        &meta(),
        uuid::Uuid::parse_str(&my_id).unwrap(),
        &[StaffPermission::UsersView],
        true,
    )
    .await
    .unwrap_err();
    assert_eq!(err.to_string(), "This is the last active staff member with staff-manage: someone must be able to manage staff.");

    // Deactivate Sam: their session ends and they cannot sign in.
    let sam_c = client();
    let (status, _, _) = post(
        &sam_c,
        &s,
        "/api/auth/staff/sign-in",
        &[
            ("email", "sam@example.com"),
            ("password", "copper kettle above the harbour"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let (status, body, _) = post(
        &admin,
        &s,
        "/api/staff/update",
        &[
            ("id", &sam_id),
            ("permissions", "users-view"),
            ("active", "false"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["active"], false);
    assert_eq!(post(&sam_c, &s, "/api/users/list", &[]).await.0, 401);
    let (status, _, _) = post(&admin, &s, "/api/staff/reset-2fa", &[("id", &sam_id)]).await;
    assert_eq!(status, 200);

    // The trail has each change, with actor and before → after.
    let (status, page, _) = post(
        &admin,
        &s,
        "/api/audit/list",
        &[("filter[action]", "staff."), ("filter[target]", "sam@")],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let actions: Vec<&str> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["staff.two_factor_reset", "staff.updated", "staff.created"]
    );
    let updated = &page["rows"][1];
    assert_eq!(updated["actor_label"], "ops@example.com");
    let lines = updated["changes"].as_array().unwrap();
    assert!(
        lines.iter().any(|l| l["field"] == "permissions"
            && l["before"] == "[\"users-view\",\"audit-view\"]"
            && l["after"] == "[\"users-view\"]"),
        "{lines:?}"
    );
    assert!(lines
        .iter()
        .any(|l| l["field"] == "active" && l["before"] == "true" && l["after"] == "false"));
    let (status, body, _) = post(
        &admin,
        &s,
        "/api/audit/list",
        &[("filter[from]", "2026-02-30")],
    )
    .await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("from"))
    );

    // CSV of the same filters.
    let (status, csv, headers) = get(
        &admin,
        &s,
        "/admin/audit/export.csv?action=staff.&target=sam%40",
    )
    .await;
    assert_eq!(status, 200, "{csv}");
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "time,actor_kind,actor,action,target_kind,target,target_id,changes,ip"
    );
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[2].contains("staff.updated") && lines[2].contains("ops@example.com"));
}

#[tokio::test]
async fn the_trail_outlives_a_deleted_user_and_notes_name_their_author() {
    let s = start(false).await;
    let admin = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let (_, user, _) = post(&admin, &s, "/api/users/create", NEW_USER).await;
    let id = user["id"].as_str().unwrap().to_string();
    assert_eq!(user["admin_notes_by"], "ops@example.com");
    assert!(user["admin_notes_at"].is_string());
    let (status, _, _) = post(&admin, &s, "/api/users/delete", &[("id", &id)]).await;
    assert_eq!(status, 200);
    let (_, page, _) = post(&admin, &s, "/api/audit/list", &[("filter[target]", &id)]).await;
    let actions: Vec<&str> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["user.deleted", "user.created"]);
    assert_eq!(page["rows"][0]["target_label"], "ann.lee@example.com");
    // by email too, after the user is gone
    let (_, page, _) = post(
        &admin,
        &s,
        "/api/audit/list",
        &[("filter[target]", "ANN.LEE")],
    )
    .await;
    assert_eq!(page["total"], 2);
}
