//! `/admin/audit` as hostile visitors meet it. The page is server HTML with a GET form (no
//! island): whatever the URL holds reaches the page only as text in the form's fields, the
//! pager's links keep the filters, and a visitor without `audit-view` sees no event.

use super::common::*;
use roster_types::StaffPermission;

const MARKUP: &str = "\"><svg onload=alert(1)>";

#[tokio::test]
async fn hostile_filters_in_the_url_stay_text_and_never_fail_the_page() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let markup = url_encode(MARKUP);
    let texts = hostile_url_texts(MARKUP);
    let hostile = texts
        .iter()
        .map(|v| format!("/admin/audit?actor={v}&target={v}"))
        .chain([
            format!("/admin/audit?action={markup}"),
            "/admin/audit?from=yesterday&to=2026-13-45".to_string(),
            "/admin/audit?page=-1".to_string(),
            "/admin/audit?page=abc".to_string(),
            "/admin/audit?page=99999999999999999999".to_string(),
            "/admin/audit?page=4294967295".to_string(),
            "/admin/audit?actor=a&actor=b&&&=&page".to_string(),
        ]);
    for path in hostile {
        let (status, page, _) = c.page(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            !page.contains("<svg onload"),
            "markup from {path} reached the page as markup"
        );
        assert!(page.contains("Apply filters"), "{path}: the form is shown");
    }
    // The markup is in the field, as its value.
    let (_, page, _) = c.page(&format!("/admin/audit?target={markup}")).await;
    assert!(page.contains("value=\"&quot;&gt;&lt;svg onload=alert(1)&gt;\""));

    // A range that ends before it starts: the field's message, and no events.
    let (status, page, _) = c.page("/admin/audit?from=2026-03-01&to=2026-02-01").await;
    assert_eq!(status, 200);
    assert!(page.contains("The range ends before it starts."));
    assert!(!page.contains("data-testid=\"audit-count\""));
}

#[tokio::test]
async fn the_pager_links_keep_the_filters_and_walk_the_pages() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    for i in 0..55 {
        let email = format!("pager{i}@example.com");
        let (status, body, _) = c
            .call(
                "/api/users/create",
                &[
                    ("email", email.as_str()),
                    ("first_name", "P"),
                    ("last_name", "Ager"),
                    ("password", "violet tractor under seven lanterns"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, first, _) = c.page("/admin/audit?action=user.created").await;
    assert!(
        first.contains("55 events"),
        "the count of the filtered events"
    );
    assert!(first.contains("Page 1 of 2"));
    assert!(first.contains("href=\"/admin/audit?action=user.created&amp;page=2\""));
    assert!(!first.contains(">Newer<"), "no newer page before the first");
    let (_, second, _) = c.page("/admin/audit?action=user.created&page=2").await;
    assert!(second.contains("Page 2 of 2"));
    assert_eq!(
        second.matches("<tr>").count(),
        1 + 5,
        "header and the last five"
    );
    assert!(second.contains("href=\"/admin/audit?action=user.created\""));
    assert!(!second.contains(">Older<"));
    // The CSV link exports the same selection, without the page.
    assert!(first.contains("href=\"/admin/audit/export.csv?action=user.created\""));
}

#[tokio::test]
async fn staff_without_audit_view_and_strangers_see_no_event() {
    let s = start(false).await;
    let owner = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let (_, page, _) = owner.page("/admin/audit").await;
    assert!(page.contains("data-testid=\"audit-count\""));

    let viewer = staff_client(&s, "viewer@example.com", &[StaffPermission::UsersView]).await;
    let (status, page, _) = viewer.page("/admin/audit").await;
    assert_ne!(status, 500);
    assert!(!page.contains("data-testid=\"audit-count\""));
    assert!(
        !page.contains("ops@example.com"),
        "no event of the trail is shown"
    );

    let stranger = s.browser();
    let (status, page, headers) = stranger.page("/admin/audit?actor=ops").await;
    assert!(
        status == 303 || status == 302 || status == 307,
        "a stranger is sent to sign in, not shown the page: {status}"
    );
    assert!(headers["location"]
        .to_str()
        .unwrap()
        .starts_with("/admin/login"));
    assert!(!page.contains("ops@example.com"));
}

#[tokio::test]
async fn a_users_session_and_a_half_finished_staff_sign_in_see_no_event() {
    let s = start(false).await;
    let (staff, ann) = signed_in_ann(&s).await;
    let (_, page, _) = staff.page("/admin/audit").await;
    assert!(page.contains("data-testid=\"audit-count\""));
    // A user's session is no staff session, nor is a sign-in whose second factor is not
    // given yet: both are sent to the staff sign-in.
    let half = half_signed_in_staff(&s, "half@example.com").await;
    for c in [&ann, &half] {
        let (status, page, headers) = c.page("/admin/audit").await;
        assert!(matches!(status, 302 | 303 | 307), "{status}");
        assert!(headers["location"]
            .to_str()
            .unwrap()
            .starts_with("/admin/login"));
        assert!(!page.contains("audit-count"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_asked_at_once_and_a_thousand_times_answers_every_time_the_same() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let path = "/admin/audit?action=staff.";
    let (_, first, _) = c.page(path).await;
    let count = |page: &str| {
        let Some(at) = page.find("data-testid=\"audit-count\"") else {
            let alert = page
                .find("role=\"alert\"")
                .map(|a| &page[a..(a + 300).min(page.len())]);
            panic!("no count on the page; its alert: {alert:?}");
        };
        let text = &page[at..];
        text[text.find('>').unwrap() + 1..]
            .split('<')
            .next()
            .unwrap()
            .to_string()
    };
    let expected = count(&first);
    assert_ne!(expected, "0 events", "the staff member's creation is there");
    // Twenty at the same moment.
    let pages = futures::future::join_all((0..20).map(|_| c.page(path))).await;
    for (status, page, _) in &pages {
        assert_eq!(*status, 200);
        assert_eq!(count(page), expected);
    }
    // A thousand, ten at a time, with a different filter each: never a 500.
    let guesses = (0..1000).map(|n| format!("/admin/audit?target=guess{n}&page={}", n % 10));
    assert_every_page_answers(&c, 10, guesses).await;
}

#[tokio::test]
async fn a_two_megabyte_filter_is_refused_without_a_500() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    assert_two_megabyte_url_is_refused(&c, "/admin/audit?target=", "/admin/audit").await;
}
