//! What users change on `/account` over HTTP: password, their own 2FA, profile.

use crate::common::*;
use roster_core::security::totp;
use roster_types::StaffPermission;

#[tokio::test]
async fn users_change_their_own_password_and_other_sessions_end() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    ready_user(&c, "false").await;
    let old = "violet tractor under seven lanterns";
    let sign_in = |pw: &'static str| [("email", "ann.lee@example.com"), ("password", pw)];
    let here = s.browser();
    let elsewhere = s.browser();
    assert_eq!(
        here.call("/api/auth/user/sign-in", &sign_in(old)).await.0,
        200
    );
    assert_eq!(
        elsewhere
            .call("/api/auth/user/sign-in", &sign_in(old))
            .await
            .0,
        200
    );

    let (status, body, _) = here
        .change_password(
            "/api/account/change-password",
            "wrong guess entirely",
            "amber falcon over quiet rivers",
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["fields"][0]["field"], "current_password");
    let (status, body, _) = here
        .change_password("/api/account/change-password", old, "password1234")
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["fields"][0]["field"], "new_password");
    let (status, _, _) = here
        .change_password(
            "/api/account/change-password",
            old,
            "amber falcon over quiet rivers",
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(here.call("/api/account/me", &[]).await.0, 200);
    assert_eq!(elsewhere.call("/api/account/me", &[]).await.0, 401);
    assert_eq!(
        s.browser()
            .call("/api/auth/user/sign-in", &sign_in(old))
            .await
            .0,
        401
    );
    assert_eq!(
        s.browser()
            .call(
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
async fn users_enrol_and_disable_their_own_two_factor_and_edit_their_profile() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    ready_user(&c, "false").await;
    let u = s.browser();
    assert_eq!(
        u.call("/api/auth/user/sign-in", &ANN).await.1["step"],
        "done"
    );

    let (status, e, _) = u.call("/api/account/two-factor/start", &[]).await;
    assert_eq!(status, 200, "{e}");
    let secret = totp::secret_from_base32(e["secret"].as_str().unwrap()).unwrap();
    let (status, body, _) = u
        .call("/api/account/two-factor/confirm", &[("code", "000000")])
        .await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("code")),
        "{body}"
    );
    let (status, codes, _) = u
        .call(
            "/api/account/two-factor/confirm",
            &[("code", &code_in(&secret, 0))],
        )
        .await;
    assert_eq!(status, 200, "{codes}");
    assert_eq!(codes["codes"].as_array().unwrap().len(), 10);
    let (_, me, _) = u.call("/api/account/me", &[]).await;
    assert_eq!(me["two_factor"]["enrolled"], true);
    assert_eq!(me["two_factor"]["required"], false);
    // staff see it on
    let (_, page, _) = c.call("/api/users/list", &[("q", "ann.lee")]).await;
    assert_eq!(page["rows"][0]["two_factor"], "on");
    // the next sign-in asks for a code
    let v = s.browser();
    assert_eq!(
        v.call("/api/auth/user/sign-in", &ANN).await.1["step"],
        "need_code"
    );

    // their own choice, so they may turn it off
    let (status, _, _) = u
        .call(
            "/api/account/two-factor/disable",
            &[("current_password", "wrong")],
        )
        .await;
    assert_eq!(status, 422);
    let (status, body, _) = u
        .call(
            "/api/account/two-factor/disable",
            &[("current_password", ANN[1].1)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let w = s.browser();
    assert_eq!(
        w.call("/api/auth/user/sign-in", &ANN).await.1["step"],
        "done"
    );

    // profile: field errors change nothing; a good save shows after a reload
    let bad = [
        ("profile[first_name]", ""),
        ("profile[last_name]", "Lee"),
        ("profile[phone]", "12"),
        ("profile[language]", "de"),
    ];
    let (status, body, _) = u.call("/api/account/profile", &bad).await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = fields(&body);
    assert_eq!(fields, ["first_name", "phone"]);
    let good = [
        ("profile[first_name]", "Anna"),
        ("profile[last_name]", "Lee-Smith"),
        ("profile[phone]", "+44 20 7946 0958"),
        ("profile[language]", "de"),
    ];
    let (status, body, _) = u.call("/api/account/profile", &good).await;
    assert_eq!(status, 200, "{body}");
    let (_, me, _) = u.call("/api/account/me", &[]).await;
    assert_eq!(me["language"], "de");
    assert_eq!(me["profile"]["first_name"], "Anna");
    assert_eq!(me["profile"]["phone"], "+442079460958");
    assert_eq!(me["email"], "ann.lee@example.com");
}
