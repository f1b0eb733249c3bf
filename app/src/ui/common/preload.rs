//! Preloading a lazy island's WASM. Leptos preloads the chunks of a lazy function the
//! server reports (`prefetch_lazy_fn_on_server`, read against the splitter's manifest), but
//! not those of a lazy island: without this, a page fetched its island's chunks only after
//! the main module had loaded and instantiated and hydration had reached the island.

/// While the server renders the island named `island` (its Rust name), have the page's
/// head preload its chunks. Does nothing in the browser, or without a split build.
pub fn preload_island(island: &'static str) {
    #[cfg(feature = "ssr")]
    if let Some(key) = manifest_key(island) {
        leptos::prefetch_lazy_fn_on_server(key);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = island;
}

/// The island's key in the manifest: its loader's name, `{snake_case name}_loader_{hash}`,
/// the hash being the macro's call site. Found once per island and kept (a handful of
/// `'static` strings for the life of the server, as the prefetch list needs).
#[cfg(feature = "ssr")]
fn manifest_key(island: &'static str) -> Option<&'static str> {
    use leptos::prelude::{use_context, ReadValue};
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static KEYS: OnceLock<Mutex<HashMap<&'static str, Option<&'static str>>>> = OnceLock::new();
    let mut keys = KEYS.get_or_init(Default::default).lock().ok()?;
    if let Some(found) = keys.get(island) {
        return *found;
    }
    let manifest = use_context::<leptos::WasmSplitManifest>()?;
    let prefix = format!("{}_loader_", snake_case(island));
    let found = manifest
        .0
        .read_value()
        .1
        .keys()
        .find(|k| k.starts_with(&prefix))
        .map(|k| &*Box::leak(k.clone().into_boxed_str()));
    keys.insert(island, found);
    found
}

/// `StaffLoginIsland` → `staff_login_island`, as Leptos names the island's loader (and
/// `roster bench http` reads it).
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn island_names_become_their_loaders_snake_case() {
        assert_eq!(snake_case("StaffLoginIsland"), "staff_login_island");
        assert_eq!(snake_case("UsersControls"), "users_controls");
        assert_eq!(snake_case("ClientUsersControls"), "client_users_controls");
    }
}
