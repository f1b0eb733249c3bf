//! The axum router: Leptos pages, server functions under /api, /healthz, static files.

use crate::{assets, compression, forms, middleware};
use app::ui::auth::login::Audience;
use app::{shell, App};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{
    generate_route_list, handle_server_fns_with_context, AxumRouteListing, LeptosRoutes,
};
use roster_core::state::AppState;
use std::sync::OnceLock;

/// The app's routes, walked once per process. While leptos walks them it turns resource
/// loading off for the whole process (`SuppressResourceLoad` is one global flag), so a
/// router built while another serves pages (the tests build one per server) left a page
/// whose resource began loading meanwhile waiting forever.
fn app_routes() -> &'static [AxumRouteListing] {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App))
}

pub fn build(state: AppState, leptos_options: LeptosOptions) -> Router {
    // The reset pages check their link before rendering (`forms::*_reset_page`): their GET
    // is routed below, not by Leptos.
    let own_get = [
        Audience::User.reset_path(),
        Audience::Staff.reset_path(),
        roster_types::links::VERIFY_EMAIL,
        roster_types::links::ACCEPT_INVITATION,
    ];
    let routes: Vec<_> = app_routes()
        .iter()
        .filter(|r| !own_get.contains(&r.path()))
        .cloned()
        .collect();
    let asset_paths = assets::Paths::new(&leptos_options);
    let page_state = state.clone();
    let page_context = move || provide_context(page_state.clone());
    let page_shell = {
        let options = leptos_options.clone();
        move || shell(options.clone())
    };
    let fn_state = state.clone();
    // The plain forms answer a refused post with their page rendered again.
    let render = leptos_axum::render_app_to_stream_in_order_with_context(
        page_context.clone(),
        page_shell.clone(),
    );
    let forms = forms::Forms {
        state: state.clone(),
        render: std::sync::Arc::new(move |req| render(req)),
    };
    let server_fns = move |req| {
        let s = fn_state.clone();
        handle_server_fns_with_context(move || provide_context(s.clone()), req)
    };
    Router::new()
        .leptos_routes_with_context(&leptos_options, routes, page_context, page_shell)
        .route(
            "/admin/clients/{id}",
            post(forms::client_profile).with_state(forms.clone()),
        )
        .route(
            app::ui::mail::PATH,
            post(forms::mail).with_state(forms.clone()),
        )
        .route(
            app::ui::staff::me::PATH,
            post(forms::my_account).with_state(forms.clone()),
        )
        .route(
            Audience::Staff.path(),
            post(forms::staff_sign_in).with_state(forms.clone()),
        )
        .route(
            Audience::User.path(),
            post(forms::user_sign_in).with_state(forms.clone()),
        )
        .route(
            roster_types::links::VERIFY_EMAIL,
            get(forms::verify_email_page)
                .post(forms::verify_email)
                .with_state(forms.clone()),
        )
        .route(
            roster_types::links::ACCEPT_INVITATION,
            get(forms::accept_invitation_page)
                .post(forms::accept_invitation)
                .with_state(forms.clone()),
        )
        .route(
            Audience::User.forgot_path(),
            post(forms::user_forgot).with_state(forms.clone()),
        )
        .route(
            Audience::Staff.forgot_path(),
            post(forms::staff_forgot).with_state(forms.clone()),
        )
        .route(
            Audience::User.reset_path(),
            get(forms::user_reset_page)
                .post(forms::user_reset)
                .with_state(forms.clone()),
        )
        .route(
            Audience::Staff.reset_path(),
            get(forms::staff_reset_page)
                .post(forms::staff_reset)
                .with_state(forms),
        )
        .route("/api/{*fn_name}", post(server_fns.clone()).get(server_fns))
        .route(
            "/admin/audit/export.csv",
            get(crate::export::audit_csv).with_state(state.clone()),
        )
        .route(
            "/admin/users/export.csv",
            get(crate::export::users_csv).with_state(state.clone()),
        )
        .route(
            "/healthz",
            get(middleware::healthz).with_state(state.clone()),
        )
        .merge(assets::routes(&leptos_options))
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(leptos_options)
        // Layers run from the last added to the first: client address, headers on the
        // answer, cross-site refusal, input checks, the API's error statuses, then the admin
        // page guard.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::admin_pages,
        ))
        .layer(axum::middleware::from_fn(middleware::api_status))
        .layer(axum::middleware::from_fn(middleware::api_input))
        .layer(axum::middleware::from_fn(middleware::same_origin))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state,
            middleware::client_info,
        ))
        // Pages, API answers and exports compressed as they are sent (gzip when the browser
        // likes it as much as brotli); the precompressed assets carry their encoding.
        .layer(compression::layer())
        .layer(axum::middleware::from_fn_with_state(
            asset_paths,
            compression::prefer_gzip,
        ))
}
