//! Two-factor sign-in over HTTP: enrolment switched on by staff, codes, replay, recovery codes.

use crate::common::*;
use roster_core::security::totp;
use roster_types::StaffPermission;

#[tokio::test]
async fn two_factor_from_staff_enrolment_codes_replay_and_recovery_codes() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let id = ready_user(&c, "true").await;

    // Forced enrolment: no way around it.
    let u = s.browser();
    let (status, body, _) = u.call("/api/auth/user/sign-in", &ANN).await;
    assert_eq!(
        (status, body["step"].as_str()),
        (200, Some("need_enrolment"))
    );
    assert_eq!(u.call("/api/account/me", &[]).await.0, 401);
    let secret = totp::secret_from_base32(body["secret"].as_str().unwrap()).unwrap();
    let (status, body, _) = u
        .call("/api/auth/user/enrol", &[("code", &code_in(&secret, 0))])
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
    let (_, me, _) = u.call("/api/account/me", &[]).await;
    assert_eq!(me["two_factor"]["enrolled"], true);
    assert_eq!(me["two_factor"]["required"], true);
    assert_eq!(me["two_factor"]["codes_left"], 10);
    // staff switched it on: the user cannot switch it off
    let (status, body, _) = u
        .call(
            "/api/account/two-factor/disable",
            &[("current_password", ANN[1].1)],
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "two_factor_required");

    // A code works once; the same code again is a replay.
    let next = code_in(&secret, 1);
    let b = s.browser();
    assert_eq!(
        b.call("/api/auth/user/sign-in", &ANN).await.1["step"],
        "need_code"
    );
    let (status, body, _) = b.call("/api/auth/user/code", &[("code", &next)]).await;
    assert_eq!(
        (status, body["step"].as_str()),
        (200, Some("done")),
        "{body}"
    );
    let b2 = s.browser();
    b2.call("/api/auth/user/sign-in", &ANN).await;
    let (status, body, _) = b2.call("/api/auth/user/code", &[("code", &next)]).await;
    assert_eq!(
        (status, body["reason"].as_str()),
        (401, Some("code_reused")),
        "{body}"
    );

    // A recovery code instead of a code: once, typed any way the person likes.
    let typed = codes[3].to_uppercase().replace('-', " ");
    let (status, body, _) = b2.call("/api/auth/user/code", &[("code", &typed)]).await;
    assert_eq!(
        (status, body["step"].as_str()),
        (200, Some("done")),
        "{body}"
    );
    assert_eq!(
        b2.call("/api/account/me", &[]).await.1["two_factor"]["codes_left"],
        9
    );
    let b3 = s.browser();
    b3.call("/api/auth/user/sign-in", &ANN).await;
    let (status, body, _) = b3.call("/api/auth/user/code", &[("code", &codes[3])]).await;
    assert_eq!(
        (status, body["reason"].as_str()),
        (401, Some("wrong_code")),
        "{body}"
    );
    let (status, _, _) = b3
        .call("/api/auth/user/code", &[("code", "zzzzz-zzzzz")])
        .await;
    assert_eq!(status, 401);

    // New codes replace the old ones (current password required).
    let (status, body, _) = b2
        .call(
            "/api/account/recovery-codes",
            &[("current_password", "nope")],
        )
        .await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("current_password"))
    );
    let (status, fresh, _) = b2
        .call(
            "/api/account/recovery-codes",
            &[("current_password", ANN[1].1)],
        )
        .await;
    assert_eq!(status, 200, "{fresh}");
    let (status, body, _) = b3.call("/api/auth/user/code", &[("code", &codes[4])]).await;
    assert_eq!(
        (status, body["reason"].as_str()),
        (401, Some("wrong_code")),
        "old codes stop working"
    );
    let (status, _, _) = b3
        .call(
            "/api/auth/user/code",
            &[("code", fresh["codes"][0].as_str().unwrap())],
        )
        .await;
    assert_eq!(status, 200);

    // Staff turn 2FA off (the seed's lockout remedy): enrolment and codes gone, password alone works.
    let (_, detail, _) = c.call("/api/users/get", &[("id", &id)]).await;
    let version = detail["version"].to_string();
    let edit = user_edit(&id, &version, "ACTIVE", "false");
    let (status, body, _) = c.call("/api/users/update", &edit).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["two_factor_state"], "off");
    assert_eq!(
        b2.call("/api/account/me", &[]).await.0,
        401,
        "2FA change ends sessions"
    );
    let d = s.browser();
    let (status, body, _) = d.call("/api/auth/user/sign-in", &ANN).await;
    assert_eq!(
        (status, body["step"].as_str()),
        (200, Some("done")),
        "{body}"
    );
    let (_, me, _) = d.call("/api/account/me", &[]).await;
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
