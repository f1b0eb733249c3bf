//! Roster: the app, its shell and its routes. Everything else lives in the modules.
#![recursion_limit = "256"]

pub mod api;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/roster.css" />
        <Title text="Roster" />
        <Router>
            <Routes fallback=ui::common::NotFound>
                <Route path=path!("/") view=|| view! { <Redirect path="/admin" /> } />
                <Route path=path!("/admin/login") view=ui::auth::StaffLogin />
                <Route path=path!("/login") view=ui::auth::UserLogin />
                <Route path=path!("/account") view=ui::account::AccountPage />
                <Route path=path!("/admin/setup") view=ui::auth::Setup />
                <ParentRoute path=path!("/admin") view=ui::admin::AdminShell>
                    <Route path=path!("") view=ui::admin::Dashboard />
                    <Route path=path!("users") view=ui::users::UsersPage />
                    <Route path=path!("clients") view=ui::clients::ClientsPage />
                    <Route path=path!("clients/:id") view=ui::clients::ClientPage />
                    <Route path=path!("staff") view=ui::staff::StaffPage />
                    <Route path=path!("audit") view=ui::audit::AuditPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
