//! Clients and per-client access against a real database, on SQLite and PostgreSQL.

#[macro_use]
mod common;

use common::{assert_in_trail, by, query};

use roster_core::clients as service;
use roster_core::state::AppState;
use roster_data::{clients as repo, users};
use roster_types::clients::{can, ClientDetail, ClientForm};
use roster_types::page::Total;
use roster_types::user_filter::{ClientsFilter, Filters};
use roster_types::users::UserSort;
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
    let create = |company: &'static str, tax_id: &'static str| {
        let state = &state;
        async move { service::create(by(state), &client_form(company, tax_id)).await }
    };
    let acme = create("Acme Hosting Ltd", "gb 123 456").await.unwrap();
    assert_eq!(acme.tax_id.as_deref(), Some("GB123456"));
    create("Zeta Web", "").await.unwrap();
    create("Nova Labs", "").await.unwrap();
    let e = create("Copycat", "GB123456").await.unwrap_err();
    let message = e.field("tax_id").unwrap();
    assert!(message.contains("already has this tax ID"), "{message}");

    let search = |q: &'static str| {
        let db = state.db.clone();
        async move { repo::list(&db, &query(q, "company", false, 1, 25)).await }
    };
    let (rows, total) = search("acme").await.unwrap();
    assert_eq!((rows.len(), total), (1, Total::Exact(1)));
    assert_eq!(search("gb123").await.unwrap().1, Total::Exact(1));
    assert_eq!(search("ze").await.unwrap().1, Total::Exact(1));
    let (rows, total) = search("").await.unwrap();
    let names: Vec<_> = rows.iter().map(|r| r.company_name.as_str()).collect();
    assert_eq!(
        (names, total),
        (
            vec!["Acme Hosting Ltd", "Nova Labs", "Zeta Web"],
            Total::Exact(3)
        )
    );

    // Edits check the version; a stale one changes nothing.
    let mut f = client_form("Acme Hosting Group", "GB123456");
    f.status = "CLOSED".into();
    let saved = service::update(by(&state), acme.id, acme.version, &f)
        .await
        .unwrap();
    assert_eq!(saved.status, ClientStatus::Closed);
    let again = service::update(by(&state), acme.id, acme.version, &f).await;
    assert_eq!(again, Err(AppError::Stale));
}

#[tokio::test]
async fn a_client_search_with_punctuation_finds_its_own_text_only() {
    // Clients' trigram index holds the search key too (migration search_keys): a mark
    // where the name has another, or a q, is a candidate on PostgreSQL, never a match.
    let state = common::state(false).await;
    for company in ["Acme-Hosting Ltd", "Acme.Hosting Ltd", "Acmeq Hosting Ltd"] {
        service::create(by(&state), &client_form(company, ""))
            .await
            .unwrap();
    }
    let search = |q: &'static str| {
        let db = state.db.clone();
        async move {
            let (rows, total) = repo::list(&db, &query(q, "created", true, 1, 25))
                .await
                .unwrap();
            let names: Vec<String> = rows.into_iter().map(|r| r.company_name).collect();
            (names, total)
        }
    };
    for (q, found) in [
        ("acme-hosting", "Acme-Hosting Ltd"),
        ("e.h", "Acme.Hosting Ltd"),
        ("eq h", "Acmeq Hosting Ltd"),
    ] {
        assert_eq!(
            search(q).await,
            (vec![found.to_string()], Total::Exact(1)),
            "{q}"
        );
    }
    assert_eq!(search("acme_hosting").await.1, Total::Exact(0));
    assert_eq!(search("e%h").await.1, Total::Exact(0));
}

/// Acme with Ann, its first user and so its owner, and Bob, who may manage domains and
/// invoices.
async fn acme_with_ann_and_bob(state: &AppState) -> (Uuid, Uuid, Uuid) {
    let (c, ann, bob) = race(state, 0).await;
    let first = service::associate(by(state), c.id, ann, &[]).await.unwrap();
    assert!(
        first,
        "the first user of a client without an owner becomes the owner"
    );
    let two = [
        ClientPermission::ManageDomains,
        ClientPermission::ManageInvoices,
    ];
    let second = service::associate(by(state), c.id, bob, &two)
        .await
        .unwrap();
    assert!(!second);
    (c.id, ann, bob)
}

#[tokio::test]
async fn the_first_user_owns_the_client_and_the_others_hold_what_they_were_given() {
    let state = common::state(false).await;
    let (c, ann, bob) = acme_with_ann_and_bob(&state).await;
    let e = service::associate(by(&state), c, bob, &[])
        .await
        .unwrap_err();
    assert!(e.field("user_id").unwrap().contains("already associated"));

    let members = repo::users_of(&state.db, c).await.unwrap();
    assert_eq!((members[0].user_id, members[0].access.owner), (ann, true));
    let bob_may = |p| {
        can(
            UserStatus::New,
            ClientStatus::Active,
            Some(&members[1].access),
            p,
        )
    };
    assert_eq!(members[1].access.permissions.len(), 2);
    assert!(bob_may(ClientPermission::ManageInvoices));
    assert!(!bob_may(ClientPermission::ManageOrders));
}

#[tokio::test]
async fn the_owner_cannot_be_removed_or_limited_and_ownership_moves_in_one_step() {
    let state = common::state(false).await;
    let (c, ann, bob) = acme_with_ann_and_bob(&state).await;
    let e = service::remove(by(&state), c, ann).await.unwrap_err();
    assert!(e
        .field("user_id")
        .unwrap()
        .contains("owner cannot be removed"));
    let e = service::set_permissions(by(&state), c, ann, &[])
        .await
        .unwrap_err();
    assert!(e
        .field("user_id")
        .unwrap()
        .contains("holds every permission"));

    let orders = [ClientPermission::ManageOrders];
    service::set_permissions(by(&state), c, bob, &orders)
        .await
        .unwrap();
    service::make_owner(by(&state), c, bob).await.unwrap();
    let members = repo::users_of(&state.db, c).await.unwrap();
    assert_eq!(members.iter().filter(|m| m.access.owner).count(), 1);
    assert_eq!(members[0].user_id, bob);
    // The previous owner keeps access, now with every permission spelt out.
    let ann_now = members.iter().find(|m| m.user_id == ann).unwrap();
    assert!(!ann_now.access.owner);
    assert_eq!(
        ann_now.access.permissions.len(),
        ClientPermission::ALL.len()
    );
    service::remove(by(&state), c, ann).await.unwrap();
}

#[tokio::test]
async fn an_owner_is_not_deleted_and_a_deleted_client_takes_its_links_with_it() {
    let state = common::state(false).await;
    let (c, ann, _) = acme_with_ann_and_bob(&state).await;
    let e = roster_core::users::delete(by(&state), ann)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::OwnsClients { .. }));
    service::delete(by(&state), c).await.unwrap();
    assert!(users::clients_of(&state.db, ann).await.unwrap().is_empty());
    roster_core::users::delete(by(&state), ann).await.unwrap();

    assert_in_trail(
        &state,
        &[
            "client.created",
            "client.user_associated",
            "client.deleted",
            "user.deleted",
        ],
    )
    .await;
}

#[tokio::test]
async fn each_membership_change_is_in_the_trail() {
    let state = common::state(false).await;
    let (c, ann, bob) = acme_with_ann_and_bob(&state).await;
    let orders = [ClientPermission::ManageOrders];
    service::set_permissions(by(&state), c, bob, &orders)
        .await
        .unwrap();
    service::make_owner(by(&state), c, bob).await.unwrap();
    service::remove(by(&state), c, ann).await.unwrap();
    assert_in_trail(
        &state,
        &[
            "client.user_associated",
            "client.user_permissions_changed",
            "client.owner_changed",
            "client.user_removed",
        ],
    )
    .await;
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
    assert_counts_follow_links(&state).await;
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
    assert_counts_follow_links(&state).await;
}

/// Users whose kept counts (`users.clients`, `users.clients_owned`) differ from their links.
async fn assert_counts_follow_links(state: &AppState) {
    let wrong: i64 = on_pool!(&state.db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM users u WHERE
             u.clients <> (SELECT COUNT(*) FROM user_clients uc WHERE uc.user_id = u.id)
             OR u.clients_owned <> (SELECT COUNT(*) FROM user_clients uc
                                    WHERE uc.user_id = u.id AND uc.is_owner)"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    assert_eq!(
        wrong, 0,
        "users whose client counts differ from their links"
    );
}

/// The ids the users list shows under `filters`, with each one's client count.
async fn listed(state: &AppState, filters: &Filters) -> Vec<(Uuid, i64)> {
    let q = query("", UserSort::Created.code(), false, 1, 100);
    let (rows, _) = users::list_filtered(&state.db, &q, filters).await.unwrap();
    rows.into_iter().map(|r| (r.id, r.clients)).collect()
}

async fn owners_listed(state: &AppState) -> Vec<Uuid> {
    let f = Filters {
        clients: Some(ClientsFilter::Owner),
        ..Filters::default()
    };
    listed(state, &f)
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_list_counts_clients_and_finds_owners_as_links_change() {
    let state = common::state(false).await;
    let (c, ann, bob) = acme_with_ann_and_bob(&state).await;
    let zeta = service::create(by(&state), &client_form("Zeta", ""))
        .await
        .unwrap();
    let kappa = service::create(by(&state), &client_form("Kappa", ""))
        .await
        .unwrap();
    // Two links to one user at the same moment are both counted.
    let (z, k) = tokio::join!(
        service::associate(by(&state), zeta.id, ann, &[]),
        service::associate(by(&state), kappa.id, ann, &[]),
    );
    assert!(z.unwrap() && k.unwrap(), "Ann is the first user of both");
    let all = listed(&state, &Filters::default()).await;
    assert_eq!(all, vec![(ann, 3), (bob, 1)]);
    assert_eq!(owners_listed(&state).await, vec![ann]);

    service::make_owner(by(&state), c, bob).await.unwrap();
    assert_eq!(owners_listed(&state).await, vec![ann, bob]);
    service::remove(by(&state), c, ann).await.unwrap();
    service::delete(by(&state), zeta.id).await.unwrap();
    service::delete(by(&state), kappa.id).await.unwrap();
    assert_eq!(
        listed(&state, &Filters::default()).await,
        vec![(ann, 0), (bob, 1)]
    );
    assert_eq!(owners_listed(&state).await, vec![bob]);
    let none = Filters {
        clients: Some(ClientsFilter::None),
        ..Filters::default()
    };
    assert_eq!(listed(&state, &none).await, vec![(ann, 0)]);
    // The owners' index in the other order too.
    let q = query("", UserSort::Created.code(), true, 1, 100);
    let f = Filters {
        clients: Some(ClientsFilter::Owner),
        ..Filters::default()
    };
    let (rows, total) = users::list_filtered(&state.db, &q, &f).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![bob]);
    assert_eq!(total, Total::Exact(1));
    assert_counts_follow_links(&state).await;
}
