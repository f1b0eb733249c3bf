//! Two-factor sign-in over HTTP: enrolment switched on by staff, codes, replay, recovery codes.

use crate::common::*;
use roster_core::security::totp;
use roster_types::StaffPermission;

const SIGN_IN: &str = "/api/auth/user/sign-in";
const CODE: &str = "/api/auth/user/code";
const ME: &str = "/api/account/me";

#[tokio::test]
async fn staff_required_enrolment_cannot_be_skipped_and_gives_ten_recovery_codes() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    ready_user(&c, "true").await;

    let u = s.browser();
    let (status, body, _) = u.call(SIGN_IN, &ANN).await;
    assert_eq!((status, step(&body)), (200, "need_enrolment"));
    assert_eq!(
        u.call(ME, &[]).await.0,
        401,
        "not signed in before enrolling"
    );
    let secret = totp::secret_from_base32(body["secret"].as_str().unwrap()).unwrap();
    let code = code_in(&secret, 0);
    let (status, body, _) = u.call("/api/auth/user/enrol", &[("code", &code)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["step"], "enrolled");
    assert_eq!(strings(&body["codes"]).len(), 10);
    let (_, me, _) = u.call(ME, &[]).await;
    assert_eq!(me["two_factor"]["enrolled"], true);
    assert_eq!(me["two_factor"]["required"], true);
    assert_eq!(me["two_factor"]["codes_left"], 10);
    // Staff switched it on: the user cannot switch it off.
    let password = [("current_password", ANN[1].1)];
    let (status, body, _) = u.call("/api/account/two-factor/disable", &password).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "two_factor_required");
}

#[tokio::test]
async fn a_code_signs_in_once_and_the_same_code_again_is_a_replay() {
    let s = start(false).await;
    let ann = enrolled_ann(&s, &s.browser()).await;
    let next = code_in(&ann.secret, 1);
    let b = s.browser();
    assert_eq!(b.call(SIGN_IN, &ANN).await.1["step"], "need_code");
    let (status, body, _) = b.call(CODE, &[("code", &next)]).await;
    assert_eq!((status, step(&body)), (200, "done"), "{body}");

    let b2 = s.browser();
    b2.call(SIGN_IN, &ANN).await;
    let (status, body, _) = b2.call(CODE, &[("code", &next)]).await;
    assert_eq!(
        (status, body["reason"].as_str()),
        (401, Some("code_reused")),
        "{body}"
    );
    assert_eq!(b2.call(ME, &[]).await.0, 401);
}

#[tokio::test]
async fn recovery_codes_work_once_typed_any_way_and_new_ones_replace_them() {
    let s = start(false).await;
    let ann = enrolled_ann(&s, &s.browser()).await;
    let b2 = s.browser();
    b2.call(SIGN_IN, &ANN).await;
    // Typed any way the person likes: upper case, a space for the dash.
    let typed = ann.codes[3].to_uppercase().replace('-', " ");
    let (status, body, _) = b2.call(CODE, &[("code", &typed)]).await;
    assert_eq!((status, step(&body)), (200, "done"), "{body}");
    assert_eq!(b2.call(ME, &[]).await.1["two_factor"]["codes_left"], 9);

    // Once only.
    let b3 = s.browser();
    b3.call(SIGN_IN, &ANN).await;
    let (status, body, _) = b3.call(CODE, &[("code", &ann.codes[3])]).await;
    assert_eq!(
        (status, body["reason"].as_str()),
        (401, Some("wrong_code")),
        "{body}"
    );
    assert_eq!(b3.call(CODE, &[("code", "zzzzz-zzzzz")]).await.0, 401);

    // New codes replace the old ones (current password required).
    const NEW_CODES: &str = "/api/account/recovery-codes";
    let (status, body, _) = b2.call(NEW_CODES, &[("current_password", "nope")]).await;
    assert_eq!(fields(&body), ["current_password"], "{body}");
    assert_eq!(status, 422);
    let (status, fresh, _) = b2.call(NEW_CODES, &[("current_password", ANN[1].1)]).await;
    assert_eq!(status, 200, "{fresh}");
    let (status, body, _) = b3.call(CODE, &[("code", &ann.codes[4])]).await;
    assert_eq!(
        (status, body["reason"].as_str()),
        (401, Some("wrong_code")),
        "old codes stop working"
    );
    let fresh = strings(&fresh["codes"]);
    assert_eq!(b3.call(CODE, &[("code", &fresh[0])]).await.0, 200);

    // The trail tells what happened and holds no code.
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
    for code in ann.codes.iter().chain(&fresh) {
        assert!(!all.contains(code.as_str()), "{code} in the trail");
    }
}

#[tokio::test]
async fn staff_turning_two_factor_off_ends_sessions_and_the_password_alone_signs_in() {
    let s = start(false).await;
    let ann = enrolled_ann(&s, &s.browser()).await;
    let b = s.browser();
    b.call(SIGN_IN, &ANN).await;
    let code = code_in(&ann.secret, 1);
    assert_eq!(b.call(CODE, &[("code", &code)]).await.0, 200);

    // The seed's lockout remedy: enrolment and codes go.
    let (_, detail, _) = ann.staff.call("/api/users/get", &[("id", &ann.id)]).await;
    let version = detail["version"].to_string();
    let edit = user_edit(&ann.id, &version, "ACTIVE", "false");
    let (status, body, _) = ann.staff.call("/api/users/update", &edit).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["two_factor_state"], "off");
    assert_eq!(b.call(ME, &[]).await.0, 401, "2FA change ends sessions");

    let d = s.browser();
    let (status, body, _) = d.call(SIGN_IN, &ANN).await;
    assert_eq!((status, step(&body)), (200, "done"), "{body}");
    let (_, me, _) = d.call(ME, &[]).await;
    assert_eq!(me["two_factor"]["enrolled"], false);
    assert_eq!(me["two_factor"]["codes_left"], 0);
}
