//! What users change on `/account` over HTTP: password, their own 2FA, profile.

use crate::common::*;
use roster_core::security::totp;

const ME: &str = "/api/account/me";
const CHANGE_PASSWORD: &str = "/api/account/change-password";
const NEW: &str = "amber falcon over quiet rivers";

#[tokio::test]
async fn users_change_their_own_password_and_other_sessions_end() {
    let s = start(false).await;
    let (_, here) = signed_in_ann(&s).await;
    let elsewhere = s.browser();
    assert_eq!(elsewhere.call(USER_SIGN_IN, &ANN).await.0, 200);

    let (status, body, _) = here
        .change_password(CHANGE_PASSWORD, "wrong guess", NEW)
        .await;
    assert_eq!((status, fields(&body)), (422, vec!["current_password"]));
    let (status, body, _) = here
        .change_password(CHANGE_PASSWORD, PASSWORD, "password1234")
        .await;
    assert_eq!((status, fields(&body)), (422, vec!["new_password"]));
    let (status, _, _) = here.change_password(CHANGE_PASSWORD, PASSWORD, NEW).await;
    assert_eq!(status, 200);

    assert_eq!(here.call(ME, &[]).await.0, 200);
    assert_eq!(elsewhere.call(ME, &[]).await.0, 401);
    let email = ANN[0].1;
    assert_eq!(
        s.browser()
            .sign_in_with(USER_SIGN_IN, email, PASSWORD)
            .await
            .0,
        401
    );
    assert_eq!(
        s.browser().sign_in_with(USER_SIGN_IN, email, NEW).await.0,
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
async fn users_enrol_in_two_factor_and_may_turn_their_own_choice_off() {
    let s = start(false).await;
    let (staff, u) = signed_in_ann(&s).await;

    let (status, e, _) = u.call("/api/account/two-factor/start", &[]).await;
    assert_eq!(status, 200, "{e}");
    let secret = totp::secret_from_base32(e["secret"].as_str().unwrap()).unwrap();
    const CONFIRM: &str = "/api/account/two-factor/confirm";
    let (status, body, _) = u.call(CONFIRM, &[("code", "000000")]).await;
    assert_eq!((status, fields(&body)), (422, vec!["code"]), "{body}");
    let (status, codes, _) = u.call(CONFIRM, &[("code", &code_in(&secret, 0))]).await;
    assert_eq!(status, 200, "{codes}");
    assert_eq!(strings(&codes["codes"]).len(), 10);
    let (_, me, _) = u.call(ME, &[]).await;
    assert_eq!(me["two_factor"]["enrolled"], true);
    assert_eq!(me["two_factor"]["required"], false);
    let (_, page, _) = staff.call("/api/users/list", &[("q", "ann.lee")]).await;
    assert_eq!(page["rows"][0]["two_factor"], "on", "staff see it on");
    let next = s.browser().call(USER_SIGN_IN, &ANN).await;
    assert_eq!(
        next.1["step"], "need_code",
        "the next sign-in asks for a code"
    );

    // Their own choice, so they may turn it off (with their password).
    const DISABLE: &str = "/api/account/two-factor/disable";
    assert_eq!(
        u.call(DISABLE, &[("current_password", "wrong")]).await.0,
        422
    );
    let (status, body, _) = u.call(DISABLE, &[("current_password", PASSWORD)]).await;
    assert_eq!(status, 200, "{body}");
    let next = s.browser().call(USER_SIGN_IN, &ANN).await;
    assert_eq!(next.1["step"], "done");
}

#[tokio::test]
async fn a_refused_profile_changes_nothing_and_a_saved_one_shows_after_a_reload() {
    let s = start(false).await;
    let (_, u) = signed_in_ann(&s).await;
    let profile = |first, last, phone| {
        [
            ("profile[first_name]", first),
            ("profile[last_name]", last),
            ("profile[phone]", phone),
            ("profile[language]", "de"),
        ]
    };
    let (status, body, _) = u
        .call("/api/account/profile", &profile("", "Lee", "12"))
        .await;
    assert_eq!(
        (status, fields(&body)),
        (422, vec!["first_name", "phone"]),
        "{body}"
    );
    let (_, me, _) = u.call(ME, &[]).await;
    assert_eq!(
        (
            me["language"].as_str(),
            me["profile"]["first_name"].as_str()
        ),
        (Some("uk"), Some("Ann"))
    );

    let good = profile("Anna", "Lee-Smith", "+44 20 7946 0958");
    let (status, body, _) = u.call("/api/account/profile", &good).await;
    assert_eq!(status, 200, "{body}");
    let (_, me, _) = u.call(ME, &[]).await;
    assert_eq!(me["language"], "de");
    assert_eq!(me["profile"]["first_name"], "Anna");
    assert_eq!(me["profile"]["phone"], "+442079460958");
    assert_eq!(me["email"], "ann.lee@example.com");
}
