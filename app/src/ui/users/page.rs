use super::clients_modal::UserClientsModal;
use super::create_modal::CreateUserModal;
use super::delete_dialog::DeleteUserDialog;
use super::edit_modal::EditUserModal;
use super::query::ListQuery;
use super::table::{RowAction, UserTable};
use crate::api::users::list_users;
use crate::ui::common::{use_can, use_toasts, Debounce, PageHead, Refresh};
use crate::ui::i18n::error_text;
use crate::{tr, trf};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use roster_types::page::PAGE_SIZES;
use roster_types::users::UserRow;
use roster_types::StaffPermission;
use uuid::Uuid;

#[derive(Clone)]
enum Dialog {
    Create,
    Edit(Uuid),
    Delete(UserRow),
    Clients(Uuid),
}

/// `/admin/users` (Clients → Manage Users): search, the table, paging, and the modals.
#[component]
pub fn UsersPage() -> impl IntoView {
    let can = use_can();
    let toasts = use_toasts();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|m| ListQuery::from_params(|k| m.get(k))));
    let navigate = use_navigate();
    let go =
        Callback::new(move |q: ListQuery| navigate(&q.to_url("/admin/users"), Default::default()));

    // Bumped after each change, so the list refetches with the same URL.
    let refresh = Refresh::new();
    let users = Resource::new(
        move || (query.get(), refresh.version()),
        |(q, _)| list_users(q.q, q.page, q.per_page, q.sort.code().to_string(), q.desc),
    );
    let loading = RwSignal::new(false);
    let dialog: RwSignal<Option<Dialog>> = RwSignal::new(None);
    let close = Callback::new(move |_| dialog.set(None));

    // The search box: follows the typing after a pause; back/forward sets it from the URL.
    let text = RwSignal::new(query.get_untracked().q);
    Effect::new(move |_| {
        let q = query.get().q;
        if q != text.get_untracked() {
            text.set(q);
        }
    });
    let pause = Debounce::new(250);
    let search_now = move || {
        let q = query.get_untracked();
        let t = text.get_untracked();
        if t != q.q {
            go.run(ListQuery { q: t, page: 1, ..q });
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        pause.run(search_now);
    };

    let on_action = Callback::new(move |a: RowAction| {
        dialog.set(Some(match a {
            RowAction::Edit(id) => Dialog::Edit(id),
            RowAction::Delete(u) => Dialog::Delete(u),
            RowAction::Clients(id) => Dialog::Clients(id),
        }))
    });
    let on_sort = Callback::new(move |s| go.run(query.get_untracked().sorted_by(s)));

    view! {
        <PageHead title=tr!("Manage Users") intro=tr!("People's logins. Link them to clients under Clients → Manage Clients → a client → Users.")>
            // Inside Suspense: the staff member's permissions are a resource, and reading one
            // outside Suspense renders differently on the server and in the browser.
            <Suspense fallback=|| ()>
                <Show when=move || can(StaffPermission::UsersCreate)>
                    <button type="button" class="btn primary" on:click=move |_| dialog.set(Some(Dialog::Create))>{tr!("+ Create")}</button>
                </Show>
            </Suspense>
        </PageHead>
        <form class="toolbar" role="search" on:submit=move |ev| { ev.prevent_default(); search_now(); }>
            <label class="sr-only" for="user-search">{tr!("Search users")}</label>
            <input id="user-search" type="search" class="search" placeholder=tr!("Search by name, email, phone or UUID")
                autocomplete="off" prop:value=move || text.get() on:input=on_input />
            <span class="loading" aria-hidden=move || (!loading.get()).to_string()>
                {move || loading.get().then_some(tr!("Updating…"))}
            </span>
        </form>
        <Transition fallback=|| view! { <p class="muted" role="status">{tr!("Loading users…")}</p> } set_pending=loading.write_only()>
            {move || users.get().map(|r| match r {
                Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                Ok(page) => {
                    let q = query.get_untracked();
                    if page.rows.is_empty() {
                        let searching = !q.q.is_empty();
                        view! {
                            <div class="empty card">
                                {if searching {
                                    view! {
                                        <p>{trf!("No users match “{q}”.", q = q.q)}</p>
                                        <button type="button" class="btn" on:click=move |_| go.run(ListQuery { q: String::new(), page: 1, ..query.get_untracked() })>{tr!("Clear search")}</button>
                                    }.into_any()
                                } else if q.page > 1 {
                                    view! {
                                        <p>{tr!("This page is empty.")}</p>
                                        <button type="button" class="btn" on:click=move |_| go.run(ListQuery { page: 1, ..query.get_untracked() })>{tr!("First page")}</button>
                                    }.into_any()
                                } else {
                                    view! { <p>{tr!("No users yet. Create the first one with + Create.")}</p> }.into_any()
                                }}
                            </div>
                        }.into_any()
                    } else {
                        let last = page.last_page();
                        let more = page.has_next();
                        let exact = page.total_is_exact();
                        let n = page.rows.len();
                        let from = (page.page - 1) * page.per_page + 1;
                        let to = from + n as u32 - 1;
                        let label = page.total_label();
                        view! {
                            <UserTable rows=page.rows query=q.clone() on_sort=on_sort on_action=on_action
                                can_edit=can(StaffPermission::UsersEdit) can_delete=can(StaffPermission::UsersDelete) />
                            <nav class="pager" aria-label=tr!("Pages")>
                                <span class="total" data-testid="user-total">{format!("{from}–{to} of {label}")}</span>
                                <label class="per-page">{tr!("Rows per page ")}
                                    <select on:change=move |ev| {
                                        let per = event_target_value(&ev).parse().unwrap_or(25);
                                        go.run(ListQuery { per_page: per, page: 1, ..query.get_untracked() });
                                    }>
                                        {PAGE_SIZES.iter().map(|s| view! { <option value=s.to_string() selected=*s == page.per_page>{s.to_string()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <button type="button" class="btn small" disabled=page.page <= 1
                                    on:click=move |_| { let q = query.get_untracked(); go.run(ListQuery { page: q.page.saturating_sub(1).max(1), ..q }) }>{tr!("Previous")}</button>
                                <span>{if !exact { trf!("Page {current}", current = page.page) } else { trf!("Page {page} of {pages}", page = page.page, pages = last) }}</span>
                                <button type="button" class="btn small" disabled=!more
                                    on:click=move |_| { let q = query.get_untracked(); go.run(ListQuery { page: q.page + 1, ..q }) }>{tr!("Next")}</button>
                            </nav>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        {move || dialog.get().map(|d| match d {
            Dialog::Create => view! {
                <CreateUserModal on_close=close on_created=move |u: roster_types::users::UserDetail| {
                    dialog.set(None);
                    toasts.show(trf!("User {email} created", email = u.email));
                    refresh.bump();
                } />
            }.into_any(),
            Dialog::Edit(id) => view! {
                <EditUserModal id=id on_close=close on_saved=move |u: roster_types::users::UserDetail| {
                    dialog.set(None);
                    toasts.show(trf!("Changes to {email} saved", email = u.email));
                    refresh.bump();
                } on_changed=move |_| refresh.bump() />
            }.into_any(),
            Dialog::Delete(u) => view! {
                <DeleteUserDialog user=u on_close=close on_deleted=move |email: String| {
                    dialog.set(None);
                    toasts.show(trf!("User {email} deleted", email = email));
                    refresh.bump();
                } />
            }.into_any(),
            Dialog::Clients(id) => view! { <UserClientsModal id=id on_close=close /> }.into_any(),
        })}
    }
}
