//! Pieces every page uses.

mod field;
mod not_found;

pub use field::{ErrorBanner, TextField};
pub use not_found::NotFound;

/// Send the browser to `path` with a full page load (after sign-in or sign-out the whole
/// app starts over with the new session).
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = leptos::prelude::window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
