use crate::api::staff_auth::current_staff;
use crate::tr;
use crate::ui::common::StaffResource;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use roster_types::{StaffMe, StaffPermission};

/// The admin frame, rendered on the server only: the menu holds what the staff member may
/// open, and the page inside is an island.
#[component]
pub fn AdminShell() -> impl IntoView {
    let me = staff_resource();

    view! {
        <div class="admin">
            <header class="topbar">
                <a class="brand" href="/admin">"Roster"</a>
                <div class="topbar-right">
                    // The staff member is awaited inside `Suspend` in each boundary that shows
                    // them, never read with `.get()` in several: boundaries sharing a resource
                    // that way could leave a streamed page unfinished under load (leptos
                    // issues 4578 and 4851).
                    <Suspense fallback=|| ()>
                        {Suspend::new(async move {
                            me.await.ok().map(|me| view! {
                                <a href="/admin/me" class="who" title=tr!("My account: password and sessions") data-testid="signed-in-as">{me.email}</a>
                            })
                        })}
                    </Suspense>
                    <SignOutButton />
                </div>
            </header>
            <div class="admin-body">
                <nav class="sidebar" aria-label=tr!("Main menu")>
                    <p class="menu-heading">{tr!("Clients")}</p>
                    <Suspense fallback=|| ()>
                        {Suspend::new(async move { me.await.ok().map(|me| view! { <Menu me /> }) })}
                    </Suspense>
                </nav>
                <main class="content">
                    <Outlet />
                </main>
            </div>
        </div>
    }
}

/// The menu entries the staff member may open (the server refuses the pages anyway).
#[component]
fn Menu(me: StaffMe) -> impl IntoView {
    let can = |p| me.can(p);
    let link = move |href: &'static str, label: &'static str, needs: StaffPermission| {
        can(needs).then(|| view! { <li><a href=href>{label}</a></li> })
    };
    let admin = can(StaffPermission::StaffManage)
        || can(StaffPermission::AuditView)
        || can(StaffPermission::MailView);
    view! {
        <ul>
            {link("/admin/users", tr!("Manage Users"), StaffPermission::UsersView)}
            {link("/admin/clients", tr!("Manage Clients"), StaffPermission::ClientsView)}
        </ul>
        {admin.then(|| view! {
            <p class="menu-heading">{tr!("Administration")}</p>
            <ul>
                {link("/admin/staff", tr!("Staff"), StaffPermission::StaffManage)}
                {link("/admin/audit", tr!("Audit trail"), StaffPermission::AuditView)}
                {link(crate::ui::mail::PATH, tr!("Mail"), StaffPermission::MailView)}
            </ul>
        })}
    }
}

/// Sign out, then the sign-in page (a full page load: the whole app starts over). The
/// button posts with the browser's own `fetch` (`send_form`), not the server-function
/// client: this island is in every admin page's main WASM module, and the client's code
/// (encodings, error decoding) would be there too for pages that otherwise call no server
/// function.
#[island]
fn SignOutButton() -> impl IntoView {
    crate::ui::i18n::provide_texts();
    view! {
        <button class="btn" type="button" on:click=move |_| sign_out()>{tr!("Sign out")}</button>
    }
}

fn sign_out() {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async {
        use leptos::server_fn::ServerFn;
        let url = <crate::api::staff_auth::StaffSignOut as ServerFn>::PATH;
        // Whatever the answer, on to sign-in (as the menu did with the server function).
        let _ = crate::ui::common::send_form(url, &[]).await;
        crate::ui::common::go_to(super::STAFF_LOGIN);
    });
}

/// The signed-in staff member, loaded once and provided to everything rendered below.
fn staff_resource() -> StaffResource {
    let me: StaffResource = Resource::new(|| (), |_| current_staff());
    provide_context(me);
    me
}
