//! The page's URL query inside an island. No router runs in the browser (every page is an
//! island in a server-rendered shell), so the query is read from `location` and changed
//! with the History API; back and forward reach the island through `popstate`.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// The query of the page's URL, as a signal: the lists read their search, page and sort
/// from it, and `navigate` changes it without a page load.
#[derive(Clone, Copy)]
pub struct Query(RwSignal<ParamsMap>);

impl Query {
    /// Read the query once per island: on the server from the router, in the browser from
    /// `location` (the same URL, so both render the same).
    pub fn provide() -> Self {
        let q = Self(RwSignal::new(current()));
        #[cfg(feature = "hydrate")]
        {
            let handle = window_event_listener(leptos::ev::popstate, move |_| q.0.set(current()));
            on_cleanup(move || handle.remove());
        }
        provide_context(q);
        q
    }

    pub fn get(self, key: &str) -> Option<String> {
        self.0.with(|m| m.get(key))
    }

    pub fn with<T>(self, f: impl FnOnce(&ParamsMap) -> T) -> T {
        self.0.with(f)
    }

    /// Show `url` (same page, another query): pushed onto the history, read by every
    /// view that follows the query.
    pub fn navigate(self, url: &str) {
        #[cfg(feature = "hydrate")]
        {
            let pushed = window()
                .history()
                .and_then(|h| h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url)));
            if pushed.is_ok() {
                self.0.set(current());
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = url;
    }
}

/// The island's query (provided by the page island around it).
pub fn use_query() -> Query {
    use_context::<Query>().unwrap_or_else(Query::provide)
}

#[cfg(feature = "hydrate")]
fn current() -> ParamsMap {
    use leptos_router::location::{BrowserUrl, LocationProvider};
    BrowserUrl::current()
        .map(|u| u.search_params().clone())
        .unwrap_or_default()
}

#[cfg(not(feature = "hydrate"))]
fn current() -> ParamsMap {
    leptos_router::hooks::use_query_map().get_untracked()
}
