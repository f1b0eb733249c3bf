//! The head of a page: its title, what the page is for, and its main action.

use leptos::prelude::*;

#[component]
pub fn PageHead(
    title: &'static str,
    /// One line on what the page is for.
    #[prop(optional)]
    intro: Option<&'static str>,
    /// The page's main action (a button), on the right.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="page-head">
            <div>
                <h1>{title}</h1>
                {intro.map(|i| view! { <p class="muted">{i}</p> })}
            </div>
            {children.map(|c| c())}
        </div>
    }
}
