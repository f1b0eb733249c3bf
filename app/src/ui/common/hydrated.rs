use leptos::prelude::*;

/// Marks the body once the page (not only the shell) is hydrated and interactive; the
/// end-to-end tests wait for it before they click. Effects run after hydration.
#[component]
pub fn HydratedMark() -> impl IntoView {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
