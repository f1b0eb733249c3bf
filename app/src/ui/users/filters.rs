//! Manage Users' filters: a GET form above the table (server HTML, no WASM), filled from
//! the URL. Applying it loads the page with the filters in its URL beside the search,
//! the order and the page size, so a reload or a shared link shows the same list.

use super::{ListQuery, PATH};
use crate::tr;
use crate::ui::common::FormErrors;
use leptos::prelude::*;
use roster_types::AppError;

/// `(value, label)` choices of a select; the first is "Any" (no filter).
type Choices = Vec<(&'static str, &'static str)>;

#[component]
pub fn UserFilters(q: ListQuery, error: Option<AppError>) -> impl IntoView {
    let errors = FormErrors::new(Signal::stored(error));
    let set = q.filters.len();
    let is_open = set > 0;
    let value = |k: &str| q.filter(k);
    let any = tr!("Any");
    let select = |name: &'static str, label: &'static str, choices: Choices| {
        let current = value(name);
        view! {
            <FilterField name label error=errors.field(name)>
                <select id=format!("filter-{name}") name=name aria-describedby=format!("filter-{name}-error")>
                    {choices.into_iter().map(|(v, l)| {
                        let selected = current == v;
                        view! { <option value=v selected=selected>{l}</option> }
                    }).collect_view()}
                </select>
            </FilterField>
        }
    };
    let input = |name: &'static str, label: &'static str, kind: &'static str| {
        let current = value(name);
        view! {
            <FilterField name label error=errors.field(name)>
                <input id=format!("filter-{name}") name=name type=kind
                    value=(!current.is_empty()).then_some(current)
                    min=(kind == "number").then_some("1") max=(kind == "number").then_some("3650")
                    aria-describedby=format!("filter-{name}-error") />
            </FilterField>
        }
    };
    // The rest of the list's state rides along, the page excepted: new filters start at 1.
    let keep = ListQuery {
        filters: Vec::new(),
        page: 1,
        ..q.clone()
    };
    let d = ListQuery::default();
    let mut hidden = vec![];
    if !keep.q.is_empty() {
        hidden.push(("q", keep.q.clone()));
    }
    if keep.per_page != d.per_page {
        hidden.push(("per", keep.per_page.to_string()));
    }
    if keep.sort != d.sort || keep.desc != d.desc {
        hidden.push(("sort", keep.sort.code().to_string()));
        hidden.push(("dir", if keep.desc { "desc" } else { "asc" }.to_string()));
    }
    let clear = keep.to_url(PATH);
    view! {
        <details class="card user-filters" open=is_open>
            <summary>
                {tr!("Filters")}
                {(set > 0).then(|| view! { <span class="badge info">{crate::trf!("Active filters: {n}", n = set)}</span> })}
            </summary>
            <form class="filters" role="search" aria-label=tr!("Filters") method="get" action=PATH novalidate>
                {hidden.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v /> }).collect_view()}
                {select("status", tr!("Status"), vec![("", any), ("new", "NEW"), ("active", "ACTIVE"), ("inactive", "INACTIVE"), ("locked", "LOCKED"), ("invited", "INVITED")])}
                {select("two_factor", tr!("Two-factor authentication"), vec![("", any), ("off", tr!("Off")), ("pending", tr!("Pending")), ("on", tr!("On"))])}
                {select("verified", tr!("Email Verified"), vec![("", any), ("yes", tr!("Yes")), ("no", tr!("No"))])}
                {select("clients", tr!("Clients"), vec![("", any), ("owner", tr!("Owns a client")), ("none", tr!("Has no client"))])}
                {input("created_from", tr!("Created from"), "date")}
                {input("created_to", tr!("Created to"), "date")}
                {select("signed_in", tr!("Last sign-in"), vec![("", any), ("never", tr!("Never")), ("before", tr!("Before a date")), ("within", tr!("Within the last days"))])}
                {input("signed_in_before", tr!("Signed in before"), "date")}
                {input("signed_in_days", tr!("Days"), "number")}
                <div class="actions">
                    <button type="submit" class="btn primary">{tr!("Apply filters")}</button>
                    <a class="btn" href=clear>{tr!("Clear filters")}</a>
                </div>
            </form>
        </details>
    }
}

/// A filter's label, control and message. Its ids start with `filter-`, apart from the
/// modals' fields of the same names.
#[component]
fn FilterField(
    name: &'static str,
    label: &'static str,
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=format!("filter-{name}")>{label}</label>
            {children()}
            <p class="field-error" id=format!("filter-{name}-error")>{move || error.get()}</p>
        </div>
    }
}
