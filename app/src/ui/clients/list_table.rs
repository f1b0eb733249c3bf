use super::{ListQuery, PATH};
use crate::tx;
use crate::ui::common::markup::{badge, header, sort_header, table};
use crate::ui::common::short_date;
use crate::ui::i18n;
use leptos::prelude::*;
use maud::html;
use roster_types::clients::{ClientRow, ClientSort};
use roster_types::users::ClientStatus;

pub fn client_status_tone(s: ClientStatus) -> &'static str {
    match s {
        ClientStatus::Active => "ok",
        ClientStatus::Inactive => "off",
        ClientStatus::Closed => "danger",
    }
}

/// The Manage Clients table: name (a link to the client), company, tax ID, status, users,
/// owner and created; headers sort. Rendered on the server only (with maud, see
/// `markup`): a header's button holds the list URL it shows in `data-go`, which the page's
/// island follows.
#[component]
pub fn ClientTable(rows: Vec<ClientRow>, query: ListQuery) -> impl IntoView {
    let t = i18n::now();
    let sort = |label, by| sort_header(label, &query, by, PATH);
    let head = html! {
        (sort(tx!(t, "Client"), ClientSort::Name))
        (sort(tx!(t, "Company Name"), ClientSort::Company))
        (header(tx!(t, "Tax ID")))
        (sort(tx!(t, "Status"), ClientSort::Status))
        (header(tx!(t, "Users")))
        (header(tx!(t, "Owner")))
        (sort(tx!(t, "Created"), ClientSort::Created))
    };
    let rows = html! {
        @for c in &rows {
            tr {
                td { a href={ (PATH) "/" (c.id) } { (c.first_name) " " (c.last_name) } }
                td { (c.company_name) }
                td { (c.tax_id.as_deref().unwrap_or("—")) }
                td { (badge(c.status.code(), client_status_tone(c.status))) }
                td { (c.users) }
                td { (c.owner_email.as_deref().unwrap_or("—")) }
                td { (short_date(&c.created_at)) }
            }
        }
    };
    table("clients", head, rows)
}
