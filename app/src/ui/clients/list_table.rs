use super::{ListQuery, PATH};
use crate::tx;
use crate::ui::common::{badge, short_date, Table};
use crate::ui::i18n;
use leptos::prelude::*;
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
/// owner and created; headers sort. Rendered on the server only: a header's button holds
/// the list URL it shows in `data-go`, which the page's island follows.
#[component]
pub fn ClientTable(rows: Vec<ClientRow>, query: ListQuery) -> impl IntoView {
    let t = i18n::now();
    let header = move |label: &'static str, sort: ClientSort| {
        let active = query.sort == sort;
        let go = query.sorted_by(sort).to_url(PATH);
        let (aria, arrow) = match (active, query.desc) {
            (false, _) => ("none", ""),
            (true, true) => ("descending", " ↓"),
            (true, false) => ("ascending", " ↑"),
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button type="button" class="sort" data-go=go>{label}{arrow}</button>
            </th>
        }
    };
    view! {
        <Table class="clients" head=view! {
            {header(tx!(t, "Client"), ClientSort::Name)}
            {header(tx!(t, "Company Name"), ClientSort::Company)}
            <th scope="col">{tx!(t, "Tax ID")}</th>
            {header(tx!(t, "Status"), ClientSort::Status)}
            <th scope="col">{tx!(t, "Users")}</th>
            <th scope="col">{tx!(t, "Owner")}</th>
            {header(tx!(t, "Created"), ClientSort::Created)}
        }.into_any()>
            {rows.into_iter().map(|c| {
                let name = format!("{} {}", c.first_name, c.last_name);
                view! {
                    <tr>
                        <td><a href=format!("{PATH}/{}", c.id)>{name}</a></td>
                        <td>{c.company_name}</td>
                        <td>{c.tax_id.unwrap_or_else(|| "—".into())}</td>
                        <td>{badge(c.status.code(), client_status_tone(c.status))}</td>
                        <td>{c.users}</td>
                        <td>{c.owner_email.unwrap_or_else(|| "—".into())}</td>
                        <td>{short_date(&c.created_at)}</td>
                    </tr>
                }
            }).collect_view()}
        </Table>
    }
}
