//! The axum router: Leptos pages, server functions under /api, /healthz, static files.

use crate::middleware;
use app::server::state::AppState;
use app::{shell, App};
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use tower_http::set_header::SetResponseHeaderLayer;

pub fn build(state: AppState, leptos_options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    let page_state = state.clone();
    let fn_state = state.clone();
    let server_fns = move |req| {
        let s = fn_state.clone();
        handle_server_fns_with_context(move || provide_context(s.clone()), req)
    };
    Router::new()
        .leptos_routes_with_context(
            &leptos_options,
            routes,
            move || provide_context(page_state.clone()),
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .route("/api/{*fn_name}", post(server_fns.clone()).get(server_fns))
        .route(
            "/admin/audit/export.csv",
            get(crate::export::audit_csv).with_state(state.clone()),
        )
        .route(
            "/healthz",
            get(middleware::healthz).with_state(state.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(leptos_options)
        .layer(axum::middleware::from_fn_with_state(
            state,
            middleware::admin_pages,
        ))
        .layer(axum::middleware::from_fn(middleware::same_origin))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // Keeps the setup link's token out of Referer headers.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}
