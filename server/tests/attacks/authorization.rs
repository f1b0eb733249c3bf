//! The authorization matrix, generated from the router's own list of server functions:
//! every `/api` endpoint × {no session, a pending sign-in step, a user session, staff
//! without the endpoint's permission} answers 401 or 403 and never data. An endpoint
//! missing from `need` fails the test, so a new one cannot ship without its entry.

use super::common::*;
use roster_types::StaffPermission;
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Need {
    /// Sign-in pages, setup and sign-out: open by design.
    Open,
    /// The code and enrolment steps: a pending step of that kind, nothing else.
    Step,
    /// A signed-in user.
    User,
    /// A signed-in staff member holding the permission (any staff member when None).
    Staff(Option<StaffPermission>),
}

fn need(path: &str) -> Option<Need> {
    use StaffPermission as P;
    let p = path.strip_prefix("/api/")?;
    Some(match p {
        "auth/staff/sign-in"
        | "auth/user/sign-in"
        | "auth/user/language"
        | "i18n/texts"
        | "auth/staff/sign-out"
        | "auth/user/sign-out"
        | "setup/check"
        | "setup/create-staff" => Need::Open,
        "auth/staff/code" | "auth/staff/enrol" | "auth/user/code" | "auth/user/enrol" => Need::Step,
        "account/me"
        | "account/profile"
        | "account/two-factor/start"
        | "account/two-factor/confirm"
        | "account/two-factor/disable"
        | "account/recovery-codes"
        | "account/sessions"
        | "account/end-sessions"
        | "account/change-password" => Need::User,
        "auth/staff/me"
        | "auth/staff/change-password"
        | "auth/staff/sessions"
        | "auth/staff/end-sessions"
        | "auth/staff/language"
        | "users/password-strength" => Need::Staff(None),
        "users/list" | "users/get" | "users/sessions" | "users/clients" => {
            Need::Staff(Some(P::UsersView))
        }
        "users/create" => Need::Staff(Some(P::UsersCreate)),
        "users/update" | "users/end-sessions" | "users/unlock" => Need::Staff(Some(P::UsersEdit)),
        "users/delete" => Need::Staff(Some(P::UsersDelete)),
        "clients/list" | "clients/get" | "clients/users" => Need::Staff(Some(P::ClientsView)),
        "clients/create"
        | "clients/update"
        | "clients/delete"
        | "clients/associate"
        | "clients/set-permissions"
        | "clients/remove-user"
        | "clients/make-owner" => Need::Staff(Some(P::ClientsEdit)),
        "audit/list" => Need::Staff(Some(P::AuditView)),
        "staff/list" | "staff/create" | "staff/update" | "staff/reset-2fa" | "staff/unlock" => {
            Need::Staff(Some(P::StaffManage))
        }
        _ => return None,
    })
}

/// Arguments every endpoint can parse (unknown fields are ignored), so that what answers
/// is the authorization check, not a missing argument.
pub const ARGS: &[(&str, &str)] = &[
    ("id", "00000000-0000-4000-8000-000000000001"),
    ("client_id", "00000000-0000-4000-8000-000000000002"),
    ("user_id", "00000000-0000-4000-8000-000000000003"),
    ("version", "1"),
    ("email", "someone@example.com"),
    ("password", "a long enough passphrase here"),
    ("first_name", "Ann"),
    ("last_name", "Lee"),
    ("phone", ""),
    ("language", "en"),
    ("admin_notes", ""),
    ("two_factor", "false"),
    ("status", "ACTIVE"),
    ("email_verified", "false"),
    ("phone_verified", "false"),
    ("company_name", ""),
    ("tax_id", ""),
    ("permissions", ""),
    ("active", "true"),
    ("code", "123456"),
    ("token", "x"),
    ("current_password", "x"),
    ("new_password", "y"),
    ("form[email]", "new@example.com"),
    ("form[password]", "a long enough passphrase here"),
    ("form[permissions][0]", "users-view"),
    ("profile[first_name]", "Ann"),
    ("profile[last_name]", "Lee"),
    ("profile[phone]", ""),
    ("profile[language]", "en"),
];

#[tokio::test]
async fn every_endpoint_refuses_whoever_may_not_use_it() {
    let s = start_with(false, 1000).await;
    // A user with 2FA switched on, left at the enrolment step: a pending step.
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    ready_user(&staff, "true").await;
    let pending = s.browser_from("127.0.0.20");
    let (_, body, _) = pending.call("/api/auth/user/sign-in", &ANN).await;
    assert_eq!(body["step"], "need_enrolment");
    // Staff at their own pending step too (2FA switched on for them).
    add_staff(&s, "new@example.org", StaffPermission::ALL, true).await;
    let (_, body, _) = pending
        .sign_in_with("/api/auth/staff/sign-in", "new@example.org", PASSWORD)
        .await;
    assert_eq!(body["step"], "need_enrolment");
    // A fully signed-in user (2FA off).
    let (_, u2, _) = staff
        .call(
            "/api/users/create",
            &[
                ("email", "bo.kim@example.com"),
                ("password", PASSWORD),
                ("first_name", "Bo"),
                ("last_name", "Kim"),
                ("language", "en"),
                ("two_factor", "false"),
            ],
        )
        .await;
    let (id, version) = (
        u2["id"].as_str().unwrap().to_string(),
        u2["version"].to_string(),
    );
    let (status, body, _) = staff
        .call(
            "/api/users/update",
            &[
                ("id", id.as_str()),
                ("version", version.as_str()),
                ("email", "bo.kim@example.com"),
                ("first_name", "Bo"),
                ("last_name", "Kim"),
                ("language", "en"),
                ("status", "ACTIVE"),
                ("email_verified", "true"),
                ("two_factor", "false"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let user = s.browser_from("127.0.0.21");
    let (status, body, _) = user
        .sign_in_with("/api/auth/user/sign-in", "bo.kim@example.com", PASSWORD)
        .await;
    assert_eq!(
        (status, body["step"].as_str()),
        (200, Some("done")),
        "{body}"
    );
    // For each permission, a staff member holding every other one.
    let mut lacking = Vec::new();
    for p in StaffPermission::ALL {
        let others: Vec<StaffPermission> = StaffPermission::ALL
            .iter()
            .copied()
            .filter(|q| q != p)
            .collect();
        let email = format!("no-{}@example.com", p.code());
        lacking.push((*p, staff_client(&s, &email, &others).await));
    }

    let paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .filter(|p| p.starts_with("/api/"))
        .collect();
    assert!(
        paths.len() >= 50,
        "only {} endpoints registered",
        paths.len()
    );
    let mut missing = Vec::new();
    let mut cases = 0;
    let nobody = s.browser_from("127.0.0.22");
    for path in &paths {
        let Some(need) = need(path) else {
            missing.push(path.clone());
            continue;
        };
        let expect_401 =
            |who: &str, (status, body, _): (u16, Value, reqwest::header::HeaderMap)| {
                assert!(
                    status == 401
                        && (body["error"] == "unauthenticated" || body["error"] == "sign_in"),
                    "{path} as {who}: {status} {body}"
                );
            };
        match need {
            Need::Open => continue,
            Need::Step => {
                expect_401("nobody", nobody.call(path, ARGS).await);
                expect_401("a user", user.call(path, ARGS).await);
                cases += 2;
            }
            Need::User => {
                expect_401("nobody", nobody.call(path, ARGS).await);
                expect_401("a pending step", pending.call(path, ARGS).await);
                expect_401("staff", staff.call(path, ARGS).await);
                cases += 3;
            }
            Need::Staff(perm) => {
                expect_401("nobody", nobody.call(path, ARGS).await);
                expect_401("a pending step", pending.call(path, ARGS).await);
                expect_401("a user", user.call(path, ARGS).await);
                cases += 3;
                if let Some(perm) = perm {
                    let (_, c) = lacking.iter().find(|(p, _)| *p == perm).unwrap();
                    let (status, body, _) = c.call(path, ARGS).await;
                    assert_eq!(
                        (status, body["error"].as_str(), body["permission"].as_str()),
                        (403, Some("forbidden"), Some(perm.code())),
                        "{path} without {}: {body}",
                        perm.code()
                    );
                    cases += 1;
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "endpoints without an entry in the matrix: {missing:?}"
    );
    println!(
        "authorization matrix: {} endpoints, {cases} refusals checked",
        paths.len()
    );
}
