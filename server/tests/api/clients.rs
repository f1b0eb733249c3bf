//! Manage Clients over HTTP: permissions, a client and its users.

use crate::common::*;
use roster_types::StaffPermission;
use serde_json::Value;

#[tokio::test]
async fn every_client_endpoint_needs_a_session_and_its_permission() {
    let s = start(false).await;
    let id = uuid::Uuid::new_v4().to_string();
    let one = vec![("id", id.as_str())];
    let pair = vec![("client_id", id.as_str()), ("user_id", id.as_str())];
    let (view, edit) = ("clients-view", "clients-edit");
    let pat = vec![("first_name", "Pat"), ("last_name", "Doe")];
    check_guards(
        &s,
        &[
            ("/api/clients/list", vec![], view),
            ("/api/clients/get", one.clone(), view),
            ("/api/clients/users", one.clone(), view),
            ("/api/clients/invitations", one.clone(), view),
            ("/api/clients/create", pat, edit),
            ("/api/clients/update", vec![one[0], ("version", "1")], edit),
            ("/api/clients/delete", one, edit),
            ("/api/clients/associate", pair.clone(), edit),
            ("/api/clients/set-permissions", pair.clone(), edit),
            ("/api/clients/remove-user", pair.clone(), edit),
            ("/api/clients/make-owner", pair.clone(), edit),
            ("/api/clients/cancel-invitation", pair.clone(), edit),
            (
                "/api/clients/invite",
                vec![pair[0], ("email", "someone.new@example.com")],
                edit,
            ),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_client_and_its_users_over_http() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let pat = [
        ("first_name", "Pat"),
        ("last_name", "Doe"),
        ("company_name", "Acme"),
        ("tax_id", "PL 123"),
    ];
    let (status, client, _) = c.call("/api/clients/create", &pat).await;
    assert_eq!(status, 200, "{client}");
    let client_id = client["id"].as_str().unwrap();
    let (_, user, _) = c.call("/api/users/create", NEW_USER).await;
    let user_id = user["id"].as_str().unwrap();
    let pair = [("client_id", client_id), ("user_id", user_id)];
    let with = |permissions| [pair[0], pair[1], ("permissions", permissions)];

    let (status, body, _) = c
        .call("/api/clients/associate", &with("manage-moons"))
        .await;
    assert_eq!(
        (status, fields(&body)),
        (422, vec!["permissions"]),
        "{body}"
    );
    let (status, owner, _) = c.call("/api/clients/associate", &with("all")).await;
    assert_eq!(
        (status, owner),
        (200, Value::Bool(true)),
        "the first user is the owner"
    );
    let (_, members, _) = c.call("/api/clients/users", &[("id", client_id)]).await;
    assert_eq!(members[0]["access"]["owner"], true);
    let (_, page, _) = c.call("/api/users/list", &[("q", "ann.lee")]).await;
    assert_eq!(page["rows"][0]["clients"], 1);

    let (status, body, _) = c.call("/api/clients/remove-user", &pair).await;
    assert_eq!(status, 422);
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("owner cannot be removed"), "{message}");
    assert_eq!(
        c.call("/api/clients/delete", &[("id", client_id)]).await.0,
        200
    );
    let (_, page, _) = c.call("/api/users/list", &[("q", "ann.lee")]).await;
    assert_eq!(
        page["rows"][0]["clients"], 0,
        "the association went with the client"
    );
}
