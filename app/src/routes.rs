//! The pages as lazy routes: built with `cargo leptos --split`, each page's code is a
//! separate WASM chunk that loads when the page is opened, so the first download holds only
//! the shell, the router and the framework.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

macro_rules! lazy_page {
    ($route:ident, $page:path) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> <crate::ui::common::HydratedMark /> }.into_any()
            }
        }
    };
}

lazy_page!(DashboardRoute, crate::ui::admin::Dashboard);
lazy_page!(UsersRoute, crate::ui::users::UsersPage);
lazy_page!(ClientsRoute, crate::ui::clients::ClientsPage);
lazy_page!(ClientRoute, crate::ui::clients::ClientPage);
lazy_page!(StaffRoute, crate::ui::staff::StaffPage);
lazy_page!(AuditRoute, crate::ui::audit::AuditPage);
lazy_page!(StaffAccountRoute, crate::ui::staff::StaffAccountPage);
lazy_page!(AccountRoute, crate::ui::account::AccountPage);
lazy_page!(StaffLoginRoute, crate::ui::auth::StaffLogin);
lazy_page!(UserLoginRoute, crate::ui::auth::UserLogin);
lazy_page!(SetupRoute, crate::ui::auth::Setup);
