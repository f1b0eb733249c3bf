//! The browser entry point: hydrate the server-rendered page.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy: the current page's WASM chunk is loaded before hydrating it (`App` marks the
    // body once hydrated).
    leptos::mount::hydrate_lazy(app::App);
}
