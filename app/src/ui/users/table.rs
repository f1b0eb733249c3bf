use super::ListQuery;
use crate::tx;
use crate::ui::common::markup::{
    avatar, badge, header, lock_badge, sort_header, sort_headers, table, two_factor_badge,
    RowButton,
};
use crate::ui::common::{short_date, status_tone};
use crate::ui::i18n;
use leptos::prelude::*;
use maud::html;
use roster_types::users::{UserRow, UserSort, UserStatus};

/// The Manage Users table: a box to tick for Bulk actions, avatar, name and email, status, 2FA, phone, clients, created,
/// last sign-in and the row actions; headers sort. Rendered on the server only (with
/// maud, see `markup`): its buttons say what they do in `data-` attributes (`data-go` a
/// list URL, `data-row-action` a modal), which the page's island acts on (see `controls`).
#[component]
pub fn UserTable(
    rows: Vec<UserRow>,
    query: ListQuery,
    can_edit: bool,
    can_delete: bool,
    can_impersonate: bool,
) -> impl IntoView {
    // Every row shows a dozen texts: looked up once for the table.
    let t = i18n::now();
    let sort = |label, by| sort_header(label, &query, by, super::PATH);
    let who = [
        (tx!(t, "Name"), UserSort::Name),
        (tx!(t, "Email"), UserSort::Email),
    ];
    // The row boxes for Bulk actions, for staff who may use one.
    let pick = can_edit || can_delete;
    let head = html! {
        @if pick {
            th scope="col" class="row-pick" { span class="sr-only" { (tx!(t, "Select")) } }
        }
        (sort_headers(&who, &query, super::PATH))
        (sort(tx!(t, "Status"), UserSort::Status))
        (header("2FA"))
        (header(tx!(t, "Phone")))
        (header(tx!(t, "Clients")))
        (sort(tx!(t, "Created"), UserSort::Created))
        (header(tx!(t, "Last sign-in")))
        th scope="col" { span class="sr-only" { (tx!(t, "Actions")) } }
    };
    let rows = html! {
        @for u in &rows {
            @let id = u.id.to_string();
            @let button = |what| RowButton { what, id: &id, label: &u.email };
            tr {
                @if pick {
                    td class="row-pick" {
                        input type="checkbox" class="row-pick" value=(id) aria-label=(tx!(t, "Select {email}", email = u.email));
                    }
                }
                // Name and email in one two-line cell: the row fits a laptop's screen.
                td data-label=(tx!(t, "Name")) class="who" {
                    div class="who-cell" {
                        (avatar(&u.initials(), &u.id))
                        div class="who-text" {
                            span class="name" { (u.display_name()) }
                            span class="email" { (u.email) }
                        }
                    }
                }
                td data-label=(tx!(t, "Status")) class="badges" {
                    // An invited user is NEW until they accept: INVITED says more.
                    @if !(u.invited && u.status == UserStatus::New) {
                        (badge(u.status.code(), status_tone(u.status)))
                    }
                    @if u.invited { (badge("INVITED", "info")) }
                    @if let Some(reason) = u.lock_reason { (lock_badge(reason)) }
                }
                td data-label="2FA" { (two_factor_badge(u.two_factor)) }
                td data-label=(tx!(t, "Phone")) { (u.phone.as_deref().unwrap_or("—")) }
                td data-label=(tx!(t, "Clients")) {
                    span class="count" { (u.clients) }
                    (button("clients").icon("icon-btn", &tx!(t, "View clients of {email}", email = u.email), tx!(t, "View clients"), "icon-eye"))
                }
                td data-label=(tx!(t, "Created")) { (short_date(&u.created_at)) }
                td data-label=(tx!(t, "Last sign-in")) {
                    @match &u.last_sign_in_at {
                        Some(at) => (short_date(at)),
                        None => (tx!(t, "Never")),
                    }
                    @if let Some(ip) = &u.last_sign_in_ip {
                        div class="muted small" title=(tx!(t, "Address of the last sign-in")) { (ip) }
                    }
                }
                td class="actions" {
                    @if can_impersonate {
                        (button("impersonate").icon("icon-btn", &tx!(t, "Sign in as {email}", email = u.email), tx!(t, "Sign in as"), "icon-enter"))
                    }
                    @if can_edit {
                        (button("edit").icon("icon-btn", &tx!(t, "Edit {email}", email = u.email), tx!(t, "Edit"), "icon-pencil"))
                    }
                    @if can_delete {
                        (button("delete").icon("icon-btn danger", &tx!(t, "Delete {email}", email = u.email), tx!(t, "Delete"), "icon-trash"))
                    }
                }
            }
        }
    };
    view! {
        // The row icons, drawn once for the table and shown by reference in every row.
        <svg class="icon-sprite" aria-hidden="true" focusable="false">
            <symbol id="icon-eye" viewBox="0 0 24 24"><path fill="none" stroke="currentColor" stroke-width="2" d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z"/><circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" stroke-width="2"/></symbol>
            <symbol id="icon-pencil" viewBox="0 0 24 24"><path fill="none" stroke="currentColor" stroke-width="2" d="M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z"/></symbol>
            <symbol id="icon-enter" viewBox="0 0 24 24"><path fill="none" stroke="currentColor" stroke-width="2" d="M15 3h4a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2h-4M10 17l5-5-5-5M15 12H3"/></symbol>
            <symbol id="icon-trash" viewBox="0 0 24 24"><path fill="none" stroke="currentColor" stroke-width="2" d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6"/></symbol>
        </svg>
        {table("users", head, rows)}
    }
}
