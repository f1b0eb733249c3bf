use leptos::prelude::*;

/// The frame of a page's island. Until the island's code has loaded and hydrated it, the
/// page is `aria-busy` and its buttons take no clicks (a button that shows before it works
/// would drop the click); then the body is marked `data-hydrated`, which the end-to-end
/// tests and the weight benchmark read. Effects run after hydration.
#[component]
pub fn IslandFrame(children: Children) -> impl IntoView {
    let busy = RwSignal::new(true);
    Effect::new(move |_| {
        busy.set(false);
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! { <div class="island" aria-busy=move || busy.get().to_string()>{children()}</div> }
}

/// The island of a page that is HTML only (the dashboard): nothing to hydrate but the mark.
#[island]
pub fn PageReady() -> impl IntoView {
    view! { <IslandFrame>""</IslandFrame> }
}
