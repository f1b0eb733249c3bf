//! The one table layout every list uses.

use leptos::prelude::*;

/// A table in a box that scrolls on its own on narrow screens: `head` is the header row's
/// cells, the children are the body rows.
#[component]
pub fn Table(
    /// Names the list for its column widths in the style sheet.
    class: &'static str,
    head: AnyView,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class=format!("table {class}")>
                <thead><tr>{head}</tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
