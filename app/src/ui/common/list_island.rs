//! What the island of a list page (Manage Users, Manage Clients) shares: the list's state
//! in the URL, the results brought again from the server when it changes, and the search
//! box. The table below the island is server HTML (see `results`).

use super::results::{self, Button};
use super::{Debounce, ListQuery, ListSort, Query};
use leptos::prelude::*;
use uuid::Uuid;

/// A list page's island state: the URL's list state and whether results are on their way.
pub struct ListState<S: ListSort> {
    pub query: Query,
    pub current: Memo<ListQuery<S>>,
    pub loading: RwSignal<bool>,
    path: &'static str,
    region: &'static str,
}

impl<S: ListSort> Clone for ListState<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ListSort> Copy for ListState<S> {}

impl<S: ListSort> ListState<S> {
    /// The list at `path` whose results are the element `region`: a new query (search,
    /// paging, sort, back and forward) brings its results.
    pub fn new(path: &'static str, region: &'static str) -> Self {
        let query = Query::provide();
        let current = Memo::new(move |_| query.with(|m| ListQuery::from_params(|k| m.get(k))));
        let list = Self {
            query,
            current,
            loading: RwSignal::new(false),
            path,
            region,
        };
        Effect::new(move |first: Option<()>| {
            current.track();
            if first.is_some() {
                list.reload();
            }
        });
        list
    }

    /// The results' buttons go to their list URL, change the rows per page, or call
    /// `on_row(action, id, label)`.
    pub fn on_buttons(self, on_row: impl Fn(String, Uuid, String) + Clone + 'static) {
        results::on_buttons(self.region, move |b| match b {
            Button::Go(url) => self.go(&url),
            Button::PerPage(per_page) => self.show(ListQuery {
                per_page,
                page: 1,
                ..self.current.get_untracked()
            }),
            Button::Row { what, id, label } => on_row(what, id, label),
            Button::Action(_) => {}
        });
    }

    /// Show another list URL of this page (pushed onto the history).
    pub fn go(self, url: &str) {
        self.query.navigate(url);
    }

    pub fn show(self, q: ListQuery<S>) {
        self.go(&q.to_url(self.path));
    }

    /// Bring the current results again (after a change made in a modal).
    pub fn reload(self) {
        results::reload(self.region, self.loading);
    }
}

/// The list's search box: follows the typing after a pause (a new search starts at page
/// one); back and forward set it from the URL; "Updating…" shows while results come.
#[component]
pub fn SearchBox<S: ListSort>(
    list: ListState<S>,
    /// The input's id and its (screen-reader) label.
    id: &'static str,
    label: &'static str,
    placeholder: &'static str,
) -> impl IntoView {
    let current = list.current;
    let text = RwSignal::new(current.get_untracked().q);
    Effect::new(move |_| {
        let q = current.get().q;
        if q != text.get_untracked() {
            text.set(q);
        }
    });
    let pause = Debounce::new(250);
    let search_now = move || {
        let q = current.get_untracked();
        let t = text.get_untracked();
        if t != q.q {
            list.show(ListQuery { q: t, page: 1, ..q });
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        pause.run(search_now);
    };
    let loading = list.loading;
    view! {
        <form class="toolbar" role="search" on:submit=move |ev| { ev.prevent_default(); search_now(); }>
            <label class="sr-only" for=id>{label}</label>
            <input id=id type="search" class="search" placeholder=placeholder
                autocomplete="off" prop:value=move || text.get() on:input=on_input />
            <span class="loading" aria-hidden=move || (!loading.get()).to_string()>
                {move || loading.get().then_some(crate::tr!("Updating…"))}
            </span>
        </form>
    }
}
