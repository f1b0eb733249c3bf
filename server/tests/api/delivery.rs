//! How answers travel: pages, API answers and exports compressed as the browser asks;
//! the built site's files sent precompressed and, when their names carry a content hash,
//! cacheable for a year; nothing outside the site served.

use crate::common::*;
use leptos::prelude::LeptosOptions;
use roster_core::security::crypto::SecretKey;
use roster_core::state::AppState;
use roster_types::StaffPermission;

/// GET `path` accepting `encoding`: status, Content-Encoding, Cache-Control, raw body.
async fn fetch(c: &Browser, path: &str, encoding: &str) -> (u16, String, String, Vec<u8>) {
    let r = c
        .get(c.url(path))
        .header("accept-encoding", encoding)
        .send()
        .await
        .unwrap();
    let header = |name| {
        r.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (encoding, cache) = (header("content-encoding"), header("cache-control"));
    (
        r.status().as_u16(),
        encoding,
        cache,
        r.bytes().await.unwrap().to_vec(),
    )
}

#[tokio::test]
async fn pages_and_api_answers_are_compressed_as_the_browser_asks_and_never_cached() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    // What browsers send: gzip, liked as much as brotli, costs the server far less to make.
    let (status, encoding, cache, body) =
        fetch(&c, "/admin/users", "gzip, deflate, br, zstd").await;
    assert_eq!(
        (status, encoding.as_str(), cache.as_str()),
        (200, "gzip", "no-store")
    );
    let html = ungzip(&body);
    assert!(html.contains("Manage Users"), "{html}");
    assert!(
        body.len() * 2 < html.len(),
        "{} of {}",
        body.len(),
        html.len()
    );
    // Brotli when the browser prefers it or takes nothing else.
    for accept in ["br", "br, gzip;q=0.5", "gzip;q=abc, br"] {
        let (_, encoding, cache, body) = fetch(&c, "/admin/users", accept).await;
        assert_eq!((encoding.as_str(), cache.as_str()), ("br", "no-store"));
        let html = unbrotli(&body);
        assert!(html.contains("Manage Users"), "{accept}: {html}");
        assert!(body.len() * 2 < html.len(), "{accept}");
    }

    // A browser that accepts nothing, or refuses both, gets the page as it is.
    for refused in [
        "",
        "identity",
        "br;q=0, gzip;q=0",
        "x-unknown, ,;;q=abc",
        "gzip;q=NaN, br;q=0",
    ] {
        let (status, encoding, _, body) = fetch(&c, "/admin/users", refused).await;
        assert_eq!((status, encoding.as_str()), (200, ""), "{refused:?}");
        assert!(String::from_utf8(body).unwrap().contains("Manage Users"));
    }

    // API answers and the audit export too.
    let r = c
        .post(c.url("/api/users/list"))
        .header("accept-encoding", "br")
        .form(&[("q", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-encoding"], "br");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let json: serde_json::Value =
        serde_json::from_str(&unbrotli(&r.bytes().await.unwrap())).unwrap();
    assert!(json["total"].is_number(), "{json}");
    let (status, encoding, cache, body) = fetch(&c, "/admin/audit/export.csv", "br").await;
    assert_eq!(
        (status, encoding.as_str(), cache.as_str()),
        (200, "br", "no-store")
    );
    assert!(unbrotli(&body).starts_with("time,"));
}

/// A built site in a temporary directory: a hashed WASM file with its precompressed
/// copies, and a secret beside the site that must never be served.
fn built_site() -> LeptosOptions {
    let root = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("site-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(root.join("site/pkg")).unwrap();
    let pkg = root.join("site/pkg");
    std::fs::write(
        pkg.join("roster.AbCdEfGhIjKlMnOpQr_-12.wasm"),
        vec![b'w'; 4000],
    )
    .unwrap();
    std::fs::write(pkg.join("roster.wasm"), vec![b'w'; 4000]).unwrap();
    std::fs::write(
        pkg.join("roster.AbCdEfGhIjKlMnOpQr_-12.wasm.br"),
        b"precompressed brotli",
    )
    .unwrap();
    std::fs::write(
        pkg.join("roster.AbCdEfGhIjKlMnOpQr_-12.wasm.gz"),
        b"precompressed gzip",
    )
    .unwrap();
    std::fs::write(root.join("site/favicon.svg"), b"<svg/>").unwrap();
    std::fs::write(root.join("secret.key"), b"do not serve").unwrap();
    LeptosOptions::builder()
        .output_name("roster")
        .site_root(root.join("site").to_string_lossy().to_string())
        .build()
}

async fn site_server() -> Server {
    let state = AppState::new(test_db().await, SecretKey::generate(), Default::default());
    serve_site(state, built_site()).await
}

#[tokio::test]
async fn hashed_assets_are_sent_precompressed_and_cached_for_a_year() {
    let s = site_server().await;
    let c = s.browser();
    let wasm = "/pkg/roster.AbCdEfGhIjKlMnOpQr_-12.wasm";
    let (status, encoding, cache, body) = fetch(&c, wasm, "gzip, br").await;
    assert_eq!((status, encoding.as_str()), (200, "br"));
    assert_eq!(cache, "public, max-age=31536000, immutable");
    assert_eq!(body, b"precompressed brotli");
    let (_, encoding, _, body) = fetch(&c, wasm, "gzip").await;
    assert_eq!(
        (encoding.as_str(), body.as_slice()),
        ("gzip", &b"precompressed gzip"[..])
    );
    let (_, encoding, cache, body) = fetch(&c, wasm, "identity").await;
    assert_eq!((encoding.as_str(), body.len()), ("", 4000));
    assert_eq!(cache, "public, max-age=31536000, immutable");
    let (status, _, cache, _) = fetch(&c, "/favicon.svg", "").await;
    assert_eq!((status, cache.as_str()), (200, "public, max-age=86400"));
}

/// The headers of an answer to a GET of `path` (brotli accepted).
async fn headers_of(c: &Browser, path: &str) -> reqwest::header::HeaderMap {
    let r = c.get(c.url(path)).header("accept-encoding", "br");
    r.send().await.unwrap().headers().clone()
}

#[tokio::test]
async fn hashed_code_carries_no_document_headers_while_documents_keep_them() {
    // A first visit fetches dozens of code files: what only a document reads (its policy,
    // framing and opener rules) and revalidation headers are left off them.
    let s = site_server().await;
    let c = s.browser();
    let code = headers_of(&c, "/pkg/roster.AbCdEfGhIjKlMnOpQr_-12.wasm").await;
    assert_eq!(code["x-content-type-options"], "nosniff");
    assert_eq!(code["referrer-policy"], "no-referrer");
    assert_eq!(code["cache-control"], "public, max-age=31536000, immutable");
    for gone in [
        "content-security-policy",
        "x-frame-options",
        "cross-origin-opener-policy",
        "last-modified",
        "accept-ranges",
    ] {
        assert!(!code.contains_key(gone), "{gone} on a hashed code file");
    }
    // An unhashed file, an SVG (a document when opened alone), a page and a file that
    // is not there keep every one of them.
    for path in [
        "/pkg/roster.wasm",
        "/favicon.svg",
        "/admin/login",
        "/pkg/nothing-here.AbCdEfGhIjKlMnOpQr_-12.html",
    ] {
        let h = headers_of(&c, path).await;
        for kept in [
            "content-security-policy",
            "x-frame-options",
            "cross-origin-opener-policy",
            "x-content-type-options",
        ] {
            assert!(h.contains_key(kept), "{kept} missing on {path}");
        }
    }
}

#[tokio::test]
async fn unhashed_assets_are_checked_each_time() {
    let s = site_server().await;
    let (status, encoding, cache, body) = fetch(&s.browser(), "/pkg/roster.wasm", "br").await;
    assert_eq!((status, cache.as_str()), (200, "no-cache"));
    // No precompressed copy beside it: compressed on the way out instead.
    assert_eq!(encoding, "br");
    assert_eq!(unbrotli(&body).len(), 4000);
}

#[tokio::test]
async fn nothing_outside_the_site_is_served() {
    let s = site_server().await;
    let c = s.browser();
    for path in [
        "/pkg/../../secret.key",
        "/pkg/%2e%2e/%2e%2e/secret.key",
        "/pkg/..%2f..%2fsecret.key",
        "/pkg/%2e%2e%5c%2e%2e%5csecret.key",
        "/pkg/roster.AbCdEfGhIjKlMnOpQr_-12.wasm%00.br",
        "/pkg/nothing-here.wasm",
        "/secret.key",
    ] {
        let (status, _, _, body) = fetch(&c, path, "br, gzip").await;
        assert!(status == 404 || status == 400, "{path}: {status}");
        assert!(
            !String::from_utf8_lossy(&body).contains("do not serve"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn hostile_asset_requests_get_a_clear_refusal_and_never_a_500() {
    let s = site_server().await;
    let c = s.browser();
    let long = format!("/pkg/{}.wasm", "a".repeat(16 * 1024));
    let long_outside = format!("/{}.svg", "b".repeat(16 * 1024));
    for path in [
        "/pkg/%E2%80%AEmsaw.21-_rQpOnMlKjIhGfEdCbA.retsor",
        "/pkg/roster%00.wasm",
        "/pkg/%FF%FE.wasm",
        long.as_str(),
        long_outside.as_str(),
    ] {
        let r = c.get(c.url(path)).send().await.unwrap();
        let status = r.status().as_u16();
        assert!(
            [400, 404, 414, 431].contains(&status),
            "{}: {status}",
            &path[..path.len().min(60)]
        );
    }
    // An Accept-Encoding of 2 MB is refused before anything is read from disk.
    let huge = "gzip;q=0.5, ".repeat(170_000);
    let r = c
        .get(c.url("/pkg/roster.AbCdEfGhIjKlMnOpQr_-12.wasm"))
        .header("accept-encoding", huge)
        .send()
        .await;
    if let Ok(r) = r {
        assert!(r.status().as_u16() < 500, "{}", r.status());
    }
    // The same file asked for a thousand times, fifty at once: the same bytes each time.
    let wasm = "/pkg/roster.AbCdEfGhIjKlMnOpQr_-12.wasm";
    for _ in 0..20 {
        let all = futures::future::join_all((0..50).map(|_| fetch(&c, wasm, "br"))).await;
        assert!(all
            .iter()
            .all(|(status, _, _, body)| *status == 200 && body == b"precompressed brotli"));
    }
}
