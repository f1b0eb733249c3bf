//! A client's page as hostile visitors meet it. It is server HTML with its tab in the URL
//! (`?tab=users`, `?tab=activity&page=2`): whatever the URL or the client's and its users'
//! fields hold lands as text, an unknown tab is Profile, and staff see only the tabs and
//! buttons their permissions allow.

use super::common::*;
use roster_types::StaffPermission;

const MARKUP: &str = "\"><svg onload=alert(1)>";

/// A client named with `company`; its id.
async fn client(c: &Browser, company: &str) -> String {
    new_client(c, company).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn hostile_tabs_pages_and_ids_stay_text_and_never_fail_the_page() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let id = client(&c, MARKUP).await;
    let page_of = |q: &str| format!("/admin/clients/{id}{q}");
    let hostile = hostile_url_texts(MARKUP)
        .into_iter()
        .flat_map(|v| {
            [
                page_of(&format!("?tab={v}")),
                page_of(&format!("?tab=activity&page={v}")),
            ]
        })
        .chain([
            page_of("?tab=activity&page=-1"),
            page_of("?tab=activity&page=99999999999999999999"),
            page_of("?tab=users&tab=activity&&&=&page"),
            page_of("?tab=USERS"),
        ]);
    for path in hostile {
        let (status, page, _) = c.page(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            !page.contains("<svg onload"),
            "markup from {path} reached the page as markup"
        );
        // The company (markup itself) is the heading, as text.
        assert!(page.contains("&lt;svg onload=alert(1)&gt;"), "{path}");
    }
    // An unknown tab opens Profile, marked as the current one.
    let (_, page, _) = c.page(&page_of("?tab=%3Cb%3E")).await;
    assert!(page.contains(&format!(
        "href=\"/admin/clients/{id}\" aria-current=\"page\""
    )));
    // Ids that are no client's: a clear "not found", never a 500.
    for path in [
        "/admin/clients/not-a-uuid".to_string(),
        format!("/admin/clients/{}", uuid::Uuid::new_v4()),
        format!("/admin/clients/{}?tab=users", uuid::Uuid::new_v4()),
        format!("/admin/clients/{}", url_encode(MARKUP)),
    ] {
        let (status, page, _) = c.page(&path).await;
        assert!(status == 200 || status == 404, "{path}: {status}");
        assert!(page.contains("Not found"), "{path}");
        assert!(!page.contains("<svg onload"));
    }
    assert_two_megabyte_url_is_refused(&c, &page_of("?tab="), &page_of("")).await;
}

#[tokio::test]
async fn each_tab_is_its_own_page_and_the_users_tab_shows_hostile_names_as_text() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let id = client(&c, "Tabs Hosting").await;
    let user = [
        ("email", "mal@example.com"),
        ("password", "violet tractor under seven lanterns"),
        ("first_name", MARKUP),
        ("last_name", "Lory"),
    ];
    let (status, made, _) = c.call("/api/users/create", &user).await;
    assert_eq!(status, 200, "{made}");
    let uid = made["id"].as_str().unwrap();
    let form = [
        ("client_id", id.as_str()),
        ("user_id", uid),
        ("permissions", ""),
    ];
    let (status, body, _) = c.call("/api/clients/associate", &form).await;
    assert_eq!(status, 200, "{body}");

    let (status, profile, _) = c.page(&format!("/admin/clients/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        profile.contains("<form method=\"post\"") && !profile.contains("ClientProfile"),
        "the Profile tab is a plain form, no island"
    );
    assert!(!profile.contains("ClientUsersControls") && !profile.contains("mal@example.com"));

    let (status, users, _) = c.page(&format!("/admin/clients/{id}?tab=users")).await;
    assert_eq!(status, 200);
    assert!(users.contains("ClientUsersControls") && !users.contains("<form method=\"post\""));
    assert!(!users.contains("<svg onload"));
    assert!(
        users.contains("&lt;svg onload=alert(1)&gt;"),
        "the name as text"
    );
    assert!(users.contains(">OWNER<"), "the first user is the owner");
    assert!(users.contains(&format!("data-row-action=\"remove\" data-row-id=\"{uid}\"")));
    assert!(users.contains("href=\"/admin/users?q=mal%40example.com\""));

    let (status, activity, _) = c.page(&format!("/admin/clients/{id}?tab=activity")).await;
    assert_eq!(status, 200);
    assert!(activity.contains("client.user_associated") && activity.contains("client.created"));
    assert!(
        !activity.contains("<form method=\"post\"") && !activity.contains("ClientUsersControls")
    );

    // Twenty of each tab at once all arrive whole.
    let paths = ["", "?tab=users", "?tab=activity"]
        .iter()
        .flat_map(|q| std::iter::repeat_n(format!("/admin/clients/{id}{q}"), 20));
    assert_every_page_answers(&c, 20, paths).await;
}

#[tokio::test]
async fn staff_see_the_tabs_and_buttons_their_permissions_allow() {
    let s = start(false).await;
    let (owner, ann) = signed_in_ann(&s).await;
    let id = client(&owner, "Guarded Hosting").await;
    let ann_id = {
        let (_, page, _) = owner.call("/api/users/list", &[("q", "ann.lee")]).await;
        page["rows"][0]["id"].as_str().unwrap().to_string()
    };
    let form = [
        ("client_id", id.as_str()),
        ("user_id", ann_id.as_str()),
        ("permissions", ""),
    ];
    assert_eq!(owner.call("/api/clients/associate", &form).await.0, 200);

    // Looking only: no Save, Delete, Associate, Remove or Make owner; no Activity tab,
    // and asking for it opens Profile without an event.
    let viewer = staff_client(&s, "viewer@example.com", &[StaffPermission::ClientsView]).await;
    let (status, profile, _) = viewer.page(&format!("/admin/clients/{id}")).await;
    assert_eq!(status, 200);
    assert!(profile.contains("Guarded Hosting"));
    assert!(
        profile.contains("<fieldset disabled"),
        "the form is read-only"
    );
    assert!(!profile.contains("Delete client") && !profile.contains(">Save<"));
    assert!(
        !profile.contains("?tab=activity"),
        "no Activity tab without audit-view"
    );
    let (_, users, _) = viewer.page(&format!("/admin/clients/{id}?tab=users")).await;
    assert!(
        users.contains("ann.lee@example.com"),
        "the members are listed"
    );
    assert!(!users.contains("data-row-action") && !users.contains("+ Associate User"));
    let (status, asked, _) = viewer
        .page(&format!("/admin/clients/{id}?tab=activity"))
        .await;
    assert_eq!(status, 200);
    assert!(
        !asked.contains("client.created"),
        "no event without audit-view"
    );
    assert!(asked.contains("<form method=\"post\""), "Profile instead");

    // Without clients-view: not the client's name, its users or its events.
    let other = staff_client(&s, "other@example.com", &[StaffPermission::UsersView]).await;
    for q in ["", "?tab=users", "?tab=activity"] {
        let (status, page, _) = other.page(&format!("/admin/clients/{id}{q}")).await;
        assert_eq!(status, 200, "{q}");
        assert!(
            !page.contains("Guarded Hosting") && !page.contains("client.created"),
            "{q}"
        );
    }
    // A user's session and nobody at all are sent to the staff sign-in.
    for c in [&s.browser(), &ann] {
        let (status, _, headers) = c.page(&format!("/admin/clients/{id}?tab=users")).await;
        assert_eq!(status, 303);
        assert_eq!(headers["location"], "/admin/login");
    }
}
