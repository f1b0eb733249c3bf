use super::query::ListQuery;
use crate::ui::common::{short_date, status_tone, Avatar, Badge, LockBadge, Table, TwoFactorBadge};
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::users::{UserRow, UserSort};
use uuid::Uuid;

/// What a row's buttons ask the page to open.
#[derive(Clone)]
pub enum RowAction {
    Edit(Uuid),
    Delete(UserRow),
    Clients(Uuid),
}

/// The Manage Users table: avatar and name, status, 2FA, email, phone, clients, created,
/// last sign-in and the row actions; headers sort.
#[component]
pub fn UserTable(
    rows: Vec<UserRow>,
    query: ListQuery,
    #[prop(into)] on_sort: Callback<UserSort>,
    #[prop(into)] on_action: Callback<RowAction>,
    can_edit: bool,
    can_delete: bool,
) -> impl IntoView {
    let header = move |label: &'static str, sort: UserSort| {
        let active = query.sort == sort;
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
                <button type="button" class="sort" on:click=move |_| on_sort.run(sort)>{label}{arrow}</button>
            </th>
        }
    };
    view! {
        <Table class="users" head=view! {
            {header(tr!("Name"), UserSort::Name)}
            {header(tr!("Status"), UserSort::Status)}
            <th scope="col">"2FA"</th>
            {header(tr!("Email"), UserSort::Email)}
            <th scope="col">{tr!("Phone")}</th>
            <th scope="col">{tr!("Clients")}</th>
            {header(tr!("Created"), UserSort::Created)}
            <th scope="col">{tr!("Last sign-in")}</th>
            <th scope="col"><span class="sr-only">{tr!("Actions")}</span></th>
        }.into_any()>
            {rows.into_iter().map(|u| {
                let name = u.display_name();
                let id = u.id;
                let row = u.clone();
                view! {
                    <tr>
                        <td data-label=tr!("Name")>
                            <div class="who-cell">
                                <Avatar initials=u.initials() id=u.id />
                                <span class="name">{name.clone()}</span>
                            </div>
                        </td>
                        <td data-label=tr!("Status") class="badges">
                            <Badge text=u.status.code() tone=status_tone(u.status) />
                            {u.lock_reason.map(|r| view! { <LockBadge reason=r /> })}
                        </td>
                        <td data-label="2FA"><TwoFactorBadge state=u.two_factor /></td>
                        <td data-label=tr!("Email") class="email">{u.email.clone()}</td>
                        <td data-label=tr!("Phone")>{u.phone.clone().unwrap_or_else(|| "—".into())}</td>
                        <td data-label=tr!("Clients")>
                            <span class="count">{u.clients}</span>
                            <button type="button" class="icon-btn" aria-label=trf!("View clients of {email}", email = u.email)
                                title=tr!("View clients") on:click=move |_| on_action.run(RowAction::Clients(id))>
                                <EyeIcon />
                            </button>
                        </td>
                        <td data-label=tr!("Created")>{short_date(&u.created_at)}</td>
                        <td data-label=tr!("Last sign-in")>
                            {u.last_sign_in_at.as_ref().map(short_date).unwrap_or_else(|| tr!("Never").into())}
                            {u.last_sign_in_ip.clone().map(|ip| view! { <div class="muted small" title=tr!("Address of the last sign-in")>{ip}</div> })}
                        </td>
                        <td class="actions">
                            {can_edit.then(|| view! {
                                <button type="button" class="icon-btn" aria-label=trf!("Edit {email}", email = u.email) title=tr!("Edit")
                                    on:click=move |_| on_action.run(RowAction::Edit(id))><PencilIcon /></button>
                            })}
                            {can_delete.then(|| view! {
                                <button type="button" class="icon-btn danger" aria-label=trf!("Delete {email}", email = u.email) title=tr!("Delete")
                                    on:click=move |_| on_action.run(RowAction::Delete(row.clone()))><TrashIcon /></button>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </Table>
    }
}

#[component]
fn EyeIcon() -> impl IntoView {
    view! { <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z"/><circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" stroke-width="2"/></svg> }
}

#[component]
fn PencilIcon() -> impl IntoView {
    view! { <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" d="M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z"/></svg> }
}

#[component]
fn TrashIcon() -> impl IntoView {
    view! { <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6"/></svg> }
}
