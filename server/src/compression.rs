//! Pages, API answers and exports compressed as they are sent, brotli or gzip as the
//! browser accepts (`tower-http`'s `CompressionLayer`).
//!
//! A browser that accepts both equally gets gzip for these: tower-http's brotli (the Rust
//! `brotli` crate at quality 4) costs far more CPU for nearly the same size. Measured on
//! the streamed Users page (100,000 users, wrk, 32 connections): 365-376 pages a second in
//! brotli, 549-565 in gzip, 7.3-7.7 KB against 7.8 KB; the JSON list 2,691 against 3,170
//! a second (`docs/measurements.md`). The built assets keep their brotli copies, compressed
//! once at the highest quality.

use crate::assets;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::compression::CompressionLayer;

/// Compresses what is not compressed yet (the precompressed assets carry their encoding).
pub fn layer() -> CompressionLayer {
    CompressionLayer::new().br(true).gzip(true)
}

/// Runs before [`layer`] reads the request: narrows `Accept-Encoding` to gzip when the
/// browser likes gzip at least as much as brotli, except for the built assets.
pub async fn prefer_gzip(
    State(assets): State<assets::Paths>,
    mut req: Request,
    next: Next,
) -> Response {
    let narrow = !assets.holds(req.uri().path())
        && req
            .headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(prefers_gzip);
    if narrow {
        req.headers_mut()
            .insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
    }
    next.run(req).await
}

/// Whether an `Accept-Encoding` value accepts gzip with a weight no lower than brotli's
/// (`*` stands for any coding not named). A weight that does not parse refuses its coding,
/// so a hostile header leaves the choice to the compression layer.
fn prefers_gzip(accept: &str) -> bool {
    let (mut gzip, mut br, mut any) = (None, None, None);
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or_default().trim();
        let weight = parts
            .find_map(|p| {
                let (k, v) = p.split_once('=')?;
                (k.trim().eq_ignore_ascii_case("q")).then(|| v.trim().parse::<f32>().ok())
            })
            .unwrap_or(Some(1.0))
            .filter(|q| (0.0..=1.0).contains(q))
            .unwrap_or(0.0);
        let slot = match coding.to_ascii_lowercase().as_str() {
            "gzip" | "x-gzip" => &mut gzip,
            "br" => &mut br,
            "*" => &mut any,
            _ => continue,
        };
        *slot = Some(weight);
    }
    let gzip = gzip.or(any).unwrap_or(0.0);
    let br = br.or(any).unwrap_or(0.0);
    gzip > 0.0 && gzip >= br
}

#[cfg(test)]
mod tests {
    use super::prefers_gzip;

    #[test]
    fn gzip_is_chosen_when_liked_at_least_as_much_as_brotli() {
        // What Chromium, Firefox and Safari send.
        assert!(prefers_gzip("gzip, deflate, br, zstd"));
        assert!(prefers_gzip("gzip, deflate, br"));
        assert!(prefers_gzip("gzip"));
        assert!(prefers_gzip("GZIP;Q=0.8, br;q=0.8"));
        assert!(prefers_gzip("br;q=0.5, gzip"));
        assert!(prefers_gzip("*"));
        assert!(prefers_gzip("br;q=0.2, *;q=0.9"));
    }

    #[test]
    fn brotli_stays_when_preferred_or_gzip_is_refused() {
        assert!(!prefers_gzip("br"));
        assert!(!prefers_gzip("br, gzip;q=0.5"));
        assert!(!prefers_gzip("gzip;q=0, br"));
        assert!(!prefers_gzip("gzip;q=0"));
        assert!(!prefers_gzip("identity"));
        assert!(!prefers_gzip(""));
        assert!(!prefers_gzip("*;q=0"));
    }

    #[test]
    fn a_weight_that_does_not_parse_refuses_its_coding() {
        assert!(!prefers_gzip("gzip;q=abc"));
        assert!(!prefers_gzip("gzip;q=2"));
        assert!(!prefers_gzip("gzip;q=NaN, br"));
        assert!(!prefers_gzip("x-unknown, ,;;q=abc"));
        assert!(prefers_gzip("br;q=abc, gzip"));
    }
}
