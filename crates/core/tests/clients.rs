//! Clients and per-client access against a real database, on SQLite and PostgreSQL.

#[macro_use]
mod common;

use common::by;

use roster_core::clients as service;
use roster_core::state::AppState;
use roster_data::{audit, clients as repo, users};
use roster_types::clients::{can, ClientDetail, ClientForm};
use roster_types::users::{ClientStatus, UserStatus};
use roster_types::{AppError, ClientPermission, UserForm};
use uuid::Uuid;

fn client_form(company: &str, tax_id: &str) -> ClientForm {
    ClientForm {
        first_name: "Pat".into(),
        last_name: "Doe".into(),
        company_name: company.into(),
        tax_id: tax_id.into(),
        status: "ACTIVE".into(),
    }
}

async fn user(state: &AppState, email: &str) -> Uuid {
    roster_core::users::create(
        by(state),
        &UserForm {
            email: email.into(),
            password: "violet tractor under seven lanterns".into(),
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            ..UserForm::default()
        },
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn clients_are_created_searched_and_tax_ids_are_unique() {
    let state = common::state(false).await;
    let acme = service::create(by(&state), &client_form("Acme Hosting Ltd", "gb 123 456"))
        .await
        .unwrap();
    assert_eq!(acme.tax_id.as_deref(), Some("GB123456"));
    service::create(by(&state), &client_form("Zeta Web", ""))
        .await
        .unwrap();
    service::create(by(&state), &client_form("Nova Labs", ""))
        .await
        .unwrap();
    let e = service::create(by(&state), &client_form("Copycat", "GB123456"))
        .await
        .unwrap_err();
    assert!(e
        .field("tax_id")
        .unwrap()
        .contains("already has this tax ID"));

    let (rows, total, _) = repo::list(&state.db, "acme", "company", false, 1, 25)
        .await
        .unwrap();
    assert_eq!((rows.len(), total), (1, 1));
    let (_, total, _) = repo::list(&state.db, "gb123", "company", false, 1, 25)
        .await
        .unwrap();
    assert_eq!(total, 1);
    let (rows, total, _) = repo::list(&state.db, "", "company", false, 1, 25)
        .await
        .unwrap();
    assert_eq!(total, 3);
    let names: Vec<_> = rows.iter().map(|r| r.company_name.as_str()).collect();
    assert_eq!(names, ["Acme Hosting Ltd", "Nova Labs", "Zeta Web"]);
    let (_, total, _) = repo::list(&state.db, "ze", "company", false, 1, 25)
        .await
        .unwrap();
    assert_eq!(total, 1);

    // Edits check the version; a stale one changes nothing.
    let mut f = client_form("Acme Hosting Group", "GB123456");
    f.status = "CLOSED".into();
    let saved = service::update(by(&state), acme.id, acme.version, &f)
        .await
        .unwrap();
    assert_eq!(saved.status, ClientStatus::Closed);
    assert_eq!(
        service::update(by(&state), acme.id, acme.version, &f).await,
        Err(AppError::Stale)
    );
}

#[tokio::test]
async fn ownership_moves_in_one_step_and_the_owner_cannot_be_removed() {
    let state = common::state(false).await;
    let c = service::create(by(&state), &client_form("Acme", ""))
        .await
        .unwrap();
    let ann = user(&state, "ann@example.com").await;
    let bob = user(&state, "bob@example.com").await;

    // The first user of a client without an owner becomes the owner.
    let first = service::associate(by(&state), c.id, ann, &[])
        .await
        .unwrap();
    assert!(first);
    let second = service::associate(
        by(&state),
        c.id,
        bob,
        &[
            ClientPermission::ManageDomains,
            ClientPermission::ManageInvoices,
        ],
    )
    .await
    .unwrap();
    assert!(!second);
    let e = service::associate(by(&state), c.id, bob, &[])
        .await
        .unwrap_err();
    assert!(e.field("user_id").unwrap().contains("already associated"));

    let members = repo::users_of(&state.db, c.id).await.unwrap();
    assert_eq!(members[0].email, "ann@example.com");
    assert!(members[0].access.owner);
    assert_eq!(members[1].access.permissions.len(), 2);
    assert!(can(
        UserStatus::New,
        ClientStatus::Active,
        Some(&members[1].access),
        ClientPermission::ManageInvoices
    ));
    assert!(!can(
        UserStatus::New,
        ClientStatus::Active,
        Some(&members[1].access),
        ClientPermission::ManageOrders
    ));

    let e = service::remove(by(&state), c.id, ann).await.unwrap_err();
    assert!(e
        .field("user_id")
        .unwrap()
        .contains("owner cannot be removed"));
    let e = service::set_permissions(by(&state), c.id, ann, &[])
        .await
        .unwrap_err();
    assert!(e
        .field("user_id")
        .unwrap()
        .contains("holds every permission"));

    service::set_permissions(by(&state), c.id, bob, &[ClientPermission::ManageOrders])
        .await
        .unwrap();
    service::make_owner(by(&state), c.id, bob).await.unwrap();
    let members = repo::users_of(&state.db, c.id).await.unwrap();
    assert_eq!(members.iter().filter(|m| m.access.owner).count(), 1);
    assert_eq!(members[0].email, "bob@example.com");
    // The previous owner keeps access, now with every permission spelt out.
    let ann_now = members
        .iter()
        .find(|m| m.email == "ann@example.com")
        .unwrap();
    assert!(!ann_now.access.owner);
    assert_eq!(
        ann_now.access.permissions.len(),
        ClientPermission::ALL.len()
    );
    service::remove(by(&state), c.id, ann).await.unwrap();

    // Deleting Bob is refused while he owns the client; deleting the client removes the links.
    let e = roster_core::users::delete(by(&state), bob)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::OwnsClients { .. }));
    service::delete(by(&state), c.id).await.unwrap();
    assert!(users::clients_of(&state.db, bob).await.unwrap().is_empty());
    roster_core::users::delete(by(&state), bob).await.unwrap();

    let actions: Vec<String> = audit::recent(&state.db, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in [
        "client.created",
        "client.user_associated",
        "client.user_permissions_changed",
        "client.owner_changed",
        "client.user_removed",
        "client.deleted",
    ] {
        assert!(
            actions.iter().any(|x| x == a),
            "{a} missing from {actions:?}"
        );
    }
}

/// A client and two users for one round of a race.
async fn race(state: &AppState, round: u32) -> (ClientDetail, Uuid, Uuid) {
    let form = client_form(&format!("Race {round}"), "");
    let c = service::create(by(state), &form).await.unwrap();
    let ann = user(state, &format!("ann{round}@example.com")).await;
    let bob = user(state, &format!("bob{round}@example.com")).await;
    (c, ann, bob)
}

/// How many owners the client has (the rule: exactly one while it has users).
async fn owners(state: &AppState, client: Uuid) -> usize {
    repo::users_of(&state.db, client)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.access.owner)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_first_associations_make_exactly_one_owner() {
    let state = common::state(false).await;
    for round in 0..5 {
        let (c, ann, bob) = race(&state, round).await;
        let (a, b) = tokio::join!(
            service::associate(by(&state), c.id, ann, &[]),
            service::associate(by(&state), c.id, bob, &[]),
        );
        let firsts = [a.unwrap(), b.unwrap()];
        assert_eq!(
            firsts.iter().filter(|f| **f).count(),
            1,
            "round {round}: {firsts:?}"
        );
        assert_eq!(owners(&state, c.id).await, 1, "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deleting_a_user_while_they_are_made_owner_never_leaves_a_client_without_one() {
    let state = common::state(false).await;
    for round in 0..5 {
        let (c, ann, bob) = race(&state, round).await;
        service::associate(by(&state), c.id, ann, &[])
            .await
            .unwrap();
        service::associate(by(&state), c.id, bob, &[])
            .await
            .unwrap();
        let (moved, deleted) = tokio::join!(
            service::make_owner(by(&state), c.id, bob),
            roster_core::users::delete(by(&state), bob),
        );
        match (&moved, &deleted) {
            // Ownership moved first: Bob owns the client, so he is not deleted.
            (Ok(()), Err(AppError::OwnsClients { .. })) => {}
            // Bob was deleted first: there is nobody to make owner.
            (Err(_), Ok(())) => {}
            other => panic!("round {round}: {other:?}"),
        }
        assert_eq!(
            owners(&state, c.id).await,
            1,
            "round {round}: {moved:?} {deleted:?}"
        );
    }
}
