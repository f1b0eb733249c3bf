//! The authorization matrix, generated from the router's own list of server functions:
//! every `/api` endpoint × {no session, a pending sign-in step, a user session, staff
//! without the endpoint's permission} answers 401 or 403 and never data. An endpoint
//! missing from `need` fails the test, so a new one cannot ship without its entry.

use super::common::*;
use roster_types::StaffPermission;

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
        | "setup/create-staff"
        | "auth/staff/forgot-password"
        | "auth/user/forgot-password"
        | "auth/staff/reset-password"
        | "auth/user/reset-password" => Need::Open,
        "auth/staff/code" | "auth/staff/enrol" | "auth/user/code" | "auth/user/enrol" => Need::Step,
        "account/me"
        | "account/profile"
        | "account/two-factor/start"
        | "account/two-factor/confirm"
        | "account/two-factor/disable"
        | "account/recovery-codes"
        | "account/sessions"
        | "account/activity"
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
        "users/create" | "users/import" => Need::Staff(Some(P::UsersCreate)),
        "users/update"
        | "users/end-sessions"
        | "users/unlock"
        | "users/send-password-reset"
        | "users/resend-invitation"
        // (with `action=activate`: Delete needs users-delete)
        | "users/bulk" => Need::Staff(Some(P::UsersEdit)),
        "users/delete" => Need::Staff(Some(P::UsersDelete)),
        "users/impersonate" => Need::Staff(Some(P::UsersImpersonate)),
        "clients/list" | "clients/get" | "clients/users" | "clients/invitations" => {
            Need::Staff(Some(P::ClientsView))
        }
        "clients/create"
        | "clients/update"
        | "clients/delete"
        | "clients/associate"
        | "clients/set-permissions"
        | "clients/remove-user"
        | "clients/make-owner"
        | "clients/invite"
        | "clients/cancel-invitation" => Need::Staff(Some(P::ClientsEdit)),
        "audit/list" => Need::Staff(Some(P::AuditView)),
        "mail/list" => Need::Staff(Some(P::MailView)),
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
    ("reason", "Ticket 1234"),
    ("action", "activate"),
    ("ids", "00000000-0000-4000-8000-000000000003"),
    ("form[email]", "new@example.com"),
    ("form[password]", "a long enough passphrase here"),
    ("form[permissions][0]", "users-view"),
    ("profile[first_name]", "Ann"),
    ("profile[last_name]", "Lee"),
    ("profile[phone]", ""),
    ("profile[language]", "en"),
];

/// Everyone who may not use some endpoint.
struct Callers {
    nobody: Browser,
    /// At the enrolment step of a sign-in, as a user and as staff.
    pending: Browser,
    /// A fully signed-in user (2FA off).
    user: Browser,
    /// Staff holding every permission.
    staff: Browser,
    /// For each permission, a staff member holding every other one.
    lacking: Vec<(StaffPermission, Browser)>,
}

const BO: [(&str, &str); 6] = [
    ("email", "bo.kim@example.com"),
    ("password", PASSWORD),
    ("first_name", "Bo"),
    ("last_name", "Kim"),
    ("language", "en"),
    ("two_factor", "false"),
];

async fn callers(s: &Server) -> Callers {
    let staff = staff_client(s, "ops@example.com", StaffPermission::ALL).await;
    ready_user(&staff, "true").await;
    let pending = s.browser_from("127.0.0.20");
    let (_, body, _) = pending.call(USER_SIGN_IN, &ANN).await;
    assert_eq!(body["step"], "need_enrolment");
    add_staff(s, "new@example.org", StaffPermission::ALL, true).await;
    let (_, body, _) = pending
        .sign_in_with(STAFF_SIGN_IN, "new@example.org", PASSWORD)
        .await;
    assert_eq!(body["step"], "need_enrolment");

    let (_, bo, _) = staff.call("/api/users/create", &BO).await;
    let (id, version) = (bo["id"].as_str().unwrap(), bo["version"].to_string());
    let active = [
        ("id", id),
        ("version", &version),
        ("status", "ACTIVE"),
        ("email_verified", "true"),
    ];
    let (status, body, _) = staff
        .call("/api/users/update", &[&active[..], &BO].concat())
        .await;
    assert_eq!(status, 200, "{body}");
    let user = s.browser_from("127.0.0.21");
    let (status, body, _) = user.sign_in_with(USER_SIGN_IN, BO[0].1, PASSWORD).await;
    assert_eq!((status, step(&body)), (200, "done"), "{body}");

    let mut lacking = Vec::new();
    for p in StaffPermission::ALL {
        let others: Vec<StaffPermission> = StaffPermission::ALL
            .iter()
            .copied()
            .filter(|q| q != p)
            .collect();
        let email = format!("no-{}@example.com", p.code());
        lacking.push((*p, staff_client(s, &email, &others).await));
    }
    let nobody = s.browser_from("127.0.0.22");
    Callers {
        nobody,
        pending,
        user,
        staff,
        lacking,
    }
}

/// `path` refuses everyone `need` leaves out; how many refusals were checked.
async fn check(path: &str, need: Need, who: &Callers) -> usize {
    let signed_out: Vec<(&str, &Browser)> = match need {
        Need::Open => vec![],
        Need::Step => vec![("nobody", &who.nobody), ("a user", &who.user)],
        Need::User => vec![
            ("nobody", &who.nobody),
            ("a pending step", &who.pending),
            ("staff", &who.staff),
        ],
        Need::Staff(_) => vec![
            ("nobody", &who.nobody),
            ("a pending step", &who.pending),
            ("a user", &who.user),
        ],
    };
    for (name, b) in &signed_out {
        let (status, body, _) = b.call(path, ARGS).await;
        let refused = body["error"] == "unauthenticated" || body["error"] == "sign_in";
        assert!(
            status == 401 && refused,
            "{path} as {name}: {status} {body}"
        );
    }
    let Need::Staff(Some(perm)) = need else {
        return signed_out.len();
    };
    let (_, c) = who.lacking.iter().find(|(p, _)| *p == perm).unwrap();
    let (status, body, _) = c.call(path, ARGS).await;
    let answer = (status, body["error"].as_str(), body["permission"].as_str());
    let want = (403, Some("forbidden"), Some(perm.code()));
    assert_eq!(answer, want, "{path} without {}: {body}", perm.code());
    signed_out.len() + 1
}

#[tokio::test]
async fn every_endpoint_refuses_whoever_may_not_use_it() {
    let s = start_with(false, 1000).await;
    let who = callers(&s).await;
    let paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .filter(|p| p.starts_with("/api/"))
        .collect();
    assert!(
        paths.len() >= 50,
        "only {} endpoints registered",
        paths.len()
    );
    let (mut missing, mut cases) = (Vec::new(), 0);
    for path in &paths {
        match need(path) {
            Some(need) => cases += check(path, need, &who).await,
            None => missing.push(path.clone()),
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
