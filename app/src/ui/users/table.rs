use super::ListQuery;
use crate::tx;
use crate::ui::common::{
    avatar, badge, lock_badge, short_date, status_tone, two_factor_badge, Table,
};
use crate::ui::i18n;
use leptos::prelude::*;
use roster_types::users::{UserRow, UserSort};

/// What a row button opens, for whom: read back by the page's island on a click.
struct RowButton {
    what: &'static str,
    id: String,
    email: String,
}

/// The Manage Users table: avatar and name, status, 2FA, email, phone, clients, created,
/// last sign-in and the row actions; headers sort. Rendered on the server only: its
/// buttons say what they do in `data-` attributes (`data-go` a list URL, `data-row-action`
/// a modal), which the page's island acts on (see `controls`).
#[component]
pub fn UserTable(
    rows: Vec<UserRow>,
    query: ListQuery,
    can_edit: bool,
    can_delete: bool,
) -> impl IntoView {
    // Every row shows a dozen texts: looked up once for the table.
    let t = i18n::now();
    let header = move |label: &'static str, sort: UserSort| {
        let active = query.sort == sort;
        let go = query.sorted_by(sort).to_url(super::PATH);
        let aria = if !active {
            "none"
        } else if query.desc {
            "descending"
        } else {
            "ascending"
        };
        let arrow = if !active {
            ""
        } else if query.desc {
            " ↓"
        } else {
            " ↑"
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button type="button" class="sort" data-go=go>{label}{arrow}</button>
            </th>
        }
    };
    view! {
        // The row icons, drawn once for the table and shown by reference in every row.
        <svg class="icon-sprite" aria-hidden="true" focusable="false">
            <symbol id="icon-eye" viewBox="0 0 24 24"><path fill="none" stroke="currentColor" stroke-width="2" d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z"/><circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" stroke-width="2"/></symbol>
            <symbol id="icon-pencil" viewBox="0 0 24 24"><path fill="none" stroke="currentColor" stroke-width="2" d="M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z"/></symbol>
            <symbol id="icon-trash" viewBox="0 0 24 24"><path fill="none" stroke="currentColor" stroke-width="2" d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6"/></symbol>
        </svg>
        <Table class="users" head=view! {
            {header(tx!(t, "Name"), UserSort::Name)}
            {header(tx!(t, "Status"), UserSort::Status)}
            <th scope="col">"2FA"</th>
            {header(tx!(t, "Email"), UserSort::Email)}
            <th scope="col">{tx!(t, "Phone")}</th>
            <th scope="col">{tx!(t, "Clients")}</th>
            {header(tx!(t, "Created"), UserSort::Created)}
            <th scope="col">{tx!(t, "Last sign-in")}</th>
            <th scope="col"><span class="sr-only">{tx!(t, "Actions")}</span></th>
        }.into_any()>
            {rows.into_iter().map(|u| {
                let name = u.display_name();
                let id = u.id.to_string();
                let email = u.email.clone();
                let action = |what: &'static str| RowButton { what, id: id.clone(), email: email.clone() };
                let (view_clients, edit, delete) = (action("clients"), action("edit"), action("delete"));
                view! {
                    <tr>
                        <td data-label=tx!(t, "Name")>
                            <div class="who-cell">
                                {avatar(u.initials(), u.id)}
                                <span class="name">{name.clone()}</span>
                            </div>
                        </td>
                        <td data-label=tx!(t, "Status") class="badges">
                            {badge(u.status.code(), status_tone(u.status))}
                            {u.lock_reason.map(lock_badge)}
                        </td>
                        <td data-label="2FA">{two_factor_badge(u.two_factor)}</td>
                        <td data-label=tx!(t, "Email") class="email">{u.email.clone()}</td>
                        <td data-label=tx!(t, "Phone")>{u.phone.clone().unwrap_or_else(|| "—".into())}</td>
                        <td data-label=tx!(t, "Clients")>
                            <span class="count">{u.clients}</span>
                            <button type="button" class="icon-btn" aria-label=tx!(t, "View clients of {email}", email = u.email)
                                title=tx!(t, "View clients") data-row-action=view_clients.what data-row-id=view_clients.id data-row-label=view_clients.email>
                                <svg width="18" height="18" aria-hidden="true"><use href="#icon-eye"></use></svg>
                            </button>
                        </td>
                        <td data-label=tx!(t, "Created")>{short_date(&u.created_at)}</td>
                        <td data-label=tx!(t, "Last sign-in")>
                            {u.last_sign_in_at.as_ref().map(short_date).unwrap_or_else(|| tx!(t, "Never").into())}
                            {u.last_sign_in_ip.clone().map(|ip| view! { <div class="muted small" title=tx!(t, "Address of the last sign-in")>{ip}</div> })}
                        </td>
                        <td class="actions">
                            {can_edit.then(|| view! {
                                <button type="button" class="icon-btn" aria-label=tx!(t, "Edit {email}", email = u.email) title=tx!(t, "Edit")
                                    data-row-action=edit.what data-row-id=edit.id data-row-label=edit.email><svg width="18" height="18" aria-hidden="true"><use href="#icon-pencil"></use></svg></button>
                            })}
                            {can_delete.then(|| view! {
                                <button type="button" class="icon-btn danger" aria-label=tx!(t, "Delete {email}", email = u.email) title=tx!(t, "Delete")
                                    data-row-action=delete.what data-row-id=delete.id data-row-label=delete.email><svg width="18" height="18" aria-hidden="true"><use href="#icon-trash"></use></svg></button>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </Table>
    }
}
