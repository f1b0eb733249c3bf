//! The Content-Security-Policy of server-rendered pages: scripts only from this origin
//! plus the page's own hydration script (by a nonce made for this response), WASM allowed
//! to compile, no inline styles, no plugins, no framing, no foreign form targets.

use leptos::prelude::*;

pub fn policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Make a nonce for this response (Leptos puts it on the hydration scripts) and send the
/// policy naming it. Called at the top of the shell, before anything renders.
pub fn provide() {
    leptos::nonce::provide_nonce();
    let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(v) = axum::http::HeaderValue::from_str(&policy(&nonce)) {
        res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_policy_allows_nothing_inline_but_the_nonce() {
        let p = super::policy("abc");
        assert!(p.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        assert!(!p.contains("unsafe-inline"));
        assert!(p.contains("frame-ancestors 'none'"));
    }
}
