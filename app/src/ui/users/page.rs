use super::controls::UsersControls;
use super::filters::UserFilters;
use super::table::UserTable;
use super::ListQuery;
use super::PATH;
use crate::api::users::list_users;
use crate::ui::common::results::list_page;
use crate::ui::common::{pager, StaffResource};
use crate::ui::i18n::error_text;
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::user_filter::UserFilter;
use roster_types::{AppError, StaffPermission};

/// The id of the part of the page a search, a page change or a saved modal brings again.
pub const RESULTS_ID: &str = "user-results";

/// `/admin/users` (Clients → Manage Users). The table, its paging and its row buttons are
/// HTML from the server; the island above them holds the search box, the Create button and
/// the modals, and brings the results again from the server when the list changes.
#[component]
pub fn UsersPage() -> impl IntoView {
    list_page(
        RESULTS_ID,
        |me| view! { <UsersControls me /> },
        view! { <UsersResults /> },
    )
}

/// The page of users the URL asks for, with the pager. Read straight from the server
/// function inside `Suspend` (not a resource): nothing of it is serialized for the browser,
/// which never renders it.
#[component]
fn UsersResults() -> impl IntoView {
    let q = ListQuery::of_page();
    let staff = expect_context::<StaffResource>();
    let list = q.clone();
    let page = async move {
        list_users(
            list.q.clone(),
            list.page,
            list.per_page,
            list.sort.code().to_string(),
            list.desc,
            UserFilter::from_params(|k| Some(list.filter(k))),
        )
        .await
    };
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">{tr!("Loading users…")}</p> }>
            {Suspend::new({
                let q = q.clone();
                async move {
                    let me = staff.await;
                    let can = |p| me.as_ref().is_ok_and(|m| m.can(p));
                    let (can_edit, can_delete) =
                        (can(StaffPermission::UsersEdit), can(StaffPermission::UsersDelete));
                    let can_impersonate = can(StaffPermission::UsersImpersonate);
                    let page = page.await;
                    let filters = view! { <UserFilters q=q.clone() error=page.as_ref().err().cloned() /> };
                    let results = match page {
                        Err(AppError::Invalid { .. }) => {
                            view! { <p class="muted" role="alert">{tr!("Correct the filters above.")}</p> }.into_any()
                        }
                        Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                        Ok(page) if page.rows.is_empty() => empty(&q).into_any(),
                        Ok(page) => {
                            let nav = pager(&page, &q, PATH, page.total_label(), "user-total");
                            view! {
                                <UserTable rows=page.rows query=q.clone() can_edit can_delete can_impersonate />
                                {nav}
                            }.into_any()
                        }
                    };
                    view! { {filters} {results} }.into_any()
                }
            })}
        </Suspense>
    }
}

/// An empty page: no match for the search, a page past the end, or no users at all.
fn empty(q: &ListQuery) -> impl IntoView {
    let body = if !q.filters.is_empty() {
        let clear = ListQuery {
            filters: Vec::new(),
            page: 1,
            ..q.clone()
        }
        .to_url(PATH);
        view! {
            <p>{tr!("No users match these filters.")}</p>
            <button type="button" class="btn" data-go=clear>{tr!("Clear filters")}</button>
        }
        .into_any()
    } else if !q.q.is_empty() {
        let clear = ListQuery {
            q: String::new(),
            page: 1,
            ..q.clone()
        }
        .to_url(PATH);
        view! {
            <p>{trf!("No users match “{q}”.", q = q.q)}</p>
            <button type="button" class="btn" data-go=clear>{tr!("Clear search")}</button>
        }
        .into_any()
    } else if q.page > 1 {
        let first = ListQuery {
            page: 1,
            ..q.clone()
        }
        .to_url(PATH);
        view! {
            <p>{tr!("This page is empty.")}</p>
            <button type="button" class="btn" data-go=first>{tr!("First page")}</button>
        }
        .into_any()
    } else {
        view! { <p>{tr!("No users yet. Create the first one with + Create.")}</p> }.into_any()
    };
    view! { <div class="empty card">{body}</div> }
}
