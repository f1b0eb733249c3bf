use super::list_controls::ClientsControls;
use super::list_table::ClientTable;
use super::{ListQuery, PATH};
use crate::api::clients::list_clients;
use crate::ui::common::pager;
use crate::ui::common::results::list_page;
use crate::ui::i18n::error_text;
use crate::{tr, trf};
use leptos::prelude::*;

/// The id of the part of the page a search, a page change or a new client brings again.
pub const RESULTS_ID: &str = "client-results";

/// `/admin/clients` (Clients → Manage Clients). The table and its paging are HTML from the
/// server; the island above them holds the search box and + Create, and brings the results
/// again from the server when the list changes (as Manage Users does).
#[component]
pub fn ClientsPage() -> impl IntoView {
    list_page(
        RESULTS_ID,
        |me| view! { <ClientsControls me /> },
        view! { <ClientsResults /> },
    )
}

/// The page of clients the URL asks for, with the pager; rendered on the server only.
#[component]
fn ClientsResults() -> impl IntoView {
    let q = ListQuery::of_page();
    let list = q.clone();
    let page = async move {
        list_clients(
            list.q.clone(),
            list.page,
            list.per_page,
            list.sort.code().to_string(),
            list.desc,
        )
        .await
    };
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">{tr!("Loading clients…")}</p> }>
            {Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                    Ok(page) if page.rows.is_empty() => view! {
                        <div class="empty card"><p>{if q.q.is_empty() {
                            tr!("No clients yet.").to_string()
                        } else {
                            trf!("No clients match “{q}”.", q = q.q)
                        }}</p></div>
                    }.into_any(),
                    Ok(page) => {
                        let nav = pager(&page, &q, PATH, page.count_label("client", "clients"), "client-total");
                        view! { <ClientTable rows=page.rows query=q /> {nav} }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
