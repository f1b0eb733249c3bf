use crate::api::users::list_users;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/admin/users`: the users list.
#[component]
pub fn UsersPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q").unwrap_or_default());
    let users = Resource::new(q, |q| list_users(q, 1, 25, String::new(), true));
    view! {
        <h1>"Manage Users"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading users…"</p> }>
            {move || users.get().map(|r| match r {
                Err(e) => view! { <div class="banner error" role="alert">{e.to_string()}</div> }.into_any(),
                Ok(page) if page.rows.is_empty() => view! { <p class="empty">"No users yet."</p> }.into_any(),
                Ok(page) => view! {
                    <p class="muted">{format!("{} users", page.total)}</p>
                    <table class="table">
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Status"</th></tr></thead>
                        <tbody>
                            {page.rows.into_iter().map(|u| view! {
                                <tr><td>{u.display_name()}</td><td>{u.email.clone()}</td><td>{u.status.code()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Transition>
    }
}
