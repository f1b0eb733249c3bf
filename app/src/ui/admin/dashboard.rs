use crate::ui::common::use_me;
use leptos::prelude::*;
use roster_types::StaffPermission;

/// `/admin`: where the signed-in staff member starts.
#[component]
pub fn Dashboard() -> impl IntoView {
    let me = use_me();
    view! {
        <h1>"Welcome to Roster"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || me.get().map(|me| {
                let perms = me.permissions.iter().map(|p: &StaffPermission| view! { <li>{p.label()}</li> }).collect_view();
                view! {
                    <p>"Signed in as " <strong>{me.email.clone()}</strong> "."</p>
                    <section class="card">
                        <h2>"Your permissions"</h2>
                        <ul class="perm-list">{perms}</ul>
                    </section>
                }
            })}
        </Suspense>
    }
}
