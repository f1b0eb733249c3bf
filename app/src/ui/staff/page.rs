use super::controls::StaffControls;
use crate::api::staff::list_staff;
use crate::tx;
use crate::ui::common::{badge, lock_badge, short_date, PageHead, StaffResource, Table};
use crate::ui::i18n::{self, error_text, t};
use leptos::prelude::*;
use roster_types::staff_members::StaffRow;
use roster_types::StaffPermission;

/// The id of the part of the page a change made in a modal brings again.
pub const RESULTS_ID: &str = "staff-results";

/// `/admin/staff` (permission staff-manage): the list, + Add staff member, Edit. The list
/// is HTML from the server; the island above it holds the button and the modals, reads
/// the rows' Edit buttons by their `data-` attributes and brings the list again after a
/// change (as Manage Users does).
#[component]
pub fn StaffPage() -> impl IntoView {
    let staff = expect_context::<StaffResource>();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let me = staff.await.ok();
                if me.is_some_and(|m| m.can(StaffPermission::StaffManage)) {
                    view! { <StaffControls /> }.into_any()
                } else {
                    view! { <PageHead title=crate::tr!("Staff") /> }.into_any()
                }
            })}
        </Suspense>
        <div id=RESULTS_ID class="needs-island">
            <StaffList />
        </div>
    }
}

/// Every staff member, rendered on the server only.
#[component]
fn StaffList() -> impl IntoView {
    let staff = expect_context::<StaffResource>();
    let rows = list_staff();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let me = staff.await.ok().map(|m| m.id);
                match rows.await {
                    Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                    Ok(rows) => view! { <StaffTable rows me /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The readable permission codes, with room to wrap.
fn codes_readable(p: &[StaffPermission]) -> String {
    p.iter().map(|p| p.code()).collect::<Vec<_>>().join(", ")
}

#[component]
fn StaffTable(rows: Vec<StaffRow>, me: Option<uuid::Uuid>) -> impl IntoView {
    let tt = i18n::now();
    view! {
        <Table class="staff" head=view! {
            <th scope="col">{tx!(tt, "Email")}</th><th scope="col">{tx!(tt, "Role")}</th><th scope="col">{tx!(tt, "Status")}</th>
            <th scope="col">"2FA"</th><th scope="col">{tx!(tt, "Last sign-in")}</th><th scope="col"><span class="sr-only">{tx!(tt, "Actions")}</span></th>
        }.into_any()>
            {rows.into_iter().map(|s| {
                let you = me == Some(s.id);
                view! {
                    <tr>
                        <td data-label=tx!(tt, "Email")>{s.email.clone()}{you.then(|| view! { " " <span class="badge ok">{tx!(tt, "you")}</span> })}</td>
                        <td data-label=tx!(tt, "Role")>{s.role().map_or(tx!(tt, "Custom"), |r| t(r.label()))}
                            <div class="muted small">{codes_readable(&s.permissions)}</div></td>
                        <td data-label=tx!(tt, "Status") class="badges">{if s.active { badge("ACTIVE", "ok") } else { badge("INACTIVE", "off") }}
                            {s.lock_reason.map(lock_badge)}</td>
                        <td data-label="2FA">{if s.enrolled { "on" } else { "not enrolled" }}</td>
                        <td data-label=tx!(tt, "Last sign-in")>{s.last_sign_in_at.as_ref().map(short_date).unwrap_or_else(|| "Never".into())}</td>
                        <td class="actions-cell">
                            <button type="button" class="btn small" aria-label=tx!(tt, "Edit {email}", email = s.email)
                                data-row-action="edit" data-row-id=s.id.to_string() data-row-label=s.email.clone()>{tx!(tt, "Edit")}</button>
                        </td>
                    </tr>
                }
            }).collect_view()}
        </Table>
    }
}
