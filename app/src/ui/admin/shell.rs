use crate::api::staff_auth::{current_staff, staff_sign_out};
use crate::tr;
use crate::ui::common::{leave_when_signed_out, use_can, StaffResource};
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use roster_types::{AppError, StaffPermission};

#[component]
pub fn AdminShell() -> impl IntoView {
    let me: StaffResource = Resource::new(|| (), |_| current_staff());
    provide_context(me);
    crate::ui::common::Toasts::provide();
    let can = use_can();
    let sign_out = Action::new(|_: &()| staff_sign_out());
    leave_when_signed_out("/admin/login", move || {
        let ended = matches!(me.get(), Some(Err(AppError::Unauthenticated)));
        sign_out.value().get().is_some() || ended
    });

    view! {
        <div class="admin">
            <header class="topbar">
                <a class="brand" href="/admin">"Roster"</a>
                <div class="topbar-right">
                    <Suspense fallback=|| ()>
                        {move || me.get().and_then(Result::ok).map(|me| view! {
                            <A href="/admin/me" attr:class="who" attr:title=tr!("My account: password and sessions") attr:data-testid="signed-in-as">{me.email}</A>
                        })}
                    </Suspense>
                    <button class="btn" type="button" on:click=move |_| { sign_out.dispatch(()); }>{tr!("Sign out")}</button>
                </div>
            </header>
            <div class="admin-body">
                <nav class="sidebar" aria-label=tr!("Main menu")>
                    <p class="menu-heading">{tr!("Clients")}</p>
                    // Only what the staff member may open (inside Suspense: permissions
                    // are a resource).
                    <ul>
                        <Suspense fallback=|| ()>
                            <MenuLink href="/admin/users" label=tr!("Manage Users") needs=StaffPermission::UsersView />
                            <MenuLink href="/admin/clients" label=tr!("Manage Clients") needs=StaffPermission::ClientsView />
                        </Suspense>
                    </ul>
                    <Suspense fallback=|| ()>
                        <Show when=move || can(StaffPermission::StaffManage) || can(StaffPermission::AuditView)>
                            <p class="menu-heading">{tr!("Administration")}</p>
                            <ul>
                                <MenuLink href="/admin/staff" label=tr!("Staff") needs=StaffPermission::StaffManage />
                                <MenuLink href="/admin/audit" label=tr!("Audit trail") needs=StaffPermission::AuditView />
                            </ul>
                        </Show>
                    </Suspense>
                </nav>
                <main class="content">
                    <Outlet />
                </main>
            </div>
            <crate::ui::common::ToastRegion />
        </div>
    }
}

/// A menu entry shown only to staff holding `needs` (the server refuses the page anyway).
#[component]
fn MenuLink(href: &'static str, label: &'static str, needs: StaffPermission) -> impl IntoView {
    let can = use_can();
    view! {
        <Show when=move || can(needs)>
            <li><A href=href>{label}</A></li>
        </Show>
    }
}
