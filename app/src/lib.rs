//! Roster: the app, its shell and its routes. Everything else lives in the modules.
#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod assets;
#[cfg(feature = "ssr")]
mod csp;
mod routes;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{path, SsrMode};
use routes::*;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    csp::provide();
    // The page's language, and its table for the browser (see `ui::i18n`).
    #[cfg(feature = "ssr")]
    let (lang, table) = {
        let texts = ui::i18n::page_texts();
        (texts.html_lang(), ui::i18n::table_json(texts))
    };
    #[cfg(feature = "ssr")]
    let stylesheet = assets::stylesheet_href(&options);
    #[cfg(not(feature = "ssr"))]
    let (lang, table, stylesheet): (&str, Option<&str>, &str) = ("en", None, "");
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=stylesheet />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
                {table.map(|json| view! {
                    <script type="application/json" id=ui::i18n::TABLE_ID inner_html=json></script>
                })}
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
    ui::i18n::provide_texts();

    view! {
        <Title text="Roster" />
        <Router>
            <Routes fallback=ui::common::NotFound>
                <Route path=path!("/") view=|| view! { <Redirect path="/admin" /> } />
                <Route path=path!("/admin/login") view=ui::auth::StaffLogin />
                <Route path=path!("/login") view=ui::auth::UserLogin />
                <Route path=path!("/login/forgot") view=ui::auth::UserForgot />
                <Route path=path!("/verify-email") view=ui::auth::VerifyEmail />
                <Route path=path!("/accept-invitation") view=ui::auth::AcceptInvitation />
                <Route path=path!("/login/reset") view=ui::auth::UserReset />
                <Route path=path!("/admin/login/forgot") view=ui::auth::StaffForgot />
                <Route path=path!("/admin/login/reset") view=ui::auth::StaffReset />
                <Route path=path!("/account") view=AccountIsland />
                <Route path=path!("/admin/setup") view=SetupIsland />
                <ParentRoute path=path!("/admin") view=ui::admin::AdminShell>
                    // In order, so that it is whole without JavaScript (the sign-in forms land here).
                    <Route path=path!("") view=ui::admin::Dashboard ssr=SsrMode::InOrder />
                    // In order: the results arrive inline, so the page's island can bring them again
                    // by fetching the page (see `ui::common::results`).
                    <Route path=path!("users") view=ui::users::UsersPage ssr=SsrMode::InOrder />
                    <Route path=path!("clients") view=ui::clients::ClientsPage ssr=SsrMode::InOrder />
                    <Route path=path!("clients/:id") view=ui::clients::ClientPage ssr=SsrMode::InOrder />
                    <Route path=path!("staff") view=ui::staff::StaffPage ssr=SsrMode::InOrder />
                    // Server HTML only: the filters are a GET form (see `ui::audit::page`).
                    <Route path=path!("audit") view=ui::audit::AuditPage ssr=SsrMode::InOrder />
                    <Route path=path!("mail") view=ui::mail::MailPage ssr=SsrMode::InOrder />
                    <Route path=path!("me") view=ui::staff::StaffAccountPage ssr=SsrMode::InOrder />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
