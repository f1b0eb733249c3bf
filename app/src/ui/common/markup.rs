//! The lists' tables as server HTML, written with `maud`.
//!
//! Manage Users, Manage Clients and Staff are rendered on the server only: their buttons
//! say what they do in `data-` attributes that the page's island reads, so nothing in a
//! row hydrates. Built as Leptos views, each row was a tree of views built, type-erased,
//! rendered with hydration markers and dropped: a third of the Users page's server time
//! (`perf`). maud writes the same HTML into one string, escaped, at compile-time-known
//! places. The pills also drawn by islands (`badge`) have Leptos twins in `badge.rs`.

use super::list_query::{ListQuery, ListSort};
use crate::tr;
use crate::ui::i18n::t;
use leptos::prelude::*;
use maud::{html, Markup};
use roster_types::users::{avatar_hue, TwoFactorState};
use roster_types::LockReason;

/// A list's table in the box that scrolls on its own on narrow screens (the layout of
/// `Table`, which the islands' tables use).
pub fn table(class: &str, head: Markup, rows: Markup) -> impl IntoView {
    let html = html! {
        table class={ "table " (class) } {
            thead { tr { (head) } }
            tbody { (rows) }
        }
    };
    view! { <div class="table-wrap" inner_html=html.into_string()></div> }
}

/// A column header that sorts the list: its button holds the list's URL sorted by this
/// column (`data-go`), which the page's island follows.
pub fn sort_header<S: ListSort>(label: &str, query: &ListQuery<S>, sort: S, path: &str) -> Markup {
    sort_headers(&[(label, sort)], query, path)
}

/// A column that sorts more than one way (Name and Email, shown in one cell): a button for
/// each, the column marked sorted when the list is sorted by any of them.
pub fn sort_headers<S: ListSort>(sorts: &[(&str, S)], query: &ListQuery<S>, path: &str) -> Markup {
    let aria = match (sorts.iter().any(|(_, s)| *s == query.sort), query.desc) {
        (false, _) => "none",
        (true, true) => "descending",
        (true, false) => "ascending",
    };
    let arrow = |sort: S| match (query.sort == sort, query.desc) {
        (false, _) => "",
        (true, true) => " ↓",
        (true, false) => " ↑",
    };
    html! {
        th scope="col" aria-sort=(aria) {
            @for (i, (label, sort)) in sorts.iter().enumerate() {
                @if i > 0 { span class="sort-sep" aria-hidden="true" { " / " } }
                button type="button" class="sort" data-go=(query.sorted_by(*sort).to_url(path)) {
                    (label) (arrow(*sort))
                }
            }
        }
    }
}

/// A column header that does not sort.
pub fn header(label: &str) -> Markup {
    html! { th scope="col" { (label) } }
}

/// A status word in a coloured pill.
pub fn badge(text: &str, tone: &str) -> Markup {
    html! { span class={ "badge " (tone) } { (text) } }
}

/// LOCKED, with the reason for screen readers and as a tooltip.
pub fn lock_badge(reason: LockReason) -> Markup {
    let why = t(reason.label());
    html! {
        span class="badge danger" title=(why) {
            "LOCKED" span class="sr-only" { " (" (why) ")" }
        }
    }
}

/// Off / pending enrolment / on, with words for screen readers and a tooltip.
pub fn two_factor_badge(state: TwoFactorState) -> Markup {
    let (text, tone, title) = match state {
        TwoFactorState::Off => (
            tr!("2FA off"),
            "off",
            tr!("Two-factor authentication is off"),
        ),
        TwoFactorState::Pending => (
            "2FA pending",
            "warn",
            tr!("2FA is on; the user enrols at next sign-in"),
        ),
        TwoFactorState::On => (
            tr!("2FA on"),
            "ok",
            tr!("Two-factor authentication is set up"),
        ),
    };
    html! { span class={ "badge tfa " (tone) } title=(title) { (text) } }
}

/// Initials on a colour of the user's own: drawn here, never fetched from a third party.
/// One of twelve hue classes rather than a style attribute, which the Content-Security-
/// Policy does not allow.
pub fn avatar(initials: &str, id: &uuid::Uuid) -> Markup {
    html! { span class={ "avatar hue-" (avatar_hue(id) / 30) } aria-hidden="true" { (initials) } }
}

/// A row's icon button that opens a modal for one row: what it opens and for whom, in the
/// `data-row-*` attributes the page's island reads (`results::on_buttons`).
pub struct RowButton<'a> {
    pub what: &'static str,
    pub id: &'a str,
    pub label: &'a str,
}

impl RowButton<'_> {
    /// `icon` names a symbol of the table's sprite; `aria` is the button's accessible name.
    pub fn icon(&self, class: &str, aria: &str, title: &str, icon: &str) -> Markup {
        html! {
            button type="button" class=(class) aria-label=(aria) title=(title)
                data-row-action=(self.what) data-row-id=(self.id) data-row-label=(self.label) {
                svg width="18" height="18" aria-hidden="true" { use href={ "#" (icon) } {} }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let html = badge("<b>&\"x\"", "ok\" onclick=\"x").into_string();
        assert_eq!(
            html,
            "<span class=\"badge ok&quot; onclick=&quot;x\">&lt;b&gt;&amp;&quot;x&quot;</span>"
        );
        let b = RowButton {
            what: "edit",
            id: "1",
            label: "a\"><script>",
        };
        let html = b
            .icon("icon-btn", "Edit", "Edit", "icon-pencil")
            .into_string();
        assert!(
            html.contains("data-row-label=\"a&quot;&gt;&lt;script&gt;\""),
            "{html}"
        );
        assert!(!html.contains("<script>"), "{html}");
    }

    #[test]
    fn the_sorted_column_says_its_direction() {
        use roster_types::users::UserSort;
        let q = ListQuery::<UserSort>::default();
        let created = sort_header("Created", &q, UserSort::Created, "/admin/users").into_string();
        assert!(created.contains("aria-sort=\"descending\""), "{created}");
        assert!(
            created.contains("data-go=\"/admin/users?sort=created&amp;dir=asc\""),
            "{created}"
        );
        assert!(created.contains("Created ↓"), "{created}");
        let name = sort_header("Name", &q, UserSort::Name, "/admin/users").into_string();
        assert!(name.contains("aria-sort=\"none\""), "{name}");
        assert!(name.contains(">Name</button>"), "{name}");
    }
}
