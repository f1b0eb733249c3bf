//! The pages as islands. The router, the admin shell and its menu render on the server
//! only; in the browser each page is one island, hydrated from its own WASM chunk (built
//! with `cargo leptos --split`), which provides what the page reads: the texts, the URL's
//! query and, on admin pages, the signed-in staff member and the toasts.

use crate::ui;
use crate::ui::common::{IslandFrame, Query};
use leptos::prelude::*;

/// What every page island provides before its page renders.
fn provide_page() {
    ui::i18n::provide_texts();
    Query::provide();
}

macro_rules! page_island {
    ($island:ident, $page:path) => {
        #[island(lazy)]
        pub fn $island() -> impl IntoView {
            ui::common::preload_island(stringify!($island));
            provide_page();
            view! { <IslandFrame><$page /></IslandFrame> }
        }
    };
}

page_island!(AccountIsland, ui::account::AccountPage);
page_island!(SetupIsland, ui::auth::Setup);
