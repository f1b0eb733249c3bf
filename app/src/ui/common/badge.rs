use leptos::prelude::*;
use roster_types::users::UserStatus;

// The islands' pills. The server-rendered lists write theirs with maud (`markup`).

/// A status word in a coloured pill. A plain function, not a component: a table draws
/// several a row, and a component is a type-erased view where a function's keeps its type.
pub fn badge(text: &'static str, tone: &'static str) -> impl IntoView {
    view! { <span class=format!("badge {tone}")>{text}</span> }
}

pub fn status_tone(s: UserStatus) -> &'static str {
    match s {
        UserStatus::New => "info",
        UserStatus::Active => "ok",
        UserStatus::Inactive => "off",
    }
}
