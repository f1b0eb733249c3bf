//! Manage Clients over HTTP: permissions, a client and its users.

use crate::common::*;
use roster_types::StaffPermission;

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
        let (status, body, _) = s.browser().call(path, form).await;
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
        let (status, body, _) = c.call(path, form).await;
        assert_eq!(status, 403, "{path}: {body}");
        assert_eq!(body["permission"], *needs);
    }
}

#[tokio::test]
async fn a_client_and_its_users_over_http() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let (status, client, _) = c
        .call(
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
    let (_, user, _) = c.call("/api/users/create", NEW_USER).await;
    let user_id = user["id"].as_str().unwrap().to_string();

    let (status, body, _) = c
        .call(
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
    let (status, owner, _) = c
        .call(
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
    let (_, members, _) = c.call("/api/clients/users", &[("id", &client_id)]).await;
    assert_eq!(members[0]["access"]["owner"], true);
    let (_, page, _) = c.call("/api/users/list", &[("q", "ann.lee")]).await;
    assert_eq!(page["rows"][0]["clients"], 1);
    let (status, body, _) = c
        .call(
            "/api/clients/remove-user",
            &[("client_id", &client_id), ("user_id", &user_id)],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("owner cannot be removed"));
    let (status, _, _) = c.call("/api/clients/delete", &[("id", &client_id)]).await;
    assert_eq!(status, 200);
    let (_, page, _) = c.call("/api/users/list", &[("q", "ann.lee")]).await;
    assert_eq!(page["rows"][0]["clients"], 0);
}
