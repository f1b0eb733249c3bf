use crate::tr;
use crate::ui::common::{use_me, PageReady};
use crate::ui::i18n::t;
use leptos::prelude::*;
use roster_types::StaffPermission;

/// `/admin`: where the signed-in staff member starts. HTML only: nothing here runs in the
/// browser.
#[component]
pub fn Dashboard() -> impl IntoView {
    let me = use_me();
    view! {
        <h1>{tr!("Welcome to Roster")}</h1>
        <Suspense fallback=|| view! { <p class="muted">{tr!("Loading…")}</p> }>
            {move || me.get().map(|me| {
                let perms = me.permissions.iter().map(|p: &StaffPermission| view! { <li>{t(p.label())}</li> }).collect_view();
                view! {
                    <p>{tr!("Signed in as ")} <strong>{me.email.clone()}</strong> "."</p>
                    <section class="card">
                        <h2>{tr!("Your permissions")}</h2>
                        <ul class="perm-list">{perms}</ul>
                    </section>
                }
            })}
        </Suspense>
        <PageReady />
    }
}
