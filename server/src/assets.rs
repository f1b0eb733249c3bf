//! The built site's static files: the WASM, its JavaScript and the stylesheet under
//! `/pkg`, and the favicon. Release builds (`cargo leptos build --release --precompress`)
//! leave a brotli and a gzip copy beside each file, sent as they are when the browser
//! accepts them; without them the compression layer compresses on the fly.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use leptos::prelude::LeptosOptions;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Content-hashed names change whenever the content does: a browser may keep them for a
/// year without asking again.
const HASHED: &str = "public, max-age=31536000, immutable";
/// Files whose names stay the same ask the server each time (it answers 304 when unchanged).
const UNHASHED: &str = "no-cache";
/// Where the favicon is served.
const FAVICON_PATH: &str = "/favicon.svg";
/// The favicon, asked for by every page: a day is short enough for a new one to show.
const FAVICON: &str = "public, max-age=86400";

/// Where [`routes`] answers: the paths whose files were compressed at build time.
#[derive(Clone)]
pub struct Paths {
    pkg: String,
}

impl Paths {
    pub fn new(options: &LeptosOptions) -> Self {
        Paths {
            pkg: format!("/{}/", options.site_pkg_dir.trim_matches('/')),
        }
    }

    pub fn holds(&self, path: &str) -> bool {
        path.starts_with(&self.pkg) || path == FAVICON_PATH
    }
}

/// Routes for `/pkg/…` and `/favicon.svg`.
pub fn routes<S: Clone + Send + Sync + 'static>(options: &LeptosOptions) -> Router<S> {
    let root = Path::new(options.site_root.as_ref());
    let pkg = ServeDir::new(root.join(options.site_pkg_dir.as_ref()))
        .precompressed_br()
        .precompressed_gzip();
    let favicon = ServeFile::new(root.join("favicon.svg"))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service(
            &format!("/{}", options.site_pkg_dir.trim_matches('/')),
            tower::ServiceBuilder::new()
                .layer(axum::middleware::from_fn(pkg_guard_and_cache))
                .service(pkg),
        )
        .route_service(
            FAVICON_PATH,
            tower::ServiceBuilder::new()
                .layer(cache_control(FAVICON))
                .service(favicon),
        )
}

/// Before the files are looked up: a name longer than any file system allows is not a
/// file (the lookup would fail with an I/O error, which `ServeDir` answers with a 500).
/// After: how long the answer may be cached.
async fn pkg_guard_and_cache(req: Request, next: Next) -> Response {
    if req
        .uri()
        .path()
        .split('/')
        .any(|segment| segment.len() > 255)
    {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    }
    let hashed = is_hashed_name(req.uri().path());
    let mut res = next.run(req).await;
    let value = if hashed { HASHED } else { UNHASHED };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// A content-hashed file of the built site's code: a script, a WASM module or the
/// stylesheet under `/pkg/`.
pub fn is_code_file(path: &str) -> bool {
    path.starts_with("/pkg/")
        && !path.contains("..")
        && [".wasm", ".js", ".css"].iter().any(|e| path.ends_with(e))
        && is_hashed_name(path)
}

/// `roster.2cBAlkryHgD8Gs19KPr25A.wasm`: cargo-leptos puts the file's MD5 (22 characters
/// of unpadded base64url) between the name and the extension.
fn is_hashed_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.split('.').skip(1).any(|part| {
        part.len() == 22
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            // not the placeholder of an unhashed build
            && part.bytes().any(|b| b.is_ascii_alphanumeric())
    })
}

fn cache_control(value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(value))
}

/// Whether the build named its files by their content (cargo-leptos then leaves its
/// hash file beside the server binary).
pub fn built_with_hashes(options: &LeptosOptions) -> bool {
    app::assets::hash_file_path(options).is_some_and(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::{is_code_file, is_hashed_name};

    #[test]
    fn code_files_are_hashed_scripts_modules_and_stylesheets_of_the_site() {
        assert!(is_code_file("/pkg/roster.AbCdEfGhIjKlMnOpQr_-12.wasm"));
        assert!(is_code_file("/pkg/chunk_3.AbCdEfGhIjKlMnOpQr_-12.wasm"));
        assert!(is_code_file("/pkg/__wasm_split.AbCdEfGhIjKlMnOpQr_-12.js"));
        assert!(is_code_file("/pkg/roster.AbCdEfGhIjKlMnOpQr_-12.css"));
        for not_code in [
            "/pkg/roster.wasm",
            "/pkg/roster.AbCdEfGhIjKlMnOpQr_-12.json",
            "/pkg/roster.AbCdEfGhIjKlMnOpQr_-12.svg",
            "/pkg/x.AbCdEfGhIjKlMnOpQr_-12.html",
            "/pkg/../roster.AbCdEfGhIjKlMnOpQr_-12.js",
            "/favicon.svg",
            "/roster.AbCdEfGhIjKlMnOpQr_-12.wasm",
            "/admin/users",
        ] {
            assert!(!is_code_file(not_code), "{not_code}");
        }
    }

    #[test]
    fn only_names_carrying_a_content_hash_are_immutable() {
        assert!(is_hashed_name("/pkg/roster.2cBAlkryHgD8Gs19KPr25A.wasm"));
        assert!(is_hashed_name("/chunk_12.fPXa2IoUm0n0Og4AW49Jaw.wasm"));
        assert!(is_hashed_name("/__wasm_split.M-N8Cbk5ptR6auTSnNDO1g.js"));
        assert!(!is_hashed_name("/pkg/roster.wasm"));
        assert!(!is_hashed_name("/pkg/roster.css"));
        assert!(!is_hashed_name("/__wasm_split.______________________.js"));
        assert!(!is_hashed_name("/pkg/2cBAlkryHgD8Gs19KPr25A"));
    }
}
