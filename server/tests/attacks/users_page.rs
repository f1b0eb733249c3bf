//! The Users page's table as hostile data and hostile visitors meet it: names that are
//! markup, bidi and NUL; the same page asked twenty times at once; accounts that may not
//! see it. The rows draw their icons by reference (`<use href>`) and their texts once per
//! table (`tx!`), so markup in a user's fields must stay text everywhere it lands —
//! cells, `aria-label`s and titles.

use super::common::*;
use roster_types::StaffPermission;

const MARKUP: &str = "\"><svg onload=alert(1)><use href=\"#icon-trash\"/>";

/// `/api/users/create` with the common new user, some fields replaced.
async fn create(c: &Browser, over: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let form: Vec<(&str, &str)> = NEW_USER
        .iter()
        .map(|(k, v)| {
            over.iter()
                .find(|(o, _)| o == k)
                .copied()
                .unwrap_or((*k, *v))
        })
        .collect();
    let (status, body, _) = c.call("/api/users/create", &form).await;
    (status, body)
}

#[tokio::test]
async fn markup_and_bidi_in_a_users_fields_stay_text_in_the_table() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    // A text-direction mark in a name is refused with the field's message; markup is text.
    let bidi = [
        ("last_name", "Lee\u{202E}gnp.exe"),
        ("email", "bidi@example.com"),
    ];
    let (status, body) = create(&c, &bidi).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(fields(&body), ["last_name"]);
    let (status, body) = create(
        &c,
        &[("first_name", MARKUP), ("email", "mallory@example.com")],
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let (status, page, _) = c.page("/admin/users").await;
    assert_eq!(status, 200);
    let table = &page[page.find("<table").unwrap()..page.find("</table>").unwrap()];
    assert!(
        !table.contains("<svg onload"),
        "markup reached the table as markup"
    );
    assert!(
        table.contains("&lt;svg onload=alert(1)&gt;"),
        "the name is shown as text"
    );
    assert!(
        !page.contains("bidi@example.com"),
        "the refused user was not written"
    );
    assert!(table.contains("aria-label=\"Edit mallory@example.com\""));
    // One set of symbols for the table; the one row's Delete points at it.
    assert_eq!(page.matches("<symbol id=\"icon-trash\"").count(), 1);
    assert_eq!(page.matches("<use href=\"#icon-trash\"></use>").count(), 1);

    // A NUL in a field is refused, and nothing was written.
    let (status, body) = create(&c, &[("first_name", "A\0B"), ("email", "nul@example.com")]).await;
    assert_eq!(status, 422, "{body}");
    let (_, page, _) = c.page("/admin/users?q=nul").await;
    assert!(!page.contains("Edit nul@example.com"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_identical_page_requests_at_once_get_the_same_table() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    for i in 0..30 {
        let email = format!("u{i}@example.com");
        let (status, body) = create(&c, &[("email", &email), ("phone", "")]).await;
        assert_eq!(status, 200, "{body}");
    }
    let pages = futures::future::join_all((0..20).map(|_| c.page("/admin/users"))).await;
    let rows = |p: &str| p.matches("href=\"#icon-pencil\"").count();
    for (status, page, _) in &pages {
        assert_eq!(*status, 200);
        assert_eq!(rows(page), 25, "a full first page");
        assert!(page.contains("1–25 of 30 users"));
    }
}

#[tokio::test]
async fn the_table_is_not_drawn_for_accounts_that_may_not_see_users() {
    let s = start(false).await;
    let owner = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    assert_eq!(create(&owner, &[]).await.0, 200);
    let viewer = staff_client(&s, "clients@example.com", &[StaffPermission::ClientsView]).await;
    let (status, page, _) = viewer.page("/admin/users").await;
    assert!(status < 500, "{status}");
    assert!(
        !page.contains("ann.lee@example.com"),
        "no user's data without users-view"
    );
    assert!(!page.contains("icon-sprite"), "no table without users-view");
    // Signed out: sent to the staff sign-in page.
    let (status, _, headers) = s.browser().page("/admin/users").await;
    assert!((300..400).contains(&status), "{status}");
    assert!(headers["location"]
        .to_str()
        .unwrap()
        .starts_with("/admin/login"));
}

/// Pages finish while another router is built in the same process (the tests build one
/// per server). Building one walks the app's routes, and leptos turns resource loading off
/// for the whole process while that runs (`SuppressResourceLoad` is one global flag): a
/// page whose staff member began loading then waited forever, one page in ten thousand
/// over the attack suite.
#[tokio::test]
async fn pages_stream_to_the_end_while_another_router_is_built() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let builder = std::thread::spawn({
        let (state, stop) = (s.state.clone(), stop.clone());
        move || {
            let mut built = 0;
            while !stop.load(Ordering::Relaxed) {
                let options = leptos::prelude::LeptosOptions::builder()
                    .output_name("roster")
                    .build();
                drop(roster::router::build(state.clone(), options));
                built += 1;
            }
            built
        }
    });
    let wait = std::time::Duration::from_secs(10);
    for round in 0..50 {
        let pages = futures::future::join_all(
            (0..4).map(|_| tokio::time::timeout(wait, c.page("/admin/users"))),
        )
        .await;
        for page in pages {
            let (status, page, _) =
                page.unwrap_or_else(|_| panic!("round {round}: a page stalled"));
            assert_eq!(status, 200);
            // The signed-in staff member (the first boundary) and the table's end.
            assert!(page.contains(">ops@example.com</a>"), "round {round}");
            assert!(page.contains("</html>"), "round {round}: the page ends");
        }
    }
    stop.store(true, Ordering::Relaxed);
    assert!(builder.join().unwrap() > 0, "routers were built meanwhile");
}
