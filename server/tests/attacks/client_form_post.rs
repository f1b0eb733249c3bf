//! A client's Profile tab is a plain HTML form posted to the page itself (no WASM). Posted
//! by hand as an attacker would: hostile fields and bodies, a stale or missing version,
//! the same save twice, two saves at the same moment, another site's page, staff without
//! clients-edit, and nobody. A refused post changes nothing and answers with the page
//! (typed values and the reason), never a 500.

use super::common::*;
use roster_types::StaffPermission;
use serde_json::Value;

const MARKUP: &str = "\"><svg onload=alert(1)>";

/// A client of `company`: its id and version.
async fn client(c: &Browser, company: &str) -> (String, i64) {
    let made = new_client(c, company).await;
    (
        made["id"].as_str().unwrap().to_string(),
        made["version"].as_i64().unwrap(),
    )
}

async fn get(c: &Browser, id: &str) -> Value {
    let (status, body, _) = c.call("/api/clients/get", &[("id", id)]).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The Profile form's body: `version` and the five fields.
fn profile(version: i64, company: &str, status: &str) -> String {
    serde_urlencoded::to_string([
        ("version", version.to_string().as_str()),
        ("first_name", "Pat"),
        ("last_name", "Doe"),
        ("company_name", company),
        ("tax_id", ""),
        ("status", status),
    ])
    .unwrap()
}

/// The client's events of `action` in the trail.
async fn events(c: &Browser, action: &str) -> usize {
    let (_, page, _) = c
        .call("/api/audit/list", &[("filter[action]", action)])
        .await;
    page["rows"].as_array().map_or(0, |r| r.len())
}

#[tokio::test]
async fn the_profile_form_saves_without_wasm_and_a_posted_changes_nothing() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let (id, version) = client(&c, "Plain Hosting").await;
    let path = format!("/admin/clients/{id}");

    // The tab is a form posting to the page, with no island of its own.
    let (status, page, _) = c.page(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("<form method=\"post\" action=\"{path}\"")));
    assert!(page.contains(&format!("name=\"version\" value=\"{version}\"")));
    assert!(
        !page.contains("ClientProfile"),
        "no island on the Profile tab"
    );

    // Saved: a redirect to the page saying so, the change made and audited once.
    let (status, _, headers) = c
        .post_page(&path, profile(version, "Renamed Hosting", "INACTIVE"))
        .await;
    assert_eq!(status, 303);
    assert_eq!(headers["location"], format!("{path}?saved=1"));
    let now = get(&c, &id).await;
    assert_eq!(now["company_name"], "Renamed Hosting");
    assert_eq!(now["status"], "INACTIVE");
    assert_eq!(events(&c, "client.updated").await, 1);
    let (_, page, _) = c.page(&format!("{path}?saved=1")).await;
    assert!(page.contains("role=\"status\"") && page.contains("Client saved"));
    assert!(page.contains("Renamed Hosting"));
    let version = now["version"].as_i64().unwrap();

    // The same save sent again with the version it was made from (the second post of a
    // double click) finds it done: no error, no second event.
    let (status, _, headers) = c
        .post_page(&path, profile(version - 1, "Renamed Hosting", "INACTIVE"))
        .await;
    assert_eq!(status, 303);
    assert_eq!(headers["location"], format!("{path}?saved=1"));
    assert_eq!(events(&c, "client.updated").await, 1);

    // Invalid: the page again with what was typed and why, nothing saved.
    let body = serde_urlencoded::to_string([
        ("version", version.to_string().as_str()),
        ("first_name", ""),
        ("last_name", MARKUP),
        ("company_name", "Typed But Refused"),
        ("status", "ACTIVE"),
    ])
    .unwrap();
    let (status, page, _) = c.post_page(&path, body).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("value=\"Typed But Refused\""),
        "what was typed stays"
    );
    assert!(page.contains("id=\"f-first_name\"") && page.contains("aria-invalid=\"true\""));
    assert!(
        !page.contains("<svg onload"),
        "typed markup is shown as text"
    );
    assert!(page.contains(&format!("name=\"version\" value=\"{version}\"")));
    assert_eq!(get(&c, &id).await["company_name"], "Renamed Hosting");

    // Changed meanwhile by someone else: refused, their change kept.
    let (status, page, _) = c
        .post_page(&path, profile(version - 1, "Overwriting Co", "ACTIVE"))
        .await;
    assert_eq!(status, 409);
    assert!(page.contains("changed by someone else"));
    assert!(page.contains("value=\"Overwriting Co\""));
    assert_eq!(get(&c, &id).await["company_name"], "Renamed Hosting");

    // Hostile bodies: each a clear refusal with the page, nothing changed, never a 500.
    let hostile: Vec<(Vec<u8>, u16)> = vec![
        (b"version=1&first_name=a%00b&last_name=Doe".to_vec(), 422),
        (b"version=1&first_name=%FF%FE&last_name=Doe".to_vec(), 400),
        (
            b"version=1&first_name=A&first_name=B&last_name=Doe".to_vec(),
            400,
        ),
        (
            format!("version={version}&first_name={}", "a".repeat(100_000)).into_bytes(),
            400,
        ),
        (
            b"version=lots&first_name=Pat&last_name=Doe&company_name=X".to_vec(),
            409,
        ),
        (b"first_name=Pat&last_name=Doe&company_name=X".to_vec(), 409),
        (
            format!("version={version}&status=DELETED&first_name=Pat&last_name=Doe").into_bytes(),
            422,
        ),
        (format!("version={version}").into_bytes(), 422),
        (b"%%%&&==&".to_vec(), 409),
        (vec![], 409),
        (
            format!("version={version}&company_name={}", "x".repeat(2 << 20)).into_bytes(),
            400,
        ),
    ];
    for (body, want) in hostile {
        let shown = String::from_utf8_lossy(&body[..body.len().min(80)]).to_string();
        let (status, page, _) = c.post_page(&path, body).await;
        assert_eq!(status, want, "{shown}");
        assert!(page.contains("<form"), "the page: {shown}");
        assert!(!page.contains("<svg onload"));
        // A version that could not be read is not put in the form: the next save from
        // this page names the client's own.
        if !shown.starts_with("version=1&") {
            assert!(
                page.contains(&format!("name=\"version\" value=\"{version}\"")),
                "{shown}"
            );
        }
    }
    assert_eq!(get(&c, &id).await["version"].as_i64().unwrap(), version);
    assert_eq!(events(&c, "client.updated").await, 1);

    // Ids that are no client's: not found, nothing made.
    for bad in [
        "/admin/clients/not-a-uuid".to_string(),
        format!("/admin/clients/{}", uuid::Uuid::new_v4()),
    ] {
        let (status, page, _) = c.post_page(&bad, profile(1, "Ghost", "ACTIVE")).await;
        assert_eq!(status, 404, "{bad}");
        assert!(page.contains("Not found"));
    }

    // A bidi override in a name: refused by the field or kept as text, never a 500.
    let bidi = serde_urlencoded::to_string([
        ("version", version.to_string().as_str()),
        ("first_name", "Pat\u{202E}gnp.exe"),
        ("last_name", "Doe"),
        ("company_name", "Bidi\u{2066}Co"),
        ("status", "ACTIVE"),
    ])
    .unwrap();
    let (status, page, _) = c.post_page(&path, bidi).await;
    assert!(status == 303 || status == 422, "{status}");
    assert!(!page.contains("<svg onload"));
    let version = get(&c, &id).await["version"].as_i64().unwrap();

    // A thousand guessed client ids: each not found, nothing made or changed.
    for _ in 0..1000 {
        let guess = format!("/admin/clients/{}", uuid::Uuid::new_v4());
        let (status, _, _) = c.post_page(&guess, "intent=delete").await;
        assert_eq!(status, 303, "a delete of nothing lands on the list");
        let (status, _, _) = c.post_page(&guess, profile(1, "Guess", "ACTIVE")).await;
        assert_eq!(status, 404);
    }
    assert_eq!(get(&c, &id).await["version"].as_i64().unwrap(), version);
    assert_eq!(events(&c, "client.deleted").await, 0);

    // Another site's page posting with this staff member's cookie is refused.
    let r = c
        .post(c.url(&path))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "http://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body(profile(version, "Evil Co", "CLOSED"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(get(&c, &id).await["company_name"], "Renamed Hosting");
}

#[tokio::test]
async fn two_saves_at_the_same_moment_one_wins_and_the_other_is_told() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let (id, version) = client(&c, "Raced Hosting").await;
    let path = format!("/admin/clients/{id}");
    let names: Vec<String> = (0..8).map(|i| format!("Racer {i}")).collect();
    let posts = names
        .iter()
        .map(|n| c.post_page(&path, profile(version, n, "ACTIVE")));
    let answers = futures::future::join_all(posts).await;
    let won: Vec<&String> = names
        .iter()
        .zip(&answers)
        .filter(|(_, a)| a.0 == 303)
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    assert!(answers.iter().all(|a| a.0 == 303 || a.0 == 409));
    assert_eq!(&get(&c, &id).await["company_name"], won[0].as_str());
    assert_eq!(events(&c, "client.updated").await, 1);

    // The same save twice at the same moment: one makes it, the other finds it made.
    let version = get(&c, &id).await["version"].as_i64().unwrap();
    let same = profile(version, "Twin Hosting", "ACTIVE");
    let (a, b) = tokio::join!(c.post_page(&path, same.clone()), c.post_page(&path, same));
    assert_eq!((a.0, b.0), (303, 303));
    assert_eq!(get(&c, &id).await["company_name"], "Twin Hosting");
    assert_eq!(events(&c, "client.updated").await, 2);
}

#[tokio::test]
async fn delete_asks_first_and_only_staff_with_clients_edit_may_post() {
    let s = start(false).await;
    let (owner, ann) = signed_in_ann(&s).await;
    let (id, version) = client(&owner, "Guarded Hosting").await;
    let path = format!("/admin/clients/{id}");

    // Delete client is a link to a question; the question posts the delete.
    let (_, page, _) = owner.page(&path).await;
    assert!(page.contains(&format!("href=\"{path}?delete=confirm\"")));
    let (_, ask, _) = owner.page(&format!("{path}?delete=confirm")).await;
    assert!(
        ask.contains("Delete this client?") && ask.contains("name=\"intent\" value=\"delete\"")
    );

    // Looking only: the form is read-only, no question, and a post by hand is refused.
    let viewer = staff_client(&s, "viewer@example.com", &[StaffPermission::ClientsView]).await;
    let (_, page, _) = viewer.page(&format!("{path}?delete=confirm")).await;
    assert!(!page.contains("Delete this client?") && page.contains("<fieldset disabled"));
    for body in [
        profile(version, "Viewer Co", "CLOSED"),
        "intent=delete".to_string(),
    ] {
        let (status, page, _) = viewer.post_page(&path, body).await;
        assert_eq!(status, 403);
        assert!(page.contains("Guarded Hosting"), "the page, unchanged");
    }
    // A user's session and nobody at all are sent to the staff sign-in.
    let half = half_signed_in_staff(&s, "half@example.com").await;
    for c in [&s.browser(), &ann, &half] {
        for body in [
            profile(version, "Nobody Co", "CLOSED"),
            "intent=delete".to_string(),
        ] {
            let (status, _, headers) = c.post_page(&path, body).await;
            assert_eq!(status, 303);
            assert_eq!(headers["location"], "/admin/login");
        }
    }
    let still = get(&owner, &id).await;
    assert_eq!(still["company_name"], "Guarded Hosting");
    assert_eq!(still["version"].as_i64().unwrap(), version);

    // Deleted: to Manage Clients; the same post again (a double click) lands there too.
    for _ in 0..2 {
        let (status, _, headers) = owner.post_page(&path, "intent=delete").await;
        assert_eq!(status, 303);
        assert_eq!(headers["location"], "/admin/clients");
    }
    let (status, _, _) = owner.call("/api/clients/get", &[("id", id.as_str())]).await;
    assert_eq!(status, 404);
    assert_eq!(events(&owner, "client.deleted").await, 1);
}
