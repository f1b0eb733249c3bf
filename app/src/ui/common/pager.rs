//! The pager under a list the server renders (Manage Users, Manage Clients).

use super::{ListQuery, ListSort};
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::page::{Page, PAGE_SIZES};

/// The range shown and the total, Rows per page, Previous and Next for `page` of the list
/// at `path` in the state `q`. Its controls say what they do in `data-` attributes
/// (`data-go` a list URL, `data-per-page`), which the page's island reads (see `results`).
pub fn pager<T, S: ListSort>(
    page: &Page<T>,
    q: &ListQuery<S>,
    path: &str,
    total: String,
    testid: &'static str,
) -> impl IntoView {
    let n = page.rows.len() as u32;
    let from = page.page.saturating_sub(1).saturating_mul(page.per_page) + 1;
    let to = from + n.saturating_sub(1);
    let prev = q.at_page(page.page.saturating_sub(1).max(1)).to_url(path);
    let next = q.at_page(page.page.saturating_add(1)).to_url(path);
    let per_page = page.per_page;
    let current = if page.total_is_exact() {
        trf!(
            "Page {page} of {pages}",
            page = page.page,
            pages = page.last_page()
        )
    } else {
        trf!("Page {current}", current = page.page)
    };
    view! {
        <nav class="pager" aria-label=tr!("Pages")>
            <span class="total" data-testid=testid>{format!("{from}–{to} of {total}")}</span>
            <label class="per-page">{tr!("Rows per page ")}
                <select data-per-page="">
                    {PAGE_SIZES.iter().map(|s| view! { <option value=s.to_string() selected=*s == per_page>{s.to_string()}</option> }).collect_view()}
                </select>
            </label>
            <button type="button" class="btn small" disabled=page.page <= 1 data-go=prev>{tr!("Previous")}</button>
            <span>{current}</span>
            <button type="button" class="btn small" disabled=!page.has_next() data-go=next>{tr!("Next")}</button>
        </nav>
    }
}
