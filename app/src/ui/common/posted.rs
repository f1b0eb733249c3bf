/// What the server's form handler (`server/src/forms`) hands the page it answers a post
/// with, if the page answers one: a refused post (what was typed and why it was refused),
/// or the next step of a sign-in. It travels in the request's extensions. `None` in the
/// browser: a page with plain forms has nothing of them to hydrate.
pub fn posted<T: Clone + Send + Sync + 'static>() -> Option<T> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<T>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    None
}
