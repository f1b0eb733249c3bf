use leptos::prelude::*;

/// The refused post a page answers, if it answers one: the server's form handler
/// (`server/src/forms`) puts it in the request's extensions and renders the page again,
/// which then shows what was typed and why it was refused. `None` in the browser: a page
/// with plain forms has nothing of them to hydrate.
pub fn refused_post<T: Clone + Send + Sync + 'static>() -> Option<T> {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>().and_then(|p| p.extensions.get::<T>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    None
}
