//! The message catalogue over HTTP: codes beside messages, pages in the asker's language,
//! the tables the browser fetches, and staff choosing their own language.

use crate::common::*;
use roster_types::i18n::EN;
use roster_types::StaffPermission;

#[tokio::test]
async fn field_errors_carry_a_message_code_beside_the_english_text() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let (status, body, _) = c.call("/api/users/create", &[("email", "nope")]).await;
    assert_eq!(status, 422, "{body}");
    let email = &body["fields"][0];
    assert_eq!(email["field"], "email");
    assert_eq!(
        email["message"],
        "Enter a valid email address, like name@example.com."
    );
    assert_eq!(
        email["code"],
        "enter_a_valid_email_address_like_name_example_com"
    );
    // A message with an argument sends it by name.
    let (status, body, _) = c
        .call(
            "/api/clients/associate",
            &[
                ("client_id", &uuid::Uuid::new_v4().to_string()),
                ("user_id", &uuid::Uuid::new_v4().to_string()),
                ("permissions", "manage-dragons"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["code"], "unknown_permission_code");
    assert_eq!(
        body["fields"][0]["args"][0],
        serde_json::json!(["code", "manage-dragons"])
    );
    assert_eq!(
        body["fields"][0]["message"],
        "Unknown permission: manage-dragons."
    );
}

#[tokio::test]
async fn sign_in_pages_follow_the_browser_and_carry_their_table() {
    let s = start(false).await;
    let b = s.browser();
    let page = |lang: &'static str| {
        let (b, url) = (b.clone(), b.url("/login"));
        async move {
            b.get(url)
                .header("accept-language", lang)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let uk = page("uk-UA,uk;q=0.9,en;q=0.5").await;
    assert!(uk.contains(r#"<html lang="uk""#), "{}", &uk[..200]);
    assert!(uk.contains(r#"id="roster-texts""#));
    assert!(uk.contains("Увійти"), "rendered on the server in Ukrainian");
    // The embedded catalogue is whole, the same on every page, and the same as the API's.
    let embedded = |html: &str| {
        let start = html.find(r#"id="roster-texts">"#).unwrap() + r#"id="roster-texts">"#.len();
        let json = &html[start..start + html[start..].find("</script>").unwrap()];
        serde_json::from_str::<serde_json::Value>(json).unwrap()
    };
    let table = embedded(&uk);
    assert_eq!(strings(&table["texts"]).len(), EN.len());
    assert_eq!(strings(&table["codes"]).len(), EN.len());
    assert_eq!(embedded(&page("uk").await), table);
    let (_, api, _) = s.browser().call("/api/i18n/texts", &[("lang", "uk")]).await;
    assert_eq!(api, table);
    let en = page("en-GB").await;
    assert!(en.contains(r#"<html lang="en""#));
    assert!(!en.contains("roster-texts"), "English needs no table");
    // A language Roster does not have falls back to English, and so does Español, whose
    // pages are in English words (the attribute says so, for screen readers).
    let ja = page("ja").await;
    assert!(ja.contains(r#"<html lang="en""#));
    let es = page("es-ES").await;
    assert!(es.contains(r#"<html lang="en""#) && !es.contains("roster-texts"));
}

#[tokio::test]
async fn the_browser_fetches_a_whole_table_and_nothing_else() {
    let s = start(false).await;
    for lang in ["uk", "de", "pl", "fr", "en"] {
        let (status, body, _) = s.browser().call("/api/i18n/texts", &[("lang", lang)]).await;
        assert_eq!(status, 200, "{lang}: {body}");
        assert_eq!(strings(&body["texts"]).len(), EN.len(), "{lang}");
        assert_eq!(strings(&body["codes"]).len(), EN.len(), "{lang}");
    }
    let (_, de, _) = s.browser().call("/api/i18n/texts", &[("lang", "de")]).await;
    assert!(strings(&de["texts"]).contains(&"Benutzer verwalten".to_string()));
    assert!(strings(&de["codes"]).contains(&"email_is_required".to_string()));
    let (status, body, _) = s
        .browser()
        .call("/api/i18n/texts", &[("lang", "klingon")])
        .await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("lang"))
    );
}

#[tokio::test]
async fn staff_choose_their_language_and_their_pages_follow() {
    let s = start(false).await;
    let c = staff_client(&s, "olena@example.com", &[StaffPermission::UsersView]).await;
    let (_, me, _) = c.call("/api/auth/staff/me", &[]).await;
    assert_eq!(me["language"], "en");
    let (status, body, _) = c
        .call("/api/auth/staff/language", &[("language", "xx")])
        .await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("language"))
    );
    let (status, _, _) = c
        .call("/api/auth/staff/language", &[("language", "uk")])
        .await;
    assert_eq!(status, 200);
    let (_, me, _) = c.call("/api/auth/staff/me", &[]).await;
    assert_eq!(me["language"], "uk");
    // Admin pages are now Ukrainian, whatever the browser prefers.
    let html = c
        .get(format!("{}/admin/users", s.url))
        .header("accept-language", "de")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<html lang="uk""#));
    assert!(html.contains("Керування користувачами"));
    // The change is in the trail.
    let admin = staff_client(&s, "chief@example.com", StaffPermission::ALL).await;
    let (_, trail, _) = admin
        .call("/api/audit/list", &[("filter[actor]", "olena@example.com")])
        .await;
    assert!(trail.to_string().contains("language"), "{trail}");
}
