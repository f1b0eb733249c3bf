use crate::tr;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <main class="page-center">
            <div class="card narrow">
                <h1>{tr!("Page not found")}</h1>
                <p>{tr!("There is nothing at this address.")}</p>
                <a class="btn" href="/admin">{tr!("Go to the admin area")}</a>
            </div>
        </main>
    }
}
