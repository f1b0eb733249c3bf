//! `Accept-Encoding` as an attacker writes it. Every request passes through the gzip
//! preference (`compression::prefer_gzip`), which reads and may rewrite that header before
//! the compression layer: hostile values, many requests at once with different values, and
//! the rewrite for accounts that may not see the page.

use super::common::*;
use reqwest::header::HeaderValue;
use roster_types::StaffPermission;

/// GET `path` with this raw `Accept-Encoding`: status, Content-Encoding, decoded body.
async fn get(c: &Browser, path: &str, accept: &[u8]) -> (u16, String, String) {
    let r = c
        .get(c.url(path))
        .header("accept-encoding", HeaderValue::from_bytes(accept).unwrap())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let encoding = r
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = decoded(&encoding, &r.bytes().await.unwrap());
    (status, encoding, body)
}

#[tokio::test]
async fn hostile_accept_encodings_get_the_page_in_a_named_encoding_or_none_never_a_5xx() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let many = "gzip;q=0.5, br;q=0.6, ".repeat(1_000);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        // A thousand items: the last weight of each coding counts, brotli's is higher.
        (many.into_bytes(), "br"),
        // Not UTF-8 and raw bidi bytes: unreadable, so uncompressed; tabs around the parts
        // are read (NUL and other control bytes are refused before the router:
        // `connection.rs`).
        (b"gzip\xff, br".to_vec(), ""),
        ("gzip\u{202e}, br".as_bytes().to_vec(), ""),
        (b"\tgzip\t;\tq=1".to_vec(), "gzip"),
        // Weights out of range, tiny, negative zero, missing; junk; a wildcard.
        (b"gzip;q=1e309, br;q=0.1".to_vec(), "br"),
        (b"gzip;q=-0, br;q=0".to_vec(), ""),
        (b"gzip;q=0.0000001".to_vec(), "gzip"),
        (b"gzip;q=, br;q=".to_vec(), ""),
        (b",,,,;;;===".to_vec(), ""),
        (b"*;q=0.9, identity;q=1".to_vec(), "gzip"),
    ];
    for (accept, expected) in cases {
        let shown = String::from_utf8_lossy(&accept[..accept.len().min(40)]).to_string();
        let (status, encoding, body) = get(&c, "/admin/users", &accept).await;
        assert_eq!(status, 200, "{shown:?}");
        assert_eq!(encoding, expected, "{shown:?}");
        assert!(body.contains("Manage Users"), "{shown:?}");
    }
    // The server answers as before.
    let (status, encoding, _) = get(&c, "/admin/users", b"gzip, deflate, br, zstd").await;
    assert_eq!((status, encoding.as_str()), (200, "gzip"));
}

#[tokio::test]
async fn twenty_requests_at_once_each_get_the_encoding_they_asked_for() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let asks: [(&[u8], &str); 4] = [
        (b"gzip, deflate, br, zstd", "gzip"),
        (b"br", "br"),
        (b"identity", ""),
        (b"br, gzip;q=0.2", "br"),
    ];
    let replies = futures::future::join_all((0..20).map(|i| {
        let (accept, _) = asks[i % asks.len()];
        get(&c, "/admin/users", accept)
    }))
    .await;
    for (i, (status, encoding, body)) in replies.into_iter().enumerate() {
        let (_, expected) = asks[i % asks.len()];
        assert_eq!((status, encoding.as_str()), (200, expected), "request {i}");
        assert!(body.contains("Manage Users"), "request {i}");
    }
}

#[tokio::test]
async fn the_preferred_encoding_opens_nothing_to_the_wrong_session() {
    let s = start(false).await;
    let (staff, ann) = signed_in_ann(&s).await;
    let viewer = staff_client(&s, "viewer@example.com", &[StaffPermission::ClientsView]).await;
    let chromium = b"gzip, deflate, br, zstd";
    // Signed out, and a user's session, are sent to the staff sign-in.
    for c in [&s.browser(), &ann] {
        let r = c
            .get(c.url("/admin/users"))
            .header("accept-encoding", HeaderValue::from_static("gzip, br"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(r.headers()["location"], "/admin/login");
    }
    // A staff member without `users-view` gets the page, gzip, without the users.
    let (status, encoding, body) = get(&viewer, "/admin/users", chromium).await;
    assert_eq!((status, encoding.as_str()), (200, "gzip"));
    assert!(!body.contains("ann.lee@example.com"));
    let (_, _, body) = get(&staff, "/admin/users", chromium).await;
    assert!(body.contains("ann.lee@example.com"));
    // The list's refusal is JSON, compressed the same way and still a refusal.
    let r = viewer
        .post(viewer.url("/api/users/list"))
        .header("accept-encoding", HeaderValue::from_static("gzip, br"))
        .form(&[("q", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let encoding = r.headers()["content-encoding"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(encoding, "gzip");
    let json: serde_json::Value =
        serde_json::from_str(&decoded(&encoding, &r.bytes().await.unwrap())).unwrap();
    assert!(json["error"].is_string(), "{json}");
}
