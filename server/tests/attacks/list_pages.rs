//! Manage Clients and Staff as hostile visitors meet them. Both tables are server HTML now
//! (their islands hold only the buttons): whatever the URL or a client's fields hold lands
//! in the page as text, the pager and the sort headers keep the search, and accounts that
//! may not see a list get no row of it.

use super::common::*;
use roster_types::StaffPermission;

const MARKUP: &str = "\"><svg onload=alert(1)>";

#[tokio::test]
async fn hostile_urls_and_fields_on_manage_clients_stay_text_and_never_fail_the_page() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    new_client(&c, MARKUP).await;
    let markup = url_encode(MARKUP);
    let texts = hostile_url_texts(MARKUP);
    let hostile = texts
        .iter()
        .map(|v| format!("/admin/clients?q={v}"))
        .chain([
            format!("/admin/clients?sort={markup}&dir={markup}"),
            "/admin/clients?sort=company;DROP%20TABLE%20clients&dir=desc".to_string(),
            "/admin/clients?page=-1&per=7".to_string(),
            "/admin/clients?page=99999999999999999999&per=99999999999".to_string(),
            "/admin/clients?q=a&q=b&&&=&page".to_string(),
        ]);
    for path in hostile {
        let (status, page, _) = c.page(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            !page.contains("<svg onload"),
            "markup from {path} reached the page as markup"
        );
    }
    // The client whose company is markup is listed as text, and the list still sorts.
    let (_, page, _) = c
        .page("/admin/clients?sort=company;DROP%20TABLE%20clients")
        .await;
    assert!(
        page.contains("&lt;svg onload=alert(1)&gt;"),
        "the company as text"
    );
    // An unknown order is the default one: by company, ascending.
    assert!(page.contains("aria-sort=\"ascending\""));
    // A search that matches nothing says so, with the search as text.
    let (_, page, _) = c.page(&format!("/admin/clients?q=zz{markup}")).await;
    assert!(page.contains("No clients match"));
    assert!(page.contains("&lt;svg onload=alert(1)&gt;"));
}

#[tokio::test]
async fn the_pager_and_the_sort_headers_keep_the_search() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    for i in 0..30 {
        new_client(&c, &format!("Pager Hosting {i:02}")).await;
    }
    new_client(&c, "Elsewhere Ltd").await;
    let (status, first, _) = c.page("/admin/clients?q=pager").await;
    assert_eq!(status, 200);
    assert!(
        first.contains("1–25 of 30 clients"),
        "the count of the search"
    );
    assert_eq!(first.matches("<tr>").count(), 1 + 25, "a full first page");
    assert!(!first.contains("Elsewhere Ltd"));
    assert!(first.contains("data-go=\"/admin/clients?q=pager&amp;page=2\""));
    assert!(first.contains("data-go=\"/admin/clients?q=pager&amp;sort=company&amp;dir=desc\""));
    let (_, second, _) = c.page("/admin/clients?q=pager&page=2").await;
    // On a failure, show what the page said instead: its pager or its error banner.
    let said = |p: &str| {
        let at = p
            .find("class=\"pager\"")
            .or_else(|| p.find("banner"))
            .unwrap_or(0);
        p[at..].chars().take(200).collect::<String>()
    };
    assert!(second.contains("26–30 of 30 clients"), "{}", said(&second));
    assert_eq!(second.matches("<tr>").count(), 1 + 5);
    // Newest first: the last one made leads.
    let (_, newest, _) = c.page("/admin/clients?q=pager&sort=created&dir=desc").await;
    let at = |name: &str| newest.find(name).unwrap();
    assert!(at("Pager Hosting 29") < at("Pager Hosting 28"));
}

#[tokio::test]
async fn clients_and_staff_are_not_listed_to_accounts_that_may_not_see_them() {
    let s = start(false).await;
    let (owner, ann) = signed_in_ann(&s).await;
    new_client(&owner, "Secret Hosting").await;
    let (_, page, _) = owner.page("/admin/staff").await;
    assert!(page.contains("ops@example.com"));
    assert!(page.contains("+ Add staff member"));

    let viewer = staff_client(&s, "viewer@example.com", &[StaffPermission::UsersView]).await;
    let (status, page, _) = viewer.page("/admin/clients").await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("Secret Hosting"),
        "no client without clients-view"
    );
    assert!(!page.contains("<table"));
    let (status, page, _) = viewer.page("/admin/staff").await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("ops@example.com"),
        "no staff member without staff-manage"
    );
    assert!(!page.contains("+ Add staff member"));
    assert!(!page.contains("<table"));

    // A user's session, a half-finished staff sign-in and a stranger go to the sign-in.
    let half = half_signed_in_staff(&s, "half@example.com").await;
    let stranger = s.browser();
    for c in [&ann, &half, &stranger] {
        for path in ["/admin/clients", "/admin/staff"] {
            let (status, page, headers) = c.page(path).await;
            assert!(matches!(status, 302 | 303 | 307), "{path}: {status}");
            assert!(headers["location"]
                .to_str()
                .unwrap()
                .starts_with("/admin/login"));
            assert!(!page.contains("Secret Hosting") && !page.contains("ops@example.com"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_identical_requests_at_once_get_the_same_lists() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    for i in 0..12 {
        new_client(&c, &format!("Same Hosting {i:02}")).await;
    }
    let pages = futures::future::join_all((0..20).map(|_| c.page("/admin/clients"))).await;
    for (status, page, _) in &pages {
        assert_eq!(*status, 200);
        assert!(page.contains("1–12 of 12 clients"));
        assert_eq!(page.matches("<tr>").count(), 1 + 12);
    }
    let pages = futures::future::join_all((0..20).map(|_| c.page("/admin/staff"))).await;
    let first = &pages[0].1;
    let table = |p: &str| p[p.find("<table").unwrap()..p.find("</table>").unwrap()].to_string();
    for (status, page, _) in &pages {
        assert_eq!(*status, 200);
        assert_eq!(table(page), table(first));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_different_searches_and_a_two_megabyte_one_never_fail_the_page() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    new_client(&c, "Guess Hosting").await;
    // Two at a time: each search on PostgreSQL reads two samples side by side, and the
    // suite's other tests share these two cores.
    let guesses = (0..1000).map(|n| format!("/admin/clients?q=guess{n}&page={}", n % 10));
    assert_every_page_answers(&c, 2, guesses).await;
    assert_two_megabyte_url_is_refused(&c, "/admin/clients?q=", "/admin/clients").await;
    assert_two_megabyte_url_is_refused(&c, "/admin/staff?x=", "/admin/staff").await;
    let (_, page, _) = c.page("/admin/clients?q=guess").await;
    assert!(
        page.contains("Guess Hosting"),
        "the list still answers searches"
    );
}
